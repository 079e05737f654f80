package sync

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/bundle"
	"registar/data/i18n"
	"registar/data/store"
)

// Three laptops, each with its own copy of the folder that a faulty engine
// carries late, shuffled, truncated, twice and littered, converge to the
// same records once the engine has delivered everything.
func TestThreeLaptopsConvergeThroughAFaultyEngine(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			c := &clock{}
			rng := rand.New(rand.NewPCG(seed, 7))
			names := []string{"Office", "Amra", "Edin"}
			var sts []*store.Store
			var folders []*Folder
			eng := &engine{rng: rng, truncated: map[string]bool{}}
			for _, n := range names {
				st := laptop(t, c, n)
				view := t.TempDir()
				f := New(st, view)
				f.Now = c.now
				sts, folders = append(sts, st), append(folders, f)
				eng.views, eng.ids = append(eng.views, view), append(eng.ids, laptopID(t, st))
			}
			var ids [3][]string // each laptop's own persons
			for step := 0; step < 12; step++ {
				for i, st := range sts {
					switch {
					case len(ids[i]) == 0 || rng.IntN(2) == 0:
						p := person(fmt.Sprintf("%s%d", names[i], step), "Hodžić")
						save(t, st, p)
						ids[i] = append(ids[i], p.ID)
					default: // edit one of its own: no two laptops edit one record at once
						r, err := st.Get(ids[i][rng.IntN(len(ids[i]))])
						if err != nil {
							t.Fatal(err)
						}
						r.(*data.Person).Notes = fmt.Sprintf("step %d", step)
						save(t, st, r)
					}
				}
				for _, i := range rng.Perm(3) {
					if rng.IntN(3) > 0 {
						sum := round(t, folders[i])
						if sum.Conflicts != 0 {
							t.Fatalf("conflicts without concurrent edits: %+v", sum)
						}
						for _, sk := range sum.Skipped {
							if !errors.Is(sk.Err, bundle.ErrDamaged) || !eng.truncated[sk.File] {
								t.Fatalf("skipped %s: %v", sk.File, sk.Err)
							}
						}
					}
				}
				eng.carry(t, true)
			}
			// The engine catches up; every laptop syncs until nothing moves.
			for pass := 0; pass < 3; pass++ {
				for _, f := range folders {
					round(t, f)
				}
				eng.carry(t, false)
			}
			for _, f := range folders {
				if sum := round(t, f); sum.Changed() || len(sum.Skipped) > 0 {
					t.Fatalf("not settled: %+v", sum)
				}
			}
			sameRegistries(t, sts...)
			if got := len(registry(t, sts[0])); got != len(ids[0])+len(ids[1])+len(ids[2]) {
				t.Fatalf("%d records, want %d", got, len(ids[0])+len(ids[1])+len(ids[2]))
			}
		})
	}
}

// One shared folder (a network share): rounds in various orders.
func sharedFolder(t *testing.T, names ...string) ([]*store.Store, []*Folder, string) {
	t.Helper()
	c := &clock{}
	dir := t.TempDir()
	var sts []*store.Store
	var fs []*Folder
	for _, n := range names {
		st := laptop(t, c, n)
		f := New(st, dir)
		f.Now = c.now
		sts, fs = append(sts, st), append(fs, f)
	}
	return sts, fs, dir
}

func TestTruncatedFileIsSkippedThenMergedWhole(t *testing.T) {
	sts, fs, _ := sharedFolder(t, "Office", "Amra")
	save(t, sts[0], person("Lejla", "Begić"))
	w := round(t, fs[0]).Written
	if w == nil {
		t.Fatal("nothing written")
	}
	whole, err := os.ReadFile(w.File)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(w.File, whole[:len(whole)/2], 0o666) // still arriving
	sum := round(t, fs[1])
	if len(sum.Merged) != 0 || len(sum.Skipped) != 1 || !errors.Is(sum.Skipped[0].Err, bundle.ErrDamaged) || !sum.Skipped[0].Retry {
		t.Fatalf("truncated file: %+v", sum)
	}
	if !strings.Contains(strings.Join(sum.Lines(i18n.BS, c0), "\n"), "nepotpuna") {
		t.Fatalf("no reason in Bosnian: %q", sum.Lines(i18n.BS, c0))
	}
	os.WriteFile(w.File, whole, 0o666)
	sum = round(t, fs[1])
	if len(sum.Merged) != 1 || len(sum.Skipped) != 0 || len(sum.Merged[0].Report.Added) != 1 {
		t.Fatalf("whole file: %+v", sum)
	}
	sameRegistries(t, sts...)
}

var c0 = testEpoch

func TestDeletedAndDuplicatedFilesBreakNothing(t *testing.T) {
	sts, fs, dir := sharedFolder(t, "Office", "Amra", "Edin")
	office := laptopID(t, sts[0])
	for i := 0; i < 3; i++ {
		save(t, sts[0], person(fmt.Sprint("Emina", i), "Kovač"))
		round(t, fs[0])
	}
	got := files(t, dir, office)
	if len(got) != 3 || got[0] != "00000001.registar" || got[2] != "00000003.registar" {
		t.Fatalf("files: %v", got)
	}
	// Amra merges 1 and 3 (2 is late); then 2 arrives. Edin finds 2 deleted.
	two := filepath.Join(dir, office, got[1])
	hidden := filepath.Join(t.TempDir(), "two")
	copyFile(t, two, hidden)
	os.Remove(two)
	if sum := round(t, fs[1]); len(sum.Merged) != 2 || len(sum.Skipped) != 0 {
		t.Fatalf("with a gap: %+v", sum)
	}
	if sum := round(t, fs[2]); len(sum.Merged) != 2 {
		t.Fatalf("with a gap: %+v", sum)
	}
	copyFile(t, hidden, two)
	if sum := round(t, fs[1]); len(sum.Merged) != 1 || sum.Merged[0].Seq != 2 {
		t.Fatalf("late file: %+v", sum)
	}
	// The same file again, and removed: nothing to do, nothing broken.
	if sum := round(t, fs[1]); sum.Changed() || len(sum.Skipped) > 0 {
		t.Fatalf("merged twice: %+v", sum)
	}
	os.Remove(two)
	round(t, fs[1])
	round(t, fs[2])
	if n := len(registry(t, sts[2])); n != 2 {
		t.Fatalf("Edin has %d persons without file 2, want 2", n)
	}
	copyFile(t, hidden, two)
	round(t, fs[2])
	sameRegistries(t, sts...)
}

func TestEngineFilesAndStrangersAreIgnored(t *testing.T) {
	sts, fs, dir := sharedFolder(t, "Office", "Amra")
	save(t, sts[0], person("Lejla", "Begić"))
	w := round(t, fs[0]).Written
	b, _ := os.ReadFile(w.File)
	litter(t, filepath.Dir(w.File), filepath.Base(w.File), b[:len(b)/2])
	os.MkdirAll(filepath.Join(dir, "Photos"), 0o777)
	os.WriteFile(filepath.Join(dir, "Photos", "00000001.registar"), b[:10], 0o666)
	os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("hi"), 0o666)
	os.MkdirAll(filepath.Join(dir, ".stfolder"), 0o777)
	sum := round(t, fs[1])
	if len(sum.Merged) != 1 || len(sum.Skipped) != 0 {
		t.Fatalf("%+v", sum)
	}
	// This laptop's own litter of a crash goes; the engine's stays theirs.
	own := filepath.Join(dir, laptopID(t, sts[0]))
	os.WriteFile(filepath.Join(own, tempPrefix+"crash"+tempSuffix), b, 0o666)
	save(t, sts[0], person("Amir", "Begić"))
	round(t, fs[0])
	if _, err := os.Stat(filepath.Join(own, tempPrefix+"crash"+tempSuffix)); !os.IsNotExist(err) {
		t.Fatal("a temporary file of a crash was left behind")
	}
}

func TestRoundWithNothingNewWritesNothing(t *testing.T) {
	sts, fs, dir := sharedFolder(t, "Office", "Amra")
	save(t, sts[0], person("Lejla", "Begić"))
	save(t, sts[1], person("Sead", "Mujić"))
	round(t, fs[0])
	round(t, fs[1])
	round(t, fs[0])
	before, _ := sts[0].Setting(settingWritten)
	merged, _ := sts[0].Setting(settingMerged)
	sum := round(t, fs[0])
	if sum.Changed() {
		t.Fatalf("%+v", sum)
	}
	after, _ := sts[0].Setting(settingWritten)
	merged2, _ := sts[0].Setting(settingMerged)
	if string(before) != string(after) || string(merged) != string(merged2) {
		t.Fatal("a round with nothing new wrote to the registry")
	}
	// Amra's merge of Office's person is not echoed back into a new file.
	if got := files(t, dir, laptopID(t, sts[1])); len(got) != 1 {
		t.Fatalf("Amra's files: %v", got)
	}
	sameRegistries(t, sts...)
}

func TestConflictsWaitForAPerson(t *testing.T) {
	sts, fs, _ := sharedFolder(t, "Office", "Amra")
	p := person("Lejla", "Begić")
	save(t, sts[0], p)
	round(t, fs[0])
	round(t, fs[1])
	for i, city := range []string{"Wien", "Graz"} {
		r, _ := sts[i].Get(p.ID)
		r.(*data.Person).City = city
		save(t, sts[i], r)
	}
	round(t, fs[0])
	sum := round(t, fs[1])
	if sum.Conflicts != 1 {
		t.Fatalf("%+v", sum)
	}
	cs, err := sts[1].Conflicts()
	if err != nil || len(cs) != 1 || cs[0].ID != p.ID {
		t.Fatalf("conflicts %v %v", cs, err)
	}
	if !strings.Contains(strings.Join(sum.Lines(i18n.EN, c0), "\n"), "Bundles screen") {
		t.Fatal(sum.Lines(i18n.EN, c0))
	}
}

func TestMisplacedFileIsSkipped(t *testing.T) {
	sts, fs, dir := sharedFolder(t, "Office", "Amra")
	save(t, sts[0], person("Lejla", "Begić"))
	w := round(t, fs[0]).Written
	wrong := filepath.Join(dir, "0123456789abcdef", "00000001.registar")
	copyFile(t, w.File, wrong)
	sum := round(t, fs[1])
	if len(sum.Merged) != 1 || len(sum.Skipped) != 1 || !errors.Is(sum.Skipped[0].Err, ErrMisplaced) {
		t.Fatalf("%+v", sum)
	}
}

func TestNoFolderIsAClearError(t *testing.T) {
	sts, _, dir := sharedFolder(t, "Office")
	f := New(sts[0], filepath.Join(dir, "not-mounted"))
	if _, err := f.Round(context.Background()); !errors.Is(err, ErrNoFolder) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "not-mounted")); !os.IsNotExist(err) {
		t.Fatal("the missing folder was created")
	}
}

func TestLastHeardAndSilence(t *testing.T) {
	sts, fs, _ := sharedFolder(t, "Office", "Amra")
	save(t, sts[1], person("Sead", "Mujić"))
	round(t, fs[1])
	sum := round(t, fs[0])
	if len(sum.Laptops) != 1 || sum.Laptops[0].Name != "Amra" || sum.Laptops[0].Heard.IsZero() || sum.Laptops[0].MergedNow != 1 {
		t.Fatalf("%+v", sum.Laptops)
	}
	later := sum.Laptops[0].Heard.Add(Week + 48*60*60*1e9)
	lines := strings.Join(sum.Lines(i18n.EN, later), "\n")
	if !strings.Contains(lines, "Nothing heard from Amra") || !strings.Contains(lines, "9 days") {
		t.Fatal(lines)
	}
	ls, err := Laptops(sts[0])
	if err != nil || len(ls) != 1 || !ls[0].Heard.Equal(sum.Laptops[0].Heard) {
		t.Fatalf("%+v %v", ls, err)
	}
	// A laptop with nothing new says it is there once a day.
	fs[1].KeepAlive = 1
	if sum := round(t, fs[1]); sum.Written == nil || sum.Written.Records != 0 {
		t.Fatalf("keep-alive: %+v", sum.Written)
	}
}

func TestEncryptedRegistryWritesSealedFiles(t *testing.T) {
	c := &clock{}
	dir := t.TempDir()
	sealed, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{Passphrase: "ured-2026", User: "o", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	defer sealed.Close()
	save(t, sealed, person("Lejla", "Begić"))
	f := New(sealed, dir)
	if _, err := f.Round(context.Background()); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("no passphrase: %v", err)
	}
	f.Passphrase = "ured-2026"
	w := round(t, f).Written
	if w == nil || !w.Encrypted {
		t.Fatalf("%+v", w)
	}
	raw, _ := os.ReadFile(w.File)
	if strings.Contains(string(raw), "Begić") || strings.Contains(string(raw), "Lejla") {
		t.Fatal("clear text in a sealed file")
	}
	other := laptop(t, c, "Amra")
	g := New(other, dir)
	if sum := round(t, g); len(sum.Skipped) != 1 || !errors.Is(sum.Skipped[0].Err, bundle.ErrNeedPassphrase) {
		t.Fatalf("%+v", sum)
	}
	g.Passphrase = "ured-2026"
	g.bad = map[string]badFile{}
	if sum := round(t, g); len(sum.Merged) != 1 {
		t.Fatalf("%+v", sum)
	}
	sameRegistries(t, sealed, other)
}

func TestRanges(t *testing.T) {
	var r ranges
	for _, n := range []uint64{3, 1, 5, 2, 9, 4} {
		r = r.add(n)
	}
	if fmt.Sprint(r) != "[[1 5] [9 9]]" {
		t.Fatal(r)
	}
	for n, want := range map[uint64]bool{0: false, 1: true, 5: true, 6: false, 9: true, 10: false} {
		if r.has(n) != want {
			t.Fatalf("has(%d)", n)
		}
	}
}
