package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/store"
)

// `phones` lists the numbers stored before numbers were checked, with what
// is wrong with each in the language asked for.
func TestPhonesListsInvalidStoredNumbers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := &data.Person{GivenName: "Amra", FamilyName: "Hodžić", Country: "SI", BirthDate: data.NewDate(1985, 3, 12), Phone: "+38741123456"}
	good := &data.Person{GivenName: "Edin", FamilyName: "Delić", Country: "DE", BirthDate: data.NewDate(1980, 1, 2), Phone: "+4917612345678"}
	// Written without validation, as a Registar that did not check numbers did.
	_, err = st.Apply(context.Background(), store.Step{Action: "test", Validated: true}, []data.Record{bad, good}, nil)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	var got []invalidPhone
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "--lang", "bs", "phones", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != bad.ID || got[0].Kind != "person" || got[0].Phone != "+38741123456" ||
		got[0].Country != "SI" || got[0].Problem != "invalid" || !strings.Contains(got[0].Message, "Bosna i Hercegovina") {
		t.Fatalf("%+v", got)
	}
	out := mustCLI(t, nil, "--db", db, "phones")
	if !strings.Contains(out, "Amra Hodžić") || strings.Contains(out, "Edin") || !strings.HasSuffix(out, "1 records with a phone number to correct\n") {
		t.Errorf("text output:\n%s", out)
	}
	if r := cli(t, nil, "--db", db, "phones", "extra"); r.code != 2 {
		t.Errorf("an argument: exit %d", r.code)
	}
}

// Demo data makes numbers that are valid in their countries.
func TestDemoPhonesAreValid(t *testing.T) {
	db := demoStore(t)
	var got []invalidPhone
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "phones", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	for i, p := range got {
		if i < 10 {
			t.Errorf("demo %s %s: %s (%s)", p.Kind, p.Title, p.Phone, p.Message)
		}
	}
	if len(got) > 0 {
		t.Errorf("%d demo records with an invalid phone", len(got))
	}
}
