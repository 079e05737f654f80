package bundle

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// A bundle of an encrypted registry is never written in clear text: with
// no passphrase it is refused and nothing is written; with one it is
// sealed and the name is nowhere in the file.
func TestEncryptedRegistryNeverExportsClearText(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	st, err := store.Open(dir, store.Options{Passphrase: "ured-cazin-2026", User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Save(&data.Person{GivenName: "Zxqwerta", FamilyName: "Hodžić", BirthDate: data.NewDate(1980, 1, 1), Country: "DE"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "a.registar")
	if _, err := ExportFile(st, out, ExportOptions{}); !errors.Is(err, ErrPlainFromEncrypted) {
		t.Fatalf("export without a passphrase: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was left behind: %v", err)
	}
	if msg := Message(ErrPlainFromEncrypted, i18n.BS); msg == "" || msg == ErrPlainFromEncrypted.Error() {
		t.Errorf("no Bosnian message: %q", msg)
	}
	info, err := ExportFile(st, out, ExportOptions{Passphrase: "ured-cazin-2026"})
	if err != nil || !info.Encrypted || info.RecordCount != 1 {
		t.Fatalf("sealed export: %+v %v", info, err)
	}
	b, _ := os.ReadFile(out)
	if bytes.Contains(b, []byte("Zxqwerta")) || bytes.Contains(bytes.ToLower(b), []byte("zxqwerta")) {
		t.Fatal("the name is readable in the sealed bundle")
	}
}
