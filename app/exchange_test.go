package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
)

// fieldSheet is what a volunteer brings back: Bosnian headers, a column
// Registar does not know (Hobi), a person the registry has (Amra, written
// without diacritics), a row repeated in another spelling, and two rows that
// cannot be taken (no family name; 31 February).
const fieldSheet = "Ime;Prezime;Datum rođenja;Država;Spol;Hobi\n" +
	"Amra;Hodzic;01.05.1980.;DE;Ž;\n" +
	"Edin;Hasić;12.03.1985.;Njemačka;M;šah\n" +
	"EDIN;hasic;1985-03-12;DE;m;\n" +
	"Selma;;01.01.1990;Švicarska;F;\n" +
	"Mirza;Delić;31.02.1990;AT;M;\n" +
	"Lejla;Begić;05.06.1992.;AT;Ž;planinarenje\n"

// exchangeOf shows the Import and export screen and returns it.
func exchangeOf(t *testing.T, s *Shell) *exchangeScreen {
	t.Helper()
	s.show("exchange")
	x := exchangeScreens[s]
	if x == nil || s.current != "exchange" {
		t.Fatal("the Import and export screen is not shown")
	}
	return x
}

// loaded is the screen with fieldSheet read, as if chosen in the dialog.
func loaded(t *testing.T, s *Shell) *exchangeScreen {
	t.Helper()
	x := exchangeOf(t, s)
	x.load(strings.NewReader(fieldSheet), "teren.csv")
	if x.sheet == nil || x.plan == nil {
		t.Fatalf("the sheet was not previewed (status %q)", x.statusLabel.Text)
	}
	return x
}

// counts reads the numbers the preview shows.
func counts(x *exchangeScreen) map[string]string {
	out := map[string]string{}
	for k, l := range x.counts {
		if x.countBoxes[k].Visible() {
			out[k] = l.Text
		}
	}
	return out
}

func wantCounts(t *testing.T, x *exchangeScreen, want map[string]string) {
	t.Helper()
	got := counts(x)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s shows %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// answerSave makes the save dialog answer with dir/name, as if the user
// typed name (without .xlsx: the screen must add it).
func answerSave(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	old := exchangeSaveFile
	exchangeSaveFile = func(_ *Shell, _ string, cb func(fyne.URIWriteCloser, error)) {
		w, err := storage.Writer(storage.NewFileURI(filepath.Join(dir, name)))
		cb(w, err)
	}
	t.Cleanup(func() { exchangeSaveFile = old })
	return filepath.Join(dir, name+".xlsx")
}

// sheetRows reads the first sheet of an .xlsx written by the app.
func sheetRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("%s does not open: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExchangePreviewImportAndUndo(t *testing.T) {
	s, w := newTestShell(t)
	addPerson(t, s, "Amra", "Hodžić", "DE") // born 1.5.1980
	x := loaded(t, s)

	if x.mapping.Kind != data.KindPerson || x.kindSel.Selected != "Persons" {
		t.Fatalf("kind guessed: %q, shown %q", x.mapping.Kind, x.kindSel.Selected)
	}
	if got := x.fileLabel.Text; got != "teren.csv: 6 rows" {
		t.Fatalf("file label: %q", got)
	}
	wantCounts(t, x, map[string]string{"rows": "6", "added": "2", "duplicates": "2", "rejected": "2"})
	if _, shown := counts(x)["updated"]; shown {
		t.Error("updates are counted while duplicates are skipped")
	}
	if x.importBtn.Text != "Import 2 records" || x.importBtn.Disabled() {
		t.Fatalf("import button: %q, disabled %v", x.importBtn.Text, x.importBtn.Disabled())
	}
	// The unknown column is offered for mapping, the recognised ones too.
	if len(x.unknown) != 1 || x.sheet.Header[x.unknown[0]] != "Hobi" {
		t.Fatalf("unknown columns: %v", x.unknown)
	}
	if !hasText(x.mapBox, "Columns not recognised (1): choose what each one holds, or leave it out.") {
		t.Error("the unknown column is not announced")
	}
	// Rejected rows come first, with their reasons.
	if r := x.plan.Rows[x.rows[0]]; r.Action.String() != "reject" || x.plan.Rows[x.rows[1]].Action.String() != "reject" {
		t.Fatalf("first rows shown: %v, %v", r.Action, x.plan.Rows[x.rows[1]].Action)
	}
	x.table.Select(widget.TableCellID{Row: 0, Col: 2})
	if !strings.Contains(x.detail.Text, "Row 5: Selma") || !strings.Contains(x.detail.Text, "Family name") {
		t.Fatalf("detail of the first rejected row: %q", x.detail.Text)
	}
	x.filterSel.SetSelected("Skipped as duplicates (2)")
	if len(x.rows) != 2 || x.plan.Rows[x.rows[0]].Row != 2 || x.plan.Rows[x.rows[1]].Row != 4 {
		t.Fatalf("duplicates filter shows %v", x.rows)
	}
	x.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !x.openBtn.Visible() || !strings.Contains(x.detail.Text, "Already in the registry: Amra Hodžić") {
		t.Fatalf("a duplicate of the registry: %q, open button shown %v", x.detail.Text, x.openBtn.Visible())
	}

	// Updating duplicates changes the counts; skipping again restores them.
	x.dupRadio.SetSelected("Update the registry's records")
	wantCounts(t, x, map[string]string{"added": "2", "updated": "1", "unchanged": "0", "duplicates": "1", "rejected": "2"})
	if x.importBtn.Text != "Import 3 records" {
		t.Fatalf("import button with updates: %q", x.importBtn.Text)
	}
	x.dupRadio.SetSelected("Skip them")
	wantCounts(t, x, map[string]string{"added": "2", "duplicates": "2", "rejected": "2"})

	// Map Hobi to the notes.
	x.mapSelects[x.unknown[0]].SetSelected("Notes")
	if x.mapping.Columns[5].Field != "notes" || x.plan == nil || x.plan.Mapping.Columns[5].Field != "notes" {
		t.Fatal("mapping Hobi to notes did not reach the preview")
	}

	// The rejected rows, with the extension the dialog did not add.
	path := answerSave(t, "odbijeni")
	test.Tap(x.rejectsBtn)
	rows := sheetRows(t, path)
	if len(rows) != 3 || rows[1][0] != "Selma" || rows[2][0] != "Mirza" || !strings.Contains(strings.Join(rows[1], "|"), "Family name") {
		t.Fatalf("rejects file: %v", rows)
	}
	if _, err := os.Stat(strings.TrimSuffix(path, ".xlsx")); !os.IsNotExist(err) {
		t.Error("the file without the extension was left behind")
	}

	test.Tap(x.importBtn)
	if n := s.store.Counts()[data.KindPerson]; n != 3 {
		t.Fatalf("persons after import: %d", n)
	}
	if !x.banner.Visible() || x.bannerText.Text != "Imported as one step: 2 new records, 0 updated." {
		t.Fatalf("result: %q", x.bannerText.Text)
	}
	if !x.importBtn.Disabled() || x.dupRadio.Disabled() == false {
		t.Fatal("the import can be written twice, or its choices changed afterwards")
	}
	l := list(t, s, data.KindPerson)
	if got := strings.Join(titles(l), "|"); got != "Amra Hodžić|Edin Hasić|Lejla Begić" {
		t.Fatalf("list after import: %s", got)
	}
	var edin *data.Person
	for _, h := range l.table.Hits() {
		if h.Title == "Edin Hasić" {
			r, _ := s.store.Get(h.ID)
			edin = r.(*data.Person)
		}
	}
	if edin == nil || edin.Notes != "šah" || edin.Country != "DE" {
		t.Fatalf("Edin as imported: %+v", edin)
	}

	// Back on the screen the result waits; undo takes the whole import back.
	x = exchangeOf(t, s)
	if !x.banner.Visible() {
		t.Fatal("the result is gone after visiting the list")
	}
	test.Tap(x.undoBtn)
	if !hasText(w.Canvas().Overlays().Top(), "Undo the import of “teren.csv” made on 20.11.2026. 10:30? The records it added (2) are removed, and the records it changed (0) get back their earlier content.") {
		t.Fatal("the undo is not explained before it is done")
	}
	tapDialog(t, w, "Undo this import")
	if n := s.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons after undo: %d", n)
	}
	if x.banner.Visible() || x.statusLabel.Text != "The import was undone." {
		t.Fatalf("after undo: banner %v, status %q", x.banner.Visible(), x.statusLabel.Text)
	}
	wantCounts(t, x, map[string]string{"added": "2", "duplicates": "2"}) // previewed again
	if x.importBtn.Disabled() {
		t.Fatal("the sheet cannot be imported again after the undo")
	}
	l = list(t, s, data.KindPerson)
	if got := titles(l); len(got) != 1 || got[0] != "Amra Hodžić" {
		t.Fatalf("list after undo: %v", got)
	}
}

func TestExchangeUndoLastImport(t *testing.T) {
	s, w := newTestShell(t)
	x := exchangeOf(t, s)
	if !x.undoLastBtn.Disabled() {
		t.Fatal("Undo last import enabled before any import")
	}

	x = loaded(t, s)
	test.Tap(x.importBtn)
	addPerson(t, s, "Ana", "Kovač", "DE") // work after the import is kept
	x.onUndoLast()
	if x.statusLabel.Text == s.T("exchangeui.busy.find") {
		t.Error("the busy message stays on the status line after the job")
	}
	tapDialog(t, w, "Undo this import")
	if n := s.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons after undoing the last import: %d", n)
	}
	x.onUndoLast()
	if !hasText(w.Canvas().Overlays().Top(), "There is no import to undo.") {
		t.Fatal("an undone import is offered again")
	}
}

func TestExchangeXLSXWithSheetsAndUnknownKind(t *testing.T) {
	s, _ := newTestShell(t)
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Bilješke", "ništa"})
	f.NewSheet("Osobe")
	f.SetSheetRow("Osobe", "A1", &[]any{"Emri", "Mbiemri", "Data e lindjes", "Shteti"})
	f.SetSheetRow("Osobe", "A2", &[]any{"Arbër", "Krasniqi", "12.03.1985.", "Gjermani"})
	f.SetSheetRow("Osobe", "A3", &[]any{"Drita", "Gashi", "01.01.1990", "Zvicra"})
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	x := exchangeOf(t, s)
	x.load(bytes.NewReader(b.Bytes()), "terreni.xlsx")
	if x.sheet == nil || x.sheet.SheetName != "Osobe" || !x.sheetBox.Visible() {
		t.Fatalf("sheet read: %+v", x.sheet)
	}
	wantCounts(t, x, map[string]string{"rows": "2", "added": "2", "rejected": "0"})

	// The other sheet lists nothing Registar knows: the user names the kind
	// and maps the columns.
	x.sheetSel.SetSelected("Sheet1")
	if x.sheet.SheetName != "Sheet1" || x.mapping.Kind != "" || !x.kindHint.Visible() || x.plan != nil {
		t.Fatalf("a sheet of unknown kind: kind %q, plan %v", x.mapping.Kind, x.plan)
	}
	if !x.importBtn.Disabled() {
		t.Fatal("import is possible without a kind")
	}
	x.kindSel.SetSelected("Organisations")
	if x.mapping.Kind != data.KindOrganisation || !x.missing.Visible() || !strings.Contains(x.missing.Text, "Name") {
		t.Fatalf("kind chosen: %q, missing %q", x.mapping.Kind, x.missing.Text)
	}
	if x.statusLabel.Text != "The sheet has no rows under its header." {
		t.Fatalf("status of a sheet without rows: %q", x.statusLabel.Text)
	}
}

func TestExchangeBadFileSaysWhy(t *testing.T) {
	s, w := newTestShell(t)
	x := exchangeOf(t, s)
	x.load(strings.NewReader("PK\x03\x04 this is no workbook"), "terreni.xlsx")
	if x.sheet != nil {
		t.Fatal("a broken file was taken")
	}
	if !hasText(w.Canvas().Overlays().Top(), s.T("exchangeui.error.damaged")) {
		t.Fatal("the error is not explained in a sentence")
	}
}

func TestExchangeCancelWritesNothing(t *testing.T) {
	s, _ := newTestShell(t)
	x := loaded(t, s)
	x.start("Writing…", func(ctx context.Context, _ func(int, int)) error {
		if !x.progress.Visible() || x.busyLabel.Text != "Writing…" || !x.importBtn.Disabled() || x.cancelBtn.Disabled() {
			t.Error("while the job runs, the bar, its message and Cancel are not shown, or Import is enabled")
		}
		x.onCancel() // what the Cancel button does while the job runs
		_, err := x.plan.Apply(ctx, s.store, nil)
		return err
	}, func(err error) { x.finished("importing", err) })
	if n := s.store.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("a cancelled import wrote %d persons", n)
	}
	if x.statusLabel.Text != "Stopped. Nothing was written." || x.busy {
		t.Fatalf("after cancel: status %q, busy %v", x.statusLabel.Text, x.busy)
	}
	// The same preview can still be imported after the cancel.
	test.Tap(x.importBtn)
	if n := s.store.Counts()[data.KindPerson]; n != 3 || x.result == nil {
		t.Fatalf("importing after a cancel wrote %d persons", n)
	}
}

func TestExchangeFollowsLanguage(t *testing.T) {
	s, _ := newTestShell(t)
	loaded(t, s)
	s.setLang(i18n.SQ)
	x := exchangeScreens[s]
	if x.plan.Options.Lang != i18n.SQ || !strings.Contains(strings.Join(x.plan.Rows[3].Reasons, " "), "Mbiemri") {
		t.Fatalf("reasons after switching to Albanian: %v", x.plan.Rows[3].Reasons)
	}
	if x.importBtn.Text != "Importo regjistrimet: 3" || x.kindSel.Selected != "Persona" {
		t.Fatalf("screen in Albanian: %q, %q", x.importBtn.Text, x.kindSel.Selected)
	}
}

func TestExchangeTemplateButton(t *testing.T) {
	s, w := newTestShell(t)
	x := exchangeOf(t, s)
	test.Tap(x.templateBtn)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("the template button offers no kinds")
	}
	w.Canvas().Overlays().Top().Hide()
	path := answerSave(t, "osobe")
	x.onTemplate(data.KindPerson)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("template: %v", err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) < 2 || sheets[1] != "Instructions" {
		t.Fatalf("template sheets: %v", sheets)
	}
	if x.statusLabel.Text != "Saved: osobe.xlsx" {
		t.Fatalf("status after saving: %q", x.statusLabel.Text)
	}
}

func TestExchangeExportButtonWritesFilteredList(t *testing.T) {
	s, w := newTestShell(t)
	addPerson(t, s, "Ana", "Kovač", "DE")
	addPerson(t, s, "Edin", "Hasić", "DE")
	addPerson(t, s, "Mirza", "Delić", "AT")
	addPerson(t, s, "Emina", "Delić", "DE")
	l := list(t, s, data.KindPerson)
	l.filterFor("country").set("DE")
	test.Type(l.search, "e") // Edin, Emina (Ana Kovač has no "e…" word)
	if got := titles(l); len(got) != 2 {
		t.Fatalf("the list shows %v", got)
	}
	path := answerSave(t, "izvoz")
	b := findButton(l.ui, "Export")
	if b == nil {
		t.Fatal("the list has no Export button")
	}
	test.Tap(b)
	rows := sheetRows(t, path)
	if len(rows) != 3 {
		t.Fatalf("export has %d rows: %v", len(rows), rows)
	}
	var names []string
	for _, r := range rows[1:] {
		names = append(names, strings.Join(r, "|"))
	}
	all := strings.Join(names, "\n")
	if !strings.Contains(all, "Edin") || !strings.Contains(all, "Emina") || strings.Contains(all, "Mirza") {
		t.Fatalf("exported rows:\n%s", all)
	}
	if !hasText(w.Canvas().Overlays().Top(), "2 records exported to izvoz.xlsx.") {
		t.Fatal("the export does not say what it wrote")
	}
}

// A fresh registry and the first field sheet: the preview names the local
// communities it will add, the office may reject those rows instead, and
// the import adds them with the persons.
func TestExchangeNewLocalities(t *testing.T) {
	s, _ := newTestShell(t)
	s.office.Municipality = "Cazin"
	x := exchangeOf(t, s)
	x.load(strings.NewReader("Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\n"+
		"Amir;Hodžić;12.03.1985.;Njemačka;Cazin\n"+
		"Emina;Begić;01.01.1990;Austrija;Pećigrad\n"+
		"Senad;Mujić;02.02.1970;Švedska;Пећиград\n"), "teren.csv")
	if x.plan == nil {
		t.Fatalf("no preview (status %q)", x.statusLabel.Text)
	}
	if !x.newLocBox.Visible() || x.newLocRadio.Selected != "Add them (municipality Cazin)" {
		t.Fatalf("the choice: shown %v, selected %q", x.newLocBox.Visible(), x.newLocRadio.Selected)
	}
	if !x.newLocList.Visible() || !strings.HasPrefix(x.newLocList.Text, "New local communities: 2 — Cazin, Pećigrad.") {
		t.Fatalf("the list: shown %v, %q", x.newLocList.Visible(), x.newLocList.Text)
	}
	wantCounts(t, x, map[string]string{"added": "3", "rejected": "0"})

	x.newLocRadio.SetSelected("Reject the rows that name them")
	wantCounts(t, x, map[string]string{"added": "0", "rejected": "3"})
	if x.newLocList.Visible() {
		t.Error("new local communities listed while they are rejected")
	}
	x.newLocRadio.SetSelected("Add them (municipality Cazin)")
	wantCounts(t, x, map[string]string{"added": "3"})

	test.Tap(x.importBtn)
	if x.result == nil {
		t.Fatalf("not imported: %q", x.statusLabel.Text)
	}
	if c := s.store.Counts(); c[data.KindPerson] != 3 || c[data.KindLocality] != 2 {
		t.Fatalf("after import: %v", c)
	}
}

// ODK Collect's instances copied from a phone, chosen as a folder: the
// screen says what it read, imports the persons, and the same folder again
// passes over every submission, saying so.
func TestExchangeInstanceFolder(t *testing.T) {
	s, _ := newTestShell(t)
	s.office.Municipality = "Cazin"
	x := exchangeOf(t, s)
	folder := filepath.Join("..", "data", "exchange", "testdata", "field", "instances")
	x.loadPath(folder)
	if x.plan == nil || x.mapping.Kind != data.KindPerson {
		t.Fatalf("not previewed: kind %q, status %q", x.mapping.Kind, x.statusLabel.Text)
	}
	if got := x.originLabel.Text; !x.originLabel.Visible() || !strings.HasPrefix(got, "ODK Collect submissions from a phone, form registar-persons") {
		t.Fatalf("source %q", got)
	}
	added := x.plan.Counts.Added
	if added == 0 || x.plan.Counts.Rejected != 0 {
		t.Fatalf("counts %+v %+v", x.plan.Counts, x.plan.Rejected())
	}
	test.Tap(x.importBtn)
	if x.result == nil || s.store.Counts()[data.KindPerson] != added {
		t.Fatalf("not imported: %q, %v", x.statusLabel.Text, s.store.Counts())
	}
	x.loadPath(folder)
	if x.plan.Counts.Added != 0 || x.plan.Counts.AlreadyImported != added {
		t.Fatalf("again: %+v", x.plan.Counts)
	}
	if got := x.originLabel.Text; !strings.Contains(got, "imported before (passed over): "+strconv.Itoa(added)) {
		t.Fatalf("source again %q", got)
	}
}
