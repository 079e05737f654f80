package bundle

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// A bundle to break: two persons, a business, a trashed one, an erased one.
func sampleBundle(t *testing.T, c *clock, passphrase string) (*store.Store, []byte) {
	t.Helper()
	amra := laptop(t, c, "Amra")
	p, q, gone := person("Amir", "Hodžić"), person("Emina", "Mujkić"), person("Vjosa", "Berisha")
	for _, r := range []*data.Person{p, q, gone} {
		save(t, amra, r)
	}
	save(t, amra, &data.Business{Name: "Hodžić Bau GmbH", Country: "AT", Owners: []data.Owner{{PersonID: p.ID, Share: "owner"}}})
	if err := amra.Trash(q.ID); err != nil {
		t.Fatal(err)
	}
	if err := amra.Erase(gone.ID); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Export(amra, &buf, ExportOptions{Passphrase: passphrase}); err != nil {
		t.Fatal(err)
	}
	return amra, buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, pass := range []string{"", "ljeto u Cazinu"} {
		c := &clock{}
		amra, raw := sampleBundle(t, c, pass)
		if pass != "" && bytes.Contains(raw, []byte("Hodžić")) {
			t.Fatal("a sealed bundle holds plain text")
		}
		if pass == "" && !bytes.HasPrefix(raw, []byte("REGISTAR BUNDLE 1\n")) {
			t.Fatalf("header: %q", raw[:30])
		}
		info, err := ReadInfo(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := amra.LaptopID()
		if info.Laptop != id || info.LaptopName != "Amra" || info.RecordCount != 3 || info.TombstoneCount != 1 || info.Encrypted != (pass != "") {
			t.Fatalf("info: %+v", info)
		}
		b, err := Read(bytes.NewReader(raw), pass)
		if err != nil {
			t.Fatal(err)
		}
		office := laptop(t, c, "Office")
		rep := merge(t, office, b)
		if len(rep.Added) != 3 || rep.Tombstones != 1 {
			t.Fatalf("merge: %v", rep.Counts())
		}
		if d := diffRegistries(registry(t, amra), registry(t, office)); d != "" {
			t.Fatalf("registries differ after one bundle:\n%s", d)
		}
	}
}

// Every kind of bad input is refused with a clear message, and nothing is
// written.
func TestBadBundlesWriteNothing(t *testing.T) {
	c := &clock{}
	amra, good := sampleBundle(t, c, "")
	_, sealed := sampleBundle(t, c, "ljeto")
	office := laptop(t, c, "Office")
	save(t, office, person("Selma", "Begić"))

	flip := func(b []byte, at int) []byte {
		out := append([]byte(nil), b...)
		out[at] ^= 0x20
		return out
	}
	newerLine := bytes.Replace(good, []byte("REGISTAR BUNDLE 1\n"), []byte("REGISTAR BUNDLE 2\n"), 1)
	newerHeader := bytes.Replace(good, []byte(`"format":1`), []byte(`"format":2`), 1)
	laptopChanged := bytes.Replace(good, []byte(`"laptop_name":"Amra"`), []byte(`"laptop_name":"Edin"`), 1)
	cases := []struct {
		name string
		raw  []byte
		pass string
		want error
	}{
		{"empty", nil, "", ErrNotABundle},
		{"a spreadsheet", []byte("PK\x03\x04 not a bundle at all"), "", ErrNotABundle},
		{"a backup", []byte("REGISTAR BACKUP 1\n{}\n"), "", ErrNotABundle},
		{"truncated", good[:len(good)*2/3], "", ErrDamaged},
		{"no end frame", good[:len(good)-10], "", ErrDamaged},
		{"tampered content", flip(good, len(good)-60), "", ErrDamaged},
		{"tampered header", laptopChanged, "", ErrDamaged},
		{"newer format line", newerLine, "", ErrNewer},
		{"newer format header", newerHeader, "", ErrNewer},
		{"sealed, no passphrase", sealed, "", ErrNeedPassphrase},
		{"sealed, wrong passphrase", sealed, "zima", ErrWrongPassphrase},
		{"sealed, tampered", flip(sealed, len(sealed)-100), "ljeto", ErrDamaged},
	}
	before, beforeLog := registry(t, office), auditLen(t, office)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.raw), c.pass)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if msg := Message(err, i18n.BS); msg == "" || strings.HasPrefix(msg, "bundle.") {
				t.Fatalf("no Bosnian message: %q", msg)
			}
		})
	}
	// This laptop's own bundle.
	b, err := Read(bytes.NewReader(good), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(context.Background(), amra, b, MergeOptions{}); !errors.Is(err, ErrOwnBundle) {
		t.Fatalf("own bundle: %v", err)
	}
	// An invalid record: refused whole, naming it.
	bad := &Bundle{Info: b.Info, Records: append([]data.Record{}, b.Records...)}
	var broken *data.Person
	for _, r := range b.Records {
		if p, ok := r.(*data.Person); ok {
			broken = data.Clone(p).(*data.Person)
		}
	}
	broken.ID, broken.GivenName = "0196f000-0000-7000-8000-000000000001", ""
	bad.Records = append(bad.Records, broken)
	_, err = Merge(context.Background(), office, bad, MergeOptions{})
	var re *store.RecordError
	if !errors.As(err, &re) {
		t.Fatalf("invalid record: %v", err)
	}
	if d := diffRegistries(before, registry(t, office)); d != "" || auditLen(t, office) != beforeLog {
		t.Fatalf("a refused bundle wrote something:\n%s", d)
	}
}

func TestMessages(t *testing.T) {
	err := errors.Join(ErrDamaged)
	if got := Message(err, i18n.SR); !strings.Contains(got, "оштећена") {
		t.Fatalf("Serbian: %q", got)
	}
	if got := Message(ErrOwnBundle, i18n.SRLatn); !strings.Contains(got, "ovog računara") {
		t.Fatalf("Serbian Latin: %q", got)
	}
	wrapped := errors.New("x")
	if Message(wrapped, i18n.BS) != "x" {
		t.Fatal("foreign errors pass through")
	}
}

// A bundle for a laptop carries what changed since the last one for it.
func TestIncrementalExport(t *testing.T) {
	c := &clock{}
	office, amra := laptop(t, c, "Office"), laptop(t, c, "Amra")
	loc := &data.Locality{Name: "Stijena", Municipality: "Cazin"}
	save(t, office, loc)
	var ps []*data.Person
	for _, n := range []string{"Amir", "Emina", "Nikola", "Selma"} {
		p := person(n, "Hodžić")
		p.LocalityID = loc.ID
		save(t, office, p)
		ps = append(ps, p)
	}
	amraID, _ := amra.LaptopID()
	dir := t.TempDir()
	info, b := exportFile(t, office, filepath.Join(dir, "1.bundle"), ExportOptions{To: amraID})
	if info.RecordCount != 5 || !info.Since.IsZero() || info.To != amraID {
		t.Fatalf("first: %+v", info)
	}
	merge(t, amra, b)
	if _, err := os.Stat(filepath.Join(dir, "1.bundle.partial")); !os.IsNotExist(err) {
		t.Fatal("partial file left")
	}

	ps[1].City = "Graz"
	save(t, office, ps[1])
	if err := office.Erase(ps[2].ID); err != nil {
		t.Fatal(err)
	}
	// By name too, once Amra's laptop is known by a merge here.
	merge(t, office, full(t, amra))
	info, b = exportFile(t, office, filepath.Join(dir, "2.bundle"), ExportOptions{To: "amra"})
	// Emina changed, and the locality she links to; Nikola's tombstone.
	if len(b.Records) != 2 || len(b.Tombstones) != 1 || b.Tombstones[0].ID != ps[2].ID || info.Since.IsZero() {
		t.Fatalf("second bundle: %d records %d tombstones since %v", len(b.Records), len(b.Tombstones), info.Since)
	}
	rep := merge(t, amra, b)
	if len(rep.Updated) != 1 || len(rep.Erased) != 1 {
		t.Fatalf("second merge: %v", rep.Counts())
	}
	// Nothing since: an empty bundle, but a bundle (exportFile checks it
	// names this laptop: an Info{} from a failed export has zero counts too),
	// for Amra and starting where the second ended.
	second := info
	info, b = exportFile(t, office, filepath.Join(dir, "3.bundle"), ExportOptions{To: amraID})
	if info.RecordCount != 0 || info.TombstoneCount != 0 || len(b.Records)+len(b.Tombstones) != 0 ||
		info.To != amraID || !info.Since.After(second.Since) {
		t.Fatalf("third: %+v after %+v", info, second)
	}
	// --since a moment: what changed after it.
	info, _ = exportFile(t, office, filepath.Join(dir, "4.bundle"), ExportOptions{Since: testEpoch.Add(-time.Hour)})
	if info.RecordCount != 4 || info.TombstoneCount != 1 {
		t.Fatalf("since: %+v", info)
	}
	if _, err := ExportFile(office, filepath.Join(dir, "5.bundle"), ExportOptions{To: "nobody"}); !errors.Is(err, ErrUnknownLaptop) {
		t.Fatalf("unknown laptop: %v", err)
	}
	peers, _ := Peers(office)
	if len(peers) != 1 || peers[0].Name != "Amra" || peers[0].Sent.IsZero() || peers[0].Merged.IsZero() {
		t.Fatalf("peers: %+v", peers)
	}
}

// exportFile writes a bundle file and reads it back. Any error fails the
// test, and so does an Info that does not name this laptop and this format
// (what a failed export returns is an empty Info, whose zero counts would
// pass for an empty bundle) or a file that disagrees with its Info.
func exportFile(t *testing.T, st *store.Store, path string, opt ExportOptions) (Info, *Bundle) {
	t.Helper()
	info, err := ExportFile(st, path, opt)
	if err != nil {
		t.Fatalf("export %s: %v", filepath.Base(path), err)
	}
	me, err := st.LaptopID()
	if err != nil {
		t.Fatal(err)
	}
	if info.Laptop != me || info.LaptopName != st.LaptopName() || info.Format != Format || info.Created.IsZero() {
		t.Fatalf("export %s: %+v is not a bundle of laptop %s", filepath.Base(path), info, me)
	}
	b, err := ReadFile(path, "")
	if err != nil {
		t.Fatalf("read %s back: %v", filepath.Base(path), err)
	}
	if b.Laptop != me || b.RecordCount != info.RecordCount || len(b.Records) != info.RecordCount ||
		b.TombstoneCount != info.TombstoneCount || len(b.Tombstones) != info.TombstoneCount {
		t.Fatalf("%s holds %d records and %d tombstones of %s; the export said %+v",
			filepath.Base(path), len(b.Records), len(b.Tombstones), b.Laptop, info)
	}
	return info, b
}

// Fuzzing the reader: whatever the bytes, an error of this package or a
// bundle, never a panic.
func FuzzRead(f *testing.F) {
	c := &clock{}
	st, err := store.Open("", store.Options{InMemory: true, Now: c.now})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	st.Save(person("Amir", "Hodžić"))
	var buf bytes.Buffer
	if _, err := Export(st, &buf, ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("REGISTAR BUNDLE 1\n{\"format\":1,\"laptop\":\"x\",\"records\":0,\"tombstones\":0}\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := Read(bytes.NewReader(raw), "")
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("foreign error %v", err)
		}
		if err == nil && b == nil {
			t.Fatal("no bundle, no error")
		}
	})
}

// A bundle for a laptop made with a later --since leaves a gap: the next
// bundle for that laptop must still start where the last whole one ended.
func TestSinceDoesNotSkipForALaptop(t *testing.T) {
	// Audit keys never go back in a process: this test's clock must be
	// ahead of every other test's.
	c := &clock{base: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)}
	office, amra := laptop(t, c, "Office"), laptop(t, c, "Amra")
	amraID, _ := amra.LaptopID()
	early := person("Amir", "Hodžić")
	save(t, office, early)
	var buf bytes.Buffer
	exportSent := func(opt ExportOptions) Info {
		t.Helper()
		buf.Reset()
		info, err := Export(office, &buf, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := MarkSent(office, info); err != nil {
			t.Fatal(err)
		}
		return info
	}
	exportSent(ExportOptions{To: amraID})
	gap := person("Emina", "Mujkić") // changed after the first bundle
	save(t, office, gap)
	later := c.now()
	save(t, office, person("Nikola", "Đurić"))
	if info := exportSent(ExportOptions{To: amraID, Since: later}); info.RecordCount != 1 {
		t.Fatalf("--since bundle: %d records", info.RecordCount)
	}
	exportSent(ExportOptions{To: amraID})
	b, err := Read(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range b.Records {
		found = found || r.Base().ID == gap.ID
	}
	if !found {
		t.Fatal("the change between the two bundles was skipped")
	}
}

// readAhead hands over exactly what its reader gave, the reader's error
// after the bytes before it, and stops when closed half way.
func TestReadAhead(t *testing.T) {
	src := make([]byte, 1<<20+12345)
	for i := range src {
		src[i] = byte(i * 7)
	}
	for _, size := range []int{1, 1000, 256 << 10, 2 << 20} {
		ra := newReadAhead(bytes.NewReader(src), size, 3)
		got, err := io.ReadAll(ra)
		ra.Close()
		if err != nil || !bytes.Equal(got, src) {
			t.Fatalf("buffers of %d: %d bytes of %d, %v", size, len(got), len(src), err)
		}
	}
	broken := errors.New("disk gone")
	ra := newReadAhead(io.MultiReader(bytes.NewReader(src[:5000]), iotest.ErrReader(broken)), 1024, 2)
	got, err := io.ReadAll(ra)
	ra.Close()
	if !errors.Is(err, broken) || !bytes.Equal(got, src[:5000]) {
		t.Fatalf("a failing reader: %d bytes, %v", len(got), err)
	}
	ra = newReadAhead(bytes.NewReader(src), 1024, 2)
	if _, err := ra.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	ra.Close() // returns: the goroutine stopped
	ra.Close()
}
