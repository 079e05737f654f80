package bundle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"registar/data"
	"registar/data/store"
)

// A merge writes in three parts, each its own transaction (plan.apply):
// the records and conflicts as one journaled step (ApplyMerge), then each
// erasure the bundle brings (ApplyTombstones), then the sending laptop's
// marks (updatePeers). These tests kill a process between the parts, and
// show that merging the same bundle again completes the merge: the registry
// ends as a merge that was never interrupted leaves it, and loses nothing.

// Where the child process kills itself.
const (
	killAfterStep          = "after the step"
	killAfterOneTombstone  = "after one of the erasures"
	killAfterAllTombstones = "after the erasures, before the marks"
)

// The child's instructions, through its environment.
const (
	envMergeKill   = "REGISTAR_TEST_MERGE_KILL"
	envMergeDB     = "REGISTAR_TEST_MERGE_DB"
	envMergeBundle = "REGISTAR_TEST_MERGE_BUNDLE"
)

// officeNow is the office's clock in every process of these tests: the
// times a merge and an erase stamp are then the same whether the merge ran
// whole or in two goes, so the two registries can be compared exactly.
var officeNow = time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)

func openOffice(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{User: "Office", Now: func() time.Time { return officeNow }})
	if err != nil {
		t.Fatalf("open the office's registry: %v", err)
	}
	return st
}

func TestMergeKilledBetweenItsPartsCompletesWhenMergedAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process per kill")
	}
	c := &clock{}
	amra := laptop(t, c, "Amra")
	amir, emina, nikola := person("Amir", "Hodžić"), person("Emina", "Mujkić"), person("Nikola", "Đurić")
	for _, p := range []*data.Person{amir, emina, nikola} {
		save(t, amra, p)
	}
	firm := &data.Business{Name: "Đurić Bau GmbH", Country: "AT", Owners: []data.Owner{{PersonID: nikola.ID, Share: "owner"}}}
	save(t, amra, firm)

	// The office has had Amra's first bundle and changed Amir since.
	base := filepath.Join(t.TempDir(), "office")
	office := openOffice(t, base)
	if err := office.SetLaptopName("Office"); err != nil {
		t.Fatal(err)
	}
	officeID, _ := office.LaptopID()
	send(t, amra, office)
	mine := get(t, office, amir.ID).(*data.Person)
	mine.Phone = "+38761242771"
	save(t, office, mine)
	// An association of the office's own lists Nikola: his erasure here
	// must take him off its members.
	club := &data.Organisation{Name: "Udruženje Cazinjana Beč", OrgKind: "diaspora_association", Country: "AT",
		MemberIDs: []string{nikola.ID, amir.ID}}
	save(t, office, club)
	if err := office.Close(); err != nil {
		t.Fatal(err)
	}
	// Each run below starts from this registry, put back in the same folder:
	// a registry found in another folder takes a new laptop ID (it is a
	// copy), and the runs could not be compared.
	saved := base + ".saved"
	if err := os.Rename(base, saved); err != nil {
		t.Fatal(err)
	}
	putBack := func() {
		t.Helper()
		if err := os.RemoveAll(base); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(base, os.DirFS(saved)); err != nil {
			t.Fatal(err)
		}
	}

	// Amra's second bundle has a bit of everything a merge writes: a new
	// record, an update, a conflict (Amir, changed on both sides), the
	// erasure of a record the office has and that another links to
	// (Nikola, owner of the firm), and that of a record it never had.
	amir.City = "Graz"
	save(t, amra, amir)
	emina.City = "Linz"
	save(t, amra, emina)
	selma := person("Selma", "Begić")
	save(t, amra, selma)
	stranger := person("Vjosa", "Berisha")
	save(t, amra, stranger)
	for _, id := range []string{nikola.ID, stranger.ID} {
		if err := amra.Erase(id); err != nil {
			t.Fatal(err)
		}
	}
	bundlePath := filepath.Join(t.TempDir(), "2.registar")
	info, err := ExportFile(amra, bundlePath, ExportOptions{To: officeID})
	if err != nil {
		t.Fatal(err)
	}
	if info.TombstoneCount != 2 {
		t.Fatalf("the bundle has %d tombstones, want 2", info.TombstoneCount)
	}
	b, err := ReadFile(bundlePath, "")
	if err != nil {
		t.Fatal(err)
	}

	// What a merge that nobody interrupted leaves.
	putBack()
	ref := openOffice(t, base)
	rep, err := Merge(context.Background(), ref, b, MergeOptions{now: func() time.Time { return officeNow }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 1 || len(rep.Conflicts) != 1 || len(rep.Erased) != 1 || rep.Tombstones != 1 {
		t.Fatalf("the whole merge did not do what this test is about: %v", rep.Counts())
	}
	want, wantPeers := versions(t, ref), peersOf(t, ref)
	ref.Close()

	for _, at := range []string{killAfterStep, killAfterOneTombstone, killAfterAllTombstones} {
		t.Run(at, func(t *testing.T) {
			putBack()
			killedMerge(t, base, bundlePath, at)

			st := openOffice(t, base)
			defer st.Close()
			// The kill landed where it was meant to: the step is there and
			// the peer's marks are not.
			if _, err := st.Get(selma.ID); err != nil {
				t.Fatalf("the step did not land before the kill: %v", err)
			}
			erased := 0
			for _, id := range []string{nikola.ID, stranger.ID} {
				if _, err := st.Get(id); errors.Is(err, store.ErrErased) {
					erased++
				}
			}
			if wantErased := map[string]int{killAfterStep: 0, killAfterOneTombstone: 1, killAfterAllTombstones: 2}[at]; erased != wantErased {
				t.Fatalf("%d erasures landed before the kill, want %d", erased, wantErased)
			}
			if p := peersOf(t, st)[b.Laptop]; p.MergedBundle.Equal(b.Created) {
				t.Fatalf("the peer's marks were written before the kill: %+v", p)
			}

			again, err := Merge(context.Background(), st, b, MergeOptions{now: func() time.Time { return officeNow }})
			if err != nil {
				t.Fatalf("merging the bundle again: %v", err)
			}
			if len(again.Added)+len(again.Updated)+len(again.Conflicts) != 0 {
				t.Errorf("the second merge wrote the step again: %v", again.Counts())
			}
			if d := diffRegistries(want, versions(t, st)); d != "" {
				t.Fatalf("killed %s and merged again, the registry differs from one merge:\n%s", at, d)
			}
			if got := peersOf(t, st); !reflect.DeepEqual(got, wantPeers) {
				t.Fatalf("peers: %+v\nwant %+v", got, wantPeers)
			}
			// The association no longer lists Nikola, and Amir's two
			// versions are both still there to choose from.
			if o := get(t, st, club.ID).(*data.Organisation); !reflect.DeepEqual(o.MemberIDs, []string{amir.ID}) {
				t.Errorf("the association's members: %v, want only Amir", o.MemberIDs)
			}
			if cs, err := ListConflicts(st); err != nil || len(cs) != 1 || len(cs[0].Versions()) != 2 {
				t.Errorf("conflicts after merging again: %+v %v", cs, err)
			}
		})
	}
}

// killedMerge runs, in a child process (this test binary), the first parts
// of merging the bundle file into the registry in dir, and has it kill
// itself at the point named.
func killedMerge(t *testing.T, dir, bundlePath, at string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMergeCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envMergeKill+"="+at, envMergeDB+"="+dir, envMergeBundle+"="+bundlePath)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != -1 {
		// -1: ended by a signal, as the child does to itself, not a failure
		// or a clean exit.
		t.Fatalf("the child was not killed: %v\n%s", err, out)
	}
}

// TestMergeCrashChild is the child of killedMerge: it does what plan.apply
// does, part by part, and kills its own process where it is told to.
func TestMergeCrashChild(t *testing.T) {
	at := os.Getenv(envMergeKill)
	if at == "" {
		t.Skip("runs only as the child of TestMergeKilledBetweenItsPartsCompletesWhenMergedAgain")
	}
	st := openOffice(t, os.Getenv(envMergeDB))
	b, err := ReadFile(os.Getenv(envMergeBundle), "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := makePlan(st, b, officeNow)
	if err != nil {
		t.Fatal(err)
	}
	// As plan.apply writes the step.
	if _, err := st.ApplyMerge(context.Background(), store.MergeStep{
		Action:    "merge",
		Note:      fmt.Sprintf("bundle from %s (%s) of %s", p.b.LaptopName, p.b.Laptop, p.b.Created.Format(time.RFC3339)),
		Counts:    p.report.Counts(),
		Records:   p.writes,
		Base:      p.base,
		Conflicts: p.conflicts,
	}, nil); err != nil {
		t.Fatal(err)
	}
	switch at {
	case killAfterOneTombstone:
		if _, err := st.ApplyTombstones(p.tombs[:1]); err != nil {
			t.Fatal(err)
		}
	case killAfterAllTombstones:
		if _, err := st.ApplyTombstones(p.tombs); err != nil {
			t.Fatal(err)
		}
	}
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	self.Kill()
	select {} // the kill lands
}

// peersOf is a laptop's peers by ID.
func peersOf(t testing.TB, st *store.Store) map[string]Peer {
	t.Helper()
	list, err := Peers(st)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Peer{}
	for _, p := range list {
		out[p.ID] = p
	}
	return out
}
