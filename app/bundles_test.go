package app

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/bundle"
	"registar/data/i18n"
	"registar/data/store"
)

// laptopShell is a second laptop: its own in-memory registry and window in
// the test's app, named name.
func bundleLaptop(t *testing.T, a fyne.App, name string) *Shell {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true, User: strings.ToLower(name), Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetLaptopName(name); err != nil {
		t.Fatal(err)
	}
	w := a.NewWindow("Registar " + name)
	w.Resize(fyne.NewSize(1100, 720))
	s := New(a, w, st)
	s.inline = true
	return s
}

// twoLaptops is the office (in English) and a volunteer's laptop.
func bundleLaptops(t *testing.T) (office, amra *Shell) {
	t.Helper()
	office, _ = newTestShell(t)
	if err := office.store.SetLaptopName("Office"); err != nil {
		t.Fatal(err)
	}
	return office, bundleLaptop(t, office.app, "Amra")
}

// bundlesOf shows the Bundles screen of a laptop and returns it.
func bundleScreenOf(t *testing.T, s *Shell) *bundlesScreen {
	t.Helper()
	b := newBundlesScreen(s)
	s.showPage(b.buildUI(), nil)
	return b
}

// sendAll exports the whole registry of a laptop through its Send tab.
func bundleSendAll(t *testing.T, s *Shell, pass string) []byte {
	t.Helper()
	b := bundleScreenOf(t, s)
	x := b.send
	x.what.SetSelected(s.T("bundle.export.everything"))
	x.pass.SetText(pass)
	var buf bytes.Buffer
	x.exportTo(&buf, "test"+bundleExt, nil)
	want := s.T("bundleui.send.done", "file", "test"+bundleExt, "n", "")
	if !strings.HasPrefix(x.status.Text, want[:strings.Index(want, ":")]) {
		t.Fatalf("after export the Send tab says %q", x.status.Text)
	}
	return buf.Bytes()
}

// receive opens a bundle in a laptop's Receive tab and checks its preview.
func bundleReceiveRaw(t *testing.T, s *Shell, raw []byte) *bundlesScreen {
	t.Helper()
	b := bundleScreenOf(t, s)
	b.receive.load(raw, "test"+bundleExt)
	if b.receive.report == nil {
		t.Fatalf("no preview; the tab says %q", b.receive.status.Text)
	}
	return b
}

func bundleCounts(x *bundleReceive) map[string]string {
	out := map[string]string{}
	for k, l := range x.counts {
		out[k] = l.Text
	}
	return out
}

func TestBundleSendReceiveMergeAndUndo(t *testing.T) {
	office, amra := bundleLaptops(t)
	addPerson(t, office, "Selma", "Begić", "CH")
	addPerson(t, amra, "Ђорђе", "Петровић", "RS")
	addPerson(t, amra, "Berat", "Çelik", "DE")

	raw := bundleSendAll(t, amra, "")
	if _, err := bundle.ReadInfo(bytes.NewReader(raw)); err != nil {
		t.Fatalf("the Send tab wrote no bundle: %v", err)
	}
	b := bundleReceiveRaw(t, office, raw)
	x := b.receive
	if !strings.Contains(x.from.Text, "Amra") {
		t.Fatalf("the bundle's sender: %q", x.from.Text)
	}
	if c := bundleCounts(x); c["added"] != "2" || c["updated"] != "0" || c["conflicts"] != "0" {
		t.Fatalf("preview counts: %v", c)
	}
	if len(x.rows) != 2 || x.merge.Hidden || x.merge.Disabled() {
		t.Fatalf("preview rows %v, merge button hidden %v", x.rows, x.merge.Hidden)
	}
	if n := office.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("the preview wrote: %d persons", n)
	}

	test.Tap(x.merge)
	if n := office.store.Counts()[data.KindPerson]; n != 3 {
		t.Fatalf("persons after the merge: %d", n)
	}
	if !x.merge.Hidden || x.undo.Hidden || x.status.Text != office.T("bundleui.receive.done", "laptop", "Amra") {
		t.Fatalf("after the merge: merge hidden %v, undo hidden %v, status %q", x.merge.Hidden, x.undo.Hidden, x.status.Text)
	}
	l := list(t, office, data.KindPerson)
	if got := titles(l); !contains(got, "Ђорђе Петровић") || !contains(got, "Berat Çelik") {
		t.Fatalf("the list after the merge: %v", got)
	}

	// Merging the same bundle again changes nothing.
	b = bundleReceiveRaw(t, office, raw)
	if !b.receive.merge.Disabled() || b.receive.status.Text != office.T("bundle.merge.nothing") {
		t.Fatalf("the same bundle again: merge enabled %v, status %q", !b.receive.merge.Disabled(), b.receive.status.Text)
	}

	// Undo this merge, from the first screen.
	test.Tap(x.undo)
	tapDialog(t, office.window, office.T("bundle.merge.undo"))
	if n := office.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons after undo: %d", n)
	}
	if x.status.Text != office.T("bundleui.undo.done") || x.merge.Hidden || x.merge.Disabled() {
		t.Fatalf("after undo: status %q, merge hidden %v", x.status.Text, x.merge.Hidden)
	}
}

func TestBundleConflictResolvedWithFieldsFromEach(t *testing.T) {
	office, amra := bundleLaptops(t)
	p := addPerson(t, office, "Selma", "Begić", "CH")
	test.Tap(bundleReceiveRaw(t, amra, bundleSendAll(t, office, "")).receive.merge)

	// Both laptops change the same person.
	mine := bundleGet(t, office, p.ID).(*data.Person)
	mine.City, mine.Email = "Zürich", "selma@example.ch"
	bundleSave(t, office, mine)
	theirs := bundleGet(t, amra, p.ID).(*data.Person)
	theirs.City, theirs.Phone, theirs.Profession = "Basel", "+41791234567", "Učiteljica"
	bundleSave(t, amra, theirs)

	b := bundleReceiveRaw(t, office, bundleSendAll(t, amra, ""))
	if c := bundleCounts(b.receive); c["conflicts"] != "1" {
		t.Fatalf("preview counts: %v", c)
	}
	test.Tap(b.receive.merge)
	if b.receive.toConf.Hidden {
		t.Fatal("no way to the conflicts after a merge with one")
	}
	test.Tap(b.receive.toConf)
	if b.tabs.SelectedIndex() != bundleTabConflicts {
		t.Fatalf("tab shown: %d", b.tabs.SelectedIndex())
	}
	x := b.conflicts
	if len(x.items) != 1 || x.chosen == nil || x.chosen.ID != p.ID {
		t.Fatalf("conflicts listed: %d", len(x.items))
	}
	if got := b.tabs.Items[bundleTabConflicts].Text; got != "Conflicts (1)" {
		t.Fatalf("tab title %q", got)
	}
	g := x.grid
	for _, f := range []string{"city", "phone", "profession"} {
		if !contains(g.differ, f) {
			t.Fatalf("%s is not shown as differing: %v", f, g.differ)
		}
	}
	if !hasText(x.detail, "Zürich") || !hasText(x.detail, "Basel") || !hasText(x.detail, "Switzerland") {
		t.Fatal("the versions are not shown side by side in words")
	}
	for _, f := range g.differ {
		if got := g.marked(f); len(got) != 1 || got[0] != 0 {
			t.Fatalf("%s marked %v: by default this laptop's version is kept", f, got)
		}
	}
	// Keep our e-mail, take their city and phone, keep our profession.
	test.Tap(g.checks["city"][1])
	test.Tap(g.checks["phone"][1])
	if got := g.marked("city"); len(got) != 1 || got[0] != 1 {
		t.Fatalf("city marked %v: a field takes one version", got)
	}
	test.Tap(x.takeMark)

	r := bundleGet(t, office, p.ID).(*data.Person)
	if r.City != "Basel" || r.Phone != "+41791234567" || r.Email != "selma@example.ch" || r.Profession != "Inženjer" {
		t.Fatalf("resolved: city %q phone %q email %q profession %q", r.City, r.Phone, r.Email, r.Profession)
	}
	if cs, _ := bundle.ListConflicts(office.store); len(cs) != 0 {
		t.Fatalf("conflicts left: %d", len(cs))
	}
	if len(x.items) != 0 || x.status.Text != office.T("bundleui.conflict.resolved", "name", "Selma Begić") {
		t.Fatalf("after resolving: %d listed, status %q", len(x.items), x.status.Text)
	}
	if got := b.tabs.Items[bundleTabConflicts].Text; got != "Conflicts" {
		t.Fatalf("tab title %q", got)
	}
}

func TestBundleConflictTakeTheirs(t *testing.T) {
	office, amra := bundleLaptops(t)
	p := addPerson(t, office, "Selma", "Begić", "CH")
	test.Tap(bundleReceiveRaw(t, amra, bundleSendAll(t, office, "")).receive.merge)
	mine := bundleGet(t, office, p.ID).(*data.Person)
	mine.City = "Zürich"
	bundleSave(t, office, mine)
	theirs := bundleGet(t, amra, p.ID).(*data.Person)
	theirs.City = "Basel"
	bundleSave(t, amra, theirs)
	test.Tap(bundleReceiveRaw(t, office, bundleSendAll(t, amra, "")).receive.merge)

	b := bundleScreenOf(t, office)
	b.showTab(bundleTabConflicts)
	// Someone edits the record meanwhile: the conflict is shown again.
	mine = bundleGet(t, office, p.ID).(*data.Person)
	mine.Notes = "Called on Monday."
	bundleSave(t, office, mine)
	take := findButton(b.conflicts.detail, office.T("bundle.conflict.take_theirs"))
	test.Tap(take)
	if b.conflicts.status.Text != office.T("bundleui.conflict.moved") {
		t.Fatalf("a stale resolution says %q", b.conflicts.status.Text)
	}
	test.Tap(findButton(b.conflicts.detail, office.T("bundle.conflict.take_theirs")))
	r := bundleGet(t, office, p.ID).(*data.Person)
	if r.City != "Basel" || r.Notes != "" {
		t.Fatalf("took theirs: city %q notes %q", r.City, r.Notes)
	}
}

func TestBundleSealedAndRefused(t *testing.T) {
	office, amra := bundleLaptops(t)
	addPerson(t, amra, "Amra", "Hodžić", "DE")
	raw := bundleSendAll(t, amra, "tajna")

	b := bundleScreenOf(t, office)
	x := b.receive
	x.load(raw, "sealed"+bundleExt)
	if x.report != nil || x.passRow.Hidden {
		t.Fatal("a sealed bundle was read without asking for its passphrase")
	}
	test.Type(x.pass, "wrong")
	test.Tap(x.check)
	if x.passMsg.Hidden || x.passMsg.Text != bundle.Message(bundle.ErrWrongPassphrase, i18n.EN) {
		t.Fatalf("wrong passphrase says %q", x.passMsg.Text)
	}
	x.pass.SetText("tajna")
	test.Tap(x.check)
	if x.report == nil || bundleCounts(x)["added"] != "1" {
		t.Fatalf("the right passphrase gives %v", bundleCounts(x))
	}

	// Its own bundle, a damaged one and another file are refused, with a
	// sentence in the user's language.
	for _, c := range []struct {
		s   *Shell
		raw []byte
		err *bundle.Error
	}{{amra, raw, bundle.ErrOwnBundle}, {office, raw[:len(raw)-40], bundle.ErrDamaged}, {office, []byte("hello"), bundle.ErrNotABundle}} {
		c.s.setLang(i18n.BS)
		b := bundleScreenOf(t, c.s)
		b.receive.load(c.raw, "x"+bundleExt)
		if !b.receive.passRow.Hidden {
			b.receive.pass.SetText("tajna")
			test.Tap(b.receive.check)
		}
		if b.receive.report != nil {
			t.Fatalf("%v: a preview was made", c.err)
		}
		ov := c.s.window.Canvas().Overlays()
		if !hasText(ov.Top(), i18n.T(i18n.BS, c.err.Key())) {
			t.Fatalf("%v is not told in Bosnian", c.err)
		}
		ov.Remove(ov.Top())
	}
}

func TestBundleDuplicatesMergedIntoOne(t *testing.T) {
	office, amra := bundleLaptops(t)
	mine := addPerson(t, office, "Amra", "Hodžić", "DE")
	other := &data.Person{GivenName: "AMRA", FamilyName: "Hodzic", Country: "DE", City: "Berlin",
		Gender: "f", BirthDate: data.NewDate(1980, 5, 1), Email: "amra@example.de", Tags: []string{"mentor"}}
	bundleSave(t, amra, other)
	mine.Tags = []string{"investor"}
	bundleSave(t, office, mine)

	b := bundleReceiveRaw(t, office, bundleSendAll(t, amra, ""))
	if c := bundleCounts(b.receive); c["duplicates"] != "1" || c["added"] != "1" {
		t.Fatalf("preview counts: %v", c)
	}
	test.Tap(b.receive.merge)
	test.Tap(b.receive.toDupes)
	x := b.dupes
	if len(x.items) != 1 || x.chosen == nil {
		t.Fatalf("duplicates listed: %d", len(x.items))
	}
	g := x.grid
	// The defaults are Combine's: our city, their e-mail, both tags.
	if got := g.marked("city"); len(got) != 1 || got[0] != 0 {
		t.Fatalf("city marked %v", got)
	}
	if got := g.marked("email"); len(got) != 1 || got[0] != 1 {
		t.Fatalf("e-mail marked %v", got)
	}
	if got := g.marked("tags"); len(got) != 2 {
		t.Fatalf("tags marked %v", got)
	}
	test.Tap(g.checks["city"][1]) // their city
	test.Tap(x.intoRite)

	kept := bundleGet(t, office, other.ID).(*data.Person)
	if kept.City != "Berlin" || kept.Email != "amra@example.de" || len(kept.Tags) != 2 || kept.GivenName != "Amra" {
		t.Fatalf("merged: %+v", kept)
	}
	if r := bundleGet(t, office, mine.ID); !r.Base().Trashed() {
		t.Fatal("the other record is not in the trash")
	}
	if len(x.items) != 0 || x.undo.Hidden {
		t.Fatalf("after merging: %d pairs, undo hidden %v", len(x.items), x.undo.Hidden)
	}
	test.Tap(x.undo)
	if r := bundleGet(t, office, mine.ID); r.Base().Trashed() || len(x.items) != 1 {
		t.Fatalf("undo: trashed %v, %d pairs", r.Base().Trashed(), len(x.items))
	}
}

func TestBundleSendKnowsPeersAndSaveAddsExtension(t *testing.T) {
	office, amra := bundleLaptops(t)
	addPerson(t, amra, "Amra", "Hodžić", "DE")
	test.Tap(bundleReceiveRaw(t, office, bundleSendAll(t, amra, "")).receive.merge)

	b := bundleScreenOf(t, office)
	x := b.send
	if len(x.peers) != 1 || x.what.Selected != office.T("bundleui.send.to", "laptop", "Amra") {
		t.Fatalf("peers %v, chosen %q", x.peers, x.what.Selected)
	}
	if !hasText(x.peerBox, "Amra") {
		t.Fatal("the laptops list does not show Amra")
	}
	x.what.SetSelected(office.T("bundleui.send.since"))
	test.Type(x.since.Entry, "31.02.2026")
	if !x.save.Disabled() || x.hint.Text != office.T("bundleui.send.baddate") {
		t.Fatalf("a bad day: save enabled %v, hint %q", !x.save.Disabled(), x.hint.Text)
	}
	x.what.SetSelectedIndex(0)

	// The save dialog: cancel does nothing; a name without the extension
	// gets it.
	dir := t.TempDir()
	answer := func(w fyne.URIWriteCloser, err error) {}
	defer func(old func(*Shell, string, func(fyne.URIWriteCloser, error))) { bundleSaveDialog = old }(bundleSaveDialog)
	bundleSaveDialog = func(s *Shell, name string, cb func(fyne.URIWriteCloser, error)) {
		if !strings.HasPrefix(name, "registar-office-") || !strings.HasSuffix(name, bundleExt) {
			t.Errorf("proposed name %q", name)
		}
		answer = cb
	}
	test.Tap(x.save)
	answer(nil, nil)
	if x.status.Text != "" {
		t.Fatalf("cancel says %q", x.status.Text)
	}
	test.Tap(x.save)
	w, err := storage.Writer(storage.NewFileURI(filepath.Join(dir, "for-amra")))
	if err != nil {
		t.Fatal(err)
	}
	answer(w, nil)
	if _, err := os.Stat(filepath.Join(dir, "for-amra")); !os.IsNotExist(err) {
		t.Fatalf("the empty file without extension stays: %v", err)
	}
	f, err := os.Open(filepath.Join(dir, "for-amra"+bundleExt))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := bundle.ReadInfo(f)
	if err != nil || info.LaptopName != "Office" {
		t.Fatalf("the file written: %+v, %v", info, err)
	}
	amraID, _ := amra.store.LaptopID()
	if info.To != amraID {
		t.Fatalf("the bundle is for %q", info.To)
	}
	peers, _ := bundle.Peers(office.store)
	if len(peers) != 1 || peers[0].Sent.IsZero() {
		t.Fatalf("not remembered as sent: %+v", peers)
	}
}

func TestBundleScreenInNavigation(t *testing.T) {
	s, w := newTestShell(t)
	s.setLang(i18n.SR)
	s.show("bundles")
	if !hasText(w.Content(), s.T("bundleui.send.save")) || !strings.Contains(s.T("bundleui.send.save"), "…") {
		t.Fatal("the Bundles screen is not shown from the navigation, in Serbian")
	}
}

func bundleGet(t *testing.T, s *Shell, id string) data.Record {
	t.Helper()
	r, err := s.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func bundleSave(t *testing.T, s *Shell, r data.Record) {
	t.Helper()
	if err := s.store.Save(r); err != nil {
		t.Fatal(err)
	}
}

// A bundle bigger than a step (a whole registry: a new laptop catching up)
// is previewed and merged from the file in batches, never read whole, and
// Undo this merge takes back every batch.
func TestBundleWholeRegistryMergedFromDiskInBatches(t *testing.T) {
	defer bundle.SetMergeBatch(2)()
	office, amra := bundleLaptops(t)
	addPerson(t, office, "Selma", "Begić", "CH")
	for _, n := range []string{"Amir", "Ђорђе", "Berat", "Lejla", "Drita"} {
		addPerson(t, amra, n, "Hodžić", "AT")
	}
	path := filepath.Join(t.TempDir(), "amra"+bundleExt)
	if err := os.WriteFile(path, bundleSendAll(t, amra, ""), 0o600); err != nil {
		t.Fatal(err)
	}
	x := bundleScreenOf(t, office).receive
	x.loadFile(path)
	if x.report == nil || x.raw != nil || x.path != path || x.bundle != nil {
		t.Fatalf("a bundle over a batch: report %v, held in memory %v, path %q; the tab says %q", x.report != nil, x.raw != nil || x.bundle != nil, x.path, x.status.Text)
	}
	if c := bundleCounts(x); c["added"] != "5" || c["conflicts"] != "0" {
		t.Fatalf("preview counts: %v", c)
	}
	if n := office.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("the preview wrote: %d persons", n)
	}

	test.Tap(x.merge)
	if n := office.store.Counts()[data.KindPerson]; n != 6 {
		t.Fatalf("persons after the merge: %d", n)
	}
	if len(x.report.Steps) < 3 || x.undo.Hidden || x.status.Text != office.T("bundleui.receive.done", "laptop", "Amra") {
		t.Fatalf("after the merge: %d steps, undo hidden %v, status %q", len(x.report.Steps), x.undo.Hidden, x.status.Text)
	}
	if got := titles(list(t, office, data.KindPerson)); !contains(got, "Ђорђе Hodžić") || !contains(got, "Drita Hodžić") {
		t.Fatalf("the list after the merge: %v", got)
	}

	test.Tap(x.undo)
	tapDialog(t, office.window, office.T("bundle.merge.undo"))
	if n := office.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons after undoing every batch: %d", n)
	}
	if x.merged || x.report == nil || bundleCounts(x)["added"] != "5" || x.merge.Hidden || x.merge.Disabled() {
		t.Fatalf("after undo the bundle is previewed again: merged %v, counts %v", x.merged, bundleCounts(x))
	}
}

// The table of what a merge does shows a thousand records of a list and
// says how many more.
func TestBundleItemRowsCapped(t *testing.T) {
	office, _ := bundleLaptops(t)
	x := bundleScreenOf(t, office).receive
	rep := &bundle.Report{Added: make([]bundle.Item, maxItemRows+25), Updated: make([]bundle.Item, 3)}
	for i := range rep.Added {
		rep.Added[i] = bundle.Item{ID: strconv.Itoa(i), Kind: data.KindPerson, Title: "P" + strconv.Itoa(i)}
	}
	rows := x.itemRows(rep)
	if len(rows) != maxItemRows+1+3 {
		t.Fatalf("%d rows for %d added and 3 updated", len(rows), len(rep.Added))
	}
	if more := rows[maxItemRows]; more.title != office.T("bundleui.item.more", "n", "25") || more.what != office.T("bundleui.item.added") {
		t.Fatalf("the line after the first thousand: %+v", more)
	}
	// The app keeps only what it shows of a report (Trim): the same lines
	// and the same counts.
	counts := rep.Counts()
	rep.Trim(maxItemRows)
	if len(rep.Added) != maxItemRows || rep.AddedMore != 25 || !rep.Changed() {
		t.Fatalf("trimmed: %d added kept, %d more", len(rep.Added), rep.AddedMore)
	}
	if got := rep.Counts(); !maps.Equal(got, counts) {
		t.Fatalf("counts after Trim %v, before %v", got, counts)
	}
	if got := x.itemRows(rep); !slices.Equal(got, rows) {
		t.Fatalf("lines after Trim differ: %d lines, %d before", len(got), len(rows))
	}
}
