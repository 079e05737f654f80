package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"registar/data"
	"registar/data/search"
)

func rekeyOptions(pass string) Options {
	return Options{Passphrase: pass, User: "test", kdfMemoryKiB: 64}
}

func savePerson(t *testing.T, st *Store, given string) string {
	t.Helper()
	p := &data.Person{GivenName: given, FamilyName: "Petrović", Country: "DE", BirthDate: data.NewDate(1980, 3, 12)}
	if err := st.Save(p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestChangePassphraseSetChangeRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	st, err := Open(dir, rekeyOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	id := savePerson(t, st, "Đorđe")
	if err := st.SetSetting("office", []byte(`{"name":"Ured"}`)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	steps := []struct{ old, new string }{{"", "first secret"}, {"first secret", "second secret"}, {"second secret", ""}}
	for _, s := range steps {
		if err := ChangePassphrase(dir, s.old, s.new, rekeyOptions("")); err != nil {
			t.Fatalf("%q → %q: %v", s.old, s.new, err)
		}
		if got := IsEncrypted(dir); got != (s.new != "") {
			t.Fatalf("after %q → %q: encrypted = %v", s.old, s.new, got)
		}
		if s.new != "" {
			if _, err := Open(dir, rekeyOptions(s.old+"x")); !errors.Is(err, ErrWrongPassphrase) {
				t.Fatalf("wrong passphrase opened the registry: %v", err)
			}
		}
		st, err := Open(dir, rekeyOptions(s.new))
		if err != nil {
			t.Fatalf("open with %q: %v", s.new, err)
		}
		r, err := st.Get(id)
		if err != nil || r.Title() != "Đorđe Petrović" {
			t.Fatalf("record after rekey: %v %v", r, err)
		}
		if res := st.Search(search.Query{Text: "djordje"}); res.Total != 1 {
			t.Fatalf("search after rekey: %d", res.Total)
		}
		if b, err := st.Setting("office"); err != nil || string(b) != `{"name":"Ured"}` {
			t.Fatalf("setting after rekey: %q %v", b, err)
		}
		if h, err := st.History(id); err != nil || len(h) == 0 {
			t.Fatalf("history after rekey: %v %v", h, err)
		}
		st.Close()
		for _, leftover := range []string{dir + ".rekey", dir + ".before-rekey"} {
			if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("%s left behind", leftover)
			}
		}
	}
}

func TestChangePassphraseRefusesWrongOldAndOpenStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	st, err := Open(dir, rekeyOptions("secret"))
	if err != nil {
		t.Fatal(err)
	}
	id := savePerson(t, st, "Ana")
	if err := ChangePassphrase(dir, "secret", "other", rekeyOptions("")); !errors.Is(err, ErrLocked) {
		t.Fatalf("rekey of an open registry: %v", err)
	}
	st.Close()
	if err := ChangePassphrase(dir, "wrong", "other", rekeyOptions("")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong old passphrase: %v", err)
	}
	if err := ChangePassphrase(dir, "", "other", rekeyOptions("")); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("missing old passphrase: %v", err)
	}
	st, err = Open(dir, rekeyOptions("secret"))
	if err != nil {
		t.Fatalf("registry no longer opens with its passphrase: %v", err)
	}
	defer st.Close()
	if _, err := st.Get(id); err != nil {
		t.Fatal(err)
	}
}

func TestChangePassphraseNotAStore(t *testing.T) {
	if err := ChangePassphrase(t.TempDir(), "", "x", rekeyOptions("")); !errors.Is(err, ErrNotAStore) {
		t.Fatalf("got %v", err)
	}
}

func TestCheckPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	st, err := Open(dir, rekeyOptions("secret"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := CheckPassphrase(dir, "secret"); err != nil {
		t.Fatalf("right passphrase, registry open: %v", err)
	}
	for pass, want := range map[string]error{"wrong": ErrWrongPassphrase, "": ErrNeedPassphrase} {
		if err := CheckPassphrase(dir, pass); !errors.Is(err, want) {
			t.Fatalf("%q: %v", pass, err)
		}
	}
	plain := filepath.Join(t.TempDir(), "plain")
	st2, err := Open(plain, rekeyOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if err := CheckPassphrase(plain, ""); err != nil {
		t.Fatal(err)
	}
	if err := CheckPassphrase(plain, "x"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatal(err)
	}
	if err := CheckPassphrase(t.TempDir(), ""); !errors.Is(err, ErrNotAStore) {
		t.Fatal(err)
	}
}
