package exchange

import (
	"path/filepath"
	"slices"
	"testing"

	"registar/data"
	"registar/data/store"
)

// The registry's keys are kept as hashes; a row's key finds every record
// holding it (two records may share one), and a hash that points at a
// record not holding the key (as two keys of one hash would) finds nothing.
func TestRegistryKeysConfirmEachMatch(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mk := func(given, email string) *data.Person {
		p := &data.Person{GivenName: given, FamilyName: "Hodžić", Country: "DE", Gender: "m", BirthDate: data.NewDate(1980, 5, 17), Email: email}
		if err := st.Save(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	amir, amira, selma := mk("Amir", "porodica@example.org"), mk("Amira", "porodica@example.org"), mk("Selma", "selma@example.org")
	pr := &preparer{st: st, kind: data.KindPerson, conv: &converter{}}
	if err := pr.load(); err != nil {
		t.Fatal(err)
	}
	shared := ""
	for _, k := range data.MatchKeys(amir) {
		if slices.Contains(data.MatchKeys(amira), k) {
			shared = k
		}
	}
	if shared == "" {
		t.Fatalf("no shared key in %v and %v", data.MatchKeys(amir), data.MatchKeys(amira))
	}
	if got := pr.holders(shared); len(got) != 2 || !slices.Contains(got, amir.ID) || !slices.Contains(got, amira.ID) {
		t.Fatalf("the shared key %q: %v", shared, got)
	}
	if got := pr.holders("id:" + selma.ID); !slices.Equal(got, []string{selma.ID}) {
		t.Fatalf("Selma's ID: %v", got)
	}
	// A collision: the hash of a key Selma does not hold, pointing at her.
	pr.existing.add(selma.ID, []string{"email:nobody@example.org"})
	if got := pr.holders("email:nobody@example.org"); len(got) != 0 {
		t.Fatalf("a key no record holds matched %v", got)
	}
	if got := pr.holders("email:nobody-else@example.org"); len(got) != 0 {
		t.Fatalf("an unknown key matched %v", got)
	}
}
