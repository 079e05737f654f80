package odk

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/store"
)

// The whole way from the office to the phones and back, with no server:
// the registry's form is filled in ODK's own engine three times, the
// submissions are laid out as ODK Collect keeps them on a phone, and the
// folder is imported; the same folder again adds nothing.
func TestEngineFilledFolderImportsOnce(t *testing.T) {
	node := needEngine(t)
	st, err := store.Open("", store.Options{InMemory: true, User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	byName := map[string]string{}
	for _, l := range cazin() {
		if err := st.Save(l); err != nil {
			t.Fatal(err)
		}
		byName[l.Name+"|"+l.Municipality] = l.ID
	}
	f, err := FromStore(st, data.KindPerson, Options{Lang: i18n.BS})
	if err != nil {
		t.Fatal(err)
	}
	fills := []map[string]any{
		amra,
		with(map[string]any{"given_name": "Senad", "family_name": "Hodžić", "birth_date": "1970-02-02",
			"email": "senad@example.de", "country": "DE", "phone": "0176 12345678", "locality_id": "ostrozac_cazin", "gender": "m"}),
		with(map[string]any{"given_name": "Ђорђе", "family_name": "Петровић", "birth_date": "1979-11-02",
			"email": "", "country": "SE", "phone": "061 242 771", "locality_id": "vrelo", "gender": "m"}),
	}
	res := runEngine(t, node, f, fills)
	if len(res.Fills) != len(fills) {
		t.Fatalf("%d submissions from the engine, want %d", len(res.Fills), len(fills))
	}
	phone := t.TempDir()
	for i, fill := range res.Fills {
		if len(fill.Violations) > 0 {
			t.Fatalf("fill %d refused: %+v", i, fill.Violations)
		}
		dir := filepath.Join(phone, "instances", fmt.Sprintf("registar-persons_2026-12-07_10-0%d-00", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(dir)+".xml"), []byte(fill.Submission), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	importFolder := func() exchange.Counts {
		t.Helper()
		sh, err := exchange.OpenSource(phone, exchange.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if sh.Origin == nil || sh.Origin.Kind != exchange.OriginInstances || sh.Origin.FormVersion != f.Version {
			t.Fatalf("origin %+v, form version %s", sh.Origin, f.Version)
		}
		m, err := exchange.Recognise(sh, sh.Origin.RecordKind())
		if err != nil {
			t.Fatal(err)
		}
		p, err := exchange.Prepare(context.Background(), st, sh, m, exchange.Options{Lang: i18n.BS, Region: "BA", Municipality: "Cazin"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Counts.Rejected > 0 {
			t.Fatalf("rejected: %+v", p.Rejected())
		}
		if _, err := p.Apply(context.Background(), st, nil); err != nil {
			t.Fatal(err)
		}
		return p.Counts
	}
	if c := importFolder(); c.Added != 3 || c.NewLocalities != 0 {
		t.Fatalf("first import: %+v", c)
	}
	got := map[string]*data.Person{}
	st.Each(data.KindPerson, func(r data.Record) error {
		p := r.(*data.Person)
		got[p.GivenName] = p
		return nil
	})
	want := map[string]struct{ locality, phone, country string }{
		"Amra":  {byName["Pećigrad|Cazin"], "+436641234567", "AT"},
		"Senad": {byName["Ostrožac|Cazin"], "+4917612345678", "DE"},
		"Ђорђе": {byName["Врело|Cazin"], "+38761242771", "SE"},
	}
	for name, w := range want {
		p := got[name]
		if p == nil {
			t.Fatalf("%s was not imported: %v", name, got)
		}
		if p.LocalityID != w.locality || p.Phone != w.phone || p.Country != w.country ||
			p.Source != data.SourceField || p.Submission == "" || !p.ConsentContact.Given || p.ConsentContact.How != "form" {
			t.Errorf("%s: %+v", name, p)
		}
	}
	if c := importFolder(); c.Added != 0 || c.AlreadyImported != 3 {
		t.Fatalf("the same folder again: %+v", c)
	}
}
