package store

import (
	"os"
	"path/filepath"
	"testing"

	"registar/data"
)

// A process killed just after Badger created a memtable file, before it
// sized it, leaves a file of no length; the next open must not fail on it
// (found by the kill tests, 2 in ~140 kills).
func TestEmptyMemtableFileOpens(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	st, err := Open(dir, Options{User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(&data.Person{GivenName: "Amra", FamilyName: "Hodžić", BirthDate: data.NewDate(1980, 1, 1), Country: "DE"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "00001.mem"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		st, err := Open(dir, Options{User: "test", ReadOnly: ro})
		if err != nil {
			t.Fatalf("read-only %v: %v", ro, err)
		}
		if n := st.Counts()[data.KindPerson]; n != 1 {
			t.Errorf("read-only %v: %d persons", ro, n)
		}
		st.Close()
	}
}
