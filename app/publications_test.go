package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"registar/data"
	"registar/data/i18n"
	"registar/reports"
)

// publicationsScreen is the app on a registry of a few persons, some of
// whom consented to publication, with the Publications screen shown.
func publicationsScreen(t *testing.T) (*Shell, *pubScreen) {
	t.Helper()
	s, _ := newTestShell(t)
	t.Cleanup(func() { delete(pubScreens, s) })
	publish := data.Consent{Given: true, Date: data.NewDate(2026, 6, 1), How: "written"}
	for _, p := range []*data.Person{
		{GivenName: "Ђорђе", FamilyName: "Петровић", Country: "AT", City: "Wien", Profession: "Инжењер", ConsentPublish: publish},
		{GivenName: "Mërgim", FamilyName: "Krasniqi", Country: "DE", City: "München", ConsentPublish: publish},
		{GivenName: "Skrivena", FamilyName: "Osoba", Country: "DE", City: "Berlin"},
	} {
		p.Gender, p.BirthDate = "m", data.NewDate(1980, 5, 1)
		if err := s.store.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	s.showNow("publications")
	p := pubScreens[s]
	if p == nil {
		t.Fatal("the publications screen keeps no state")
	}
	return s, p
}

// A pocket book in Serbian Cyrillic is made through the screen, shown with
// its page count and entries, and saved with ".pdf" added to the name typed.
func TestPublicationPocketBookSerbian(t *testing.T) {
	s, p := publicationsScreen(t)
	p.pubSel.SetSelectedIndex(0)
	if p.pub != reports.PocketBook {
		t.Fatalf("publication %s", p.pub)
	}
	p.langSel.SetSelected(i18n.SR.Name())
	if p.lang != i18n.SR {
		t.Fatalf("language %s", p.lang)
	}
	test.Tap(p.previewBtn)
	r := p.result
	if r == nil {
		t.Fatalf("no PDF; info says %q", p.info.Text)
	}
	if !bytes.HasPrefix(r.pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", r.pdf[:min(len(r.pdf), 20)])
	}
	if r.info.Entries != 2 {
		t.Errorf("%d entries, want the 2 persons who consented", r.info.Entries)
	}
	if !strings.Contains(p.info.Text, "Pages: ") || !strings.Contains(p.info.Text, "Entries: 2") {
		t.Errorf("info label %q", p.info.Text)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text := pdfText(t, r.pdf)
		for _, want := range []string{"Џепни водич", "Петровић", "Krasniqi"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		if strings.Contains(text, "Skrivena") {
			t.Error("a person without consent is published")
		}
	}

	// Save: the name typed lacks the extension; the file gets it and the
	// bytes previewed, and the empty file the dialog made is gone.
	dir := t.TempDir()
	typed := filepath.Join(dir, "vodic")
	answer(t, func(name string) (fyne.URIWriteCloser, error) {
		if !strings.HasSuffix(name, ".pdf") {
			t.Errorf("proposed name %q", name)
		}
		return storage.Writer(storage.NewFileURI(typed))
	})
	test.Tap(p.saveBtn)
	got, err := os.ReadFile(typed + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, r.pdf) {
		t.Error("the file saved is not the PDF previewed")
	}
	if _, err := os.Stat(typed); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the empty file without extension is left: %v", err)
	}
	if !strings.Contains(p.info.Text, "vodic.pdf") {
		t.Errorf("info after saving: %q", p.info.Text)
	}
	if p.result != r {
		t.Error("saving made the PDF again")
	}
	if got := s.app.Preferences().String(prefPubFolder); !strings.HasSuffix(strings.TrimSuffix(got, "/"), filepath.Base(dir)) {
		t.Errorf("folder remembered: %q", got)
	}
}

// cancellingSource is a registry whose reading is interrupted by a tap on
// Cancel, as a clerk would while a long pocket book is made.
type cancellingSource struct {
	reports.Source
	onRead func()
}

func (c cancellingSource) Each(k data.Kind, fn func(data.Record) error) error {
	c.onRead()
	return c.Source.Each(k, fn)
}

// Cancel stops the work: no PDF, a sentence saying so, the buttons back.
func TestPublicationCancel(t *testing.T) {
	s, p := publicationsScreen(t)
	reads := 0
	p.src = cancellingSource{Source: s.store, onRead: func() {
		reads++
		if p.cancelBtn.Hidden || p.working.Hidden {
			t.Error("Cancel is not shown while working")
		}
		if !p.previewBtn.Disabled() {
			t.Error("Preview can be tapped twice")
		}
		test.Tap(p.cancelBtn)
	}}
	test.Tap(p.previewBtn)
	if reads == 0 {
		t.Fatal("the source was not read")
	}
	if p.result != nil {
		t.Fatal("a cancelled job left a PDF")
	}
	if !strings.Contains(p.info.Text, i18n.T(i18n.EN, "pubui.cancelled")) {
		t.Errorf("info %q", p.info.Text)
	}
	if p.busy || p.previewBtn.Disabled() || !p.working.Hidden {
		t.Error("the screen stays busy")
	}
	// Save after a cancel makes the PDF; a cancelled dialog writes nothing.
	p.src = nil
	asked := false
	answer(t, func(string) (fyne.URIWriteCloser, error) { asked = true; return nil, nil })
	test.Tap(p.saveBtn)
	if !asked || p.result == nil {
		t.Fatalf("asked %v, result %v", asked, p.result != nil)
	}
}

// Choices that change after a preview make Save generate anew, with them.
func TestPublicationSaveAfterChange(t *testing.T) {
	_, p := publicationsScreen(t)
	test.Tap(p.previewBtn)
	first := p.result
	p.bookletRadio.SetSelected(reports.LongEdge.Title(i18n.EN))
	if !strings.Contains(p.info.Text, i18n.T(i18n.EN, "pubui.stale")) {
		t.Errorf("a stale preview is not marked: %q", p.info.Text)
	}
	dir := t.TempDir()
	answer(t, func(string) (fyne.URIWriteCloser, error) {
		return storage.Writer(storage.NewFileURI(filepath.Join(dir, "book.PDF")))
	})
	test.Tap(p.saveBtn)
	r := p.result
	if r == first || r == nil || r.booklet != reports.LongEdge {
		t.Fatal("Save did not make the booklet")
	}
	if r.info.Sheets == 0 || r.info.Pages%8 != 0 {
		t.Errorf("A6 booklet: %+v", r.info)
	}
	if !strings.Contains(p.info.Text, "A4 sheets") {
		t.Errorf("info %q", p.info.Text)
	}
	got, err := os.ReadFile(filepath.Join(dir, "book.PDF"))
	if err != nil || !bytes.Equal(got, r.pdf) {
		t.Errorf("saved %d bytes, %v", len(got), err)
	}
}

// The pocket book's own choices reach reports.Options; the defaults leave
// the reports package its own.
func TestPublicationOptions(t *testing.T) {
	s, p := publicationsScreen(t)
	s.office = data.Office{Name: "Ured", Logo: []byte{1, 2, 3}}
	opt := p.options()
	if opt.Lang != i18n.EN || opt.Size != reports.A6 || opt.Booklet != reports.NoBooklet {
		t.Errorf("defaults %+v", opt)
	}
	if opt.Fields != nil || len(opt.Kinds) != 3 || opt.Countries != nil {
		t.Errorf("pocket book defaults: fields %v kinds %v countries %v", opt.Fields, opt.Kinds, opt.Countries)
	}
	if opt.Office.Name != "Ured" || len(opt.Office.Logo) != 3 {
		t.Errorf("office %+v", opt.Office)
	}
	test.Type(p.titleEntry, "Vodič 2026")
	test.Type(p.forewordEntry, "Dragi prijatelji")
	test.Tap(p.kindChecks[data.KindPerson])
	test.Tap(p.fieldChecks[reports.FieldAddress])
	p.countries = []string{"DE"}
	p.sizeRadio.SetSelected("A5")
	opt = p.options()
	if opt.Title != "Vodič 2026" || opt.Foreword != "Dragi prijatelji" || opt.Size != reports.A5 {
		t.Errorf("title %q foreword %q size %s", opt.Title, opt.Foreword, opt.Size)
	}
	if len(opt.Kinds) != 2 || len(opt.Fields) != len(reports.PocketBookFields)-1 || opt.Countries[0] != "DE" {
		t.Errorf("kinds %v fields %v countries %v", opt.Kinds, opt.Fields, opt.Countries)
	}
	for _, k := range pubKinds {
		if p.kinds[k] {
			test.Tap(p.kindChecks[k])
		}
	}
	if !p.previewBtn.Disabled() || !strings.Contains(p.info.Text, i18n.T(i18n.EN, "pubui.nokinds")) {
		t.Errorf("no kind ticked: Preview enabled, info %q", p.info.Text)
	}
	// The statistics report has one size and no pocket book options.
	p.pubSel.SetSelected(reports.Statistics.Title(i18n.EN))
	if p.size != reports.A4 || !p.bookCard.Hidden || p.previewBtn.Disabled() {
		t.Errorf("statistics: size %s, options shown %v", p.size, !p.bookCard.Hidden)
	}
	if opt := p.options(); opt.Title != "" || opt.Kinds != nil {
		t.Errorf("statistics options %+v", opt)
	}
}

// The choices survive a change of UI language; the publication's language
// follows the UI's until it is chosen.
func TestPublicationChoicesKept(t *testing.T) {
	s, p := publicationsScreen(t)
	p.pubSel.SetSelected(reports.Brochure.Title(i18n.EN))
	s.setLang(i18n.SQ)
	if p.pub != reports.Brochure || p.lang != i18n.SQ || p.pubSel.Selected != reports.Brochure.Title(i18n.SQ) {
		t.Errorf("after the change: %s %s %q", p.pub, p.lang, p.pubSel.Selected)
	}
	p.langSel.SetSelected(i18n.SR.Name())
	s.setLang(i18n.BS)
	if p.lang != i18n.SR {
		t.Errorf("the chosen language became %s", p.lang)
	}
	if p.titleEntry.PlaceHolder != i18n.T(i18n.SR, "report.brochure.title") {
		t.Errorf("title placeholder %q", p.titleEntry.PlaceHolder)
	}
}

// The country list shows CLDR names, those of the registry first with
// their counts; typing narrows it, ticks choose, OK keeps them.
func TestPublicationCountries(t *testing.T) {
	s, p := publicationsScreen(t)
	s.setLang(i18n.BS)
	if p.countriesText.Text != i18n.T(i18n.BS, "pubui.countries.all") {
		t.Errorf("summary %q", p.countriesText.Text)
	}
	test.Tap(findButton(s.window.Canvas().Content(), i18n.T(i18n.BS, "pubui.countries.choose")))
	top := s.window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no country list")
	}
	var find *widget.Entry
	walk(top, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && find == nil {
			find = e
		}
	})
	first := findCheck(top, "Njemačka (2)")
	if first == nil {
		t.Fatal("Germany is not listed with its 2 records")
	}
	test.Tap(first)
	test.Type(find, "austr")
	austria := findCheck(top, "Austrija (1)")
	if austria == nil || findCheck(top, "Njemačka (2)") != nil {
		t.Fatal("typing does not narrow the list")
	}
	test.Tap(austria)
	test.Tap(findButton(top, i18n.T(i18n.BS, "fyne.OK")))
	if strings.Join(p.countries, ",") != "AT,DE" {
		t.Errorf("countries %v", p.countries)
	}
	if p.countriesText.Text != "Austrija, Njemačka" {
		t.Errorf("summary %q", p.countriesText.Text)
	}
}

// findCheck finds a check box by its text in a tree of objects.
func findCheck(o fyne.CanvasObject, text string) *widget.Check {
	var found *widget.Check
	walk(o, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == text && found == nil {
			found = c
		}
	})
	return found
}

// answer replaces the save dialog by a user who gives what pick returns.
func answer(t *testing.T, pick func(name string) (fyne.URIWriteCloser, error)) {
	t.Helper()
	old := pubSaveFile
	pubSaveFile = func(_ *Shell, name string, cb func(fyne.URIWriteCloser, error)) { cb(pick(name)) }
	t.Cleanup(func() { pubSaveFile = old })
}

// pdfText is the text of a PDF, by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(context.Background(), "pdftotext", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The form can be made as a PDF form to fill in on a computer: the check
// box shows for the form only, ticking it takes the booklet choice away
// (a fillable form is not imposed), and Save writes a PDF whose fields are
// named as the export names them, in the language chosen.
func TestPublicationFillableForm(t *testing.T) {
	s, p := publicationsScreen(t)
	if p.fillableCheck.Visible() {
		t.Error("the fillable check box shows for the pocket book")
	}
	p.pubSel.SetSelectedIndex(slices.Index(reports.Publications, reports.Form))
	if p.pub != reports.Form || !p.fillableCheck.Visible() {
		t.Fatalf("publication %s, check box shown: %v", p.pub, p.fillableCheck.Visible())
	}
	p.langSel.SetSelected(i18n.SR.Name())
	p.bookletRadio.SetSelected(reports.LongEdge.Title(s.lang))
	if p.bookletRadio.Disabled() || p.options().Booklet != reports.LongEdge {
		t.Fatal("the printed form cannot be a booklet")
	}

	test.Tap(p.fillableCheck)
	if !p.fillable || !p.bookletRadio.Disabled() {
		t.Fatalf("ticked: fillable %v, booklet choice disabled %v", p.fillable, p.bookletRadio.Disabled())
	}
	if p.bookletHint.Text != s.T("pdfform.gui.fillable.hint") {
		t.Errorf("hint %q", p.bookletHint.Text)
	}
	if p.options().Booklet != reports.NoBooklet {
		t.Error("a fillable form would be imposed")
	}
	// Another publication hides the box and gives the booklet back; the
	// form again finds it ticked.
	p.pubSel.SetSelectedIndex(slices.Index(reports.Publications, reports.Statistics))
	if p.fillableCheck.Visible() || p.bookletRadio.Disabled() || p.isFillable() {
		t.Error("the statistics report is offered as a fillable form")
	}
	p.pubSel.SetSelectedIndex(slices.Index(reports.Publications, reports.Form))
	if !p.fillableCheck.Checked || !p.bookletRadio.Disabled() {
		t.Error("the fillable choice is lost on the way back to the form")
	}

	dir := t.TempDir()
	answer(t, func(name string) (fyne.URIWriteCloser, error) {
		return storage.Writer(storage.NewFileURI(filepath.Join(dir, "obrazac")))
	})
	test.Tap(p.saveBtn)
	r := p.result
	if r == nil || r.booklet != reports.NoBooklet || r.lang != i18n.SR {
		t.Fatalf("result %+v; info %q", r, p.info.Text)
	}
	saved, err := os.ReadFile(filepath.Join(dir, "obrazac.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, r.pdf) {
		t.Error("the file saved is not the PDF made")
	}
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	fields, err := api.FormFields(bytes.NewReader(saved), conf)
	if err != nil {
		t.Fatalf("the saved PDF has no readable form: %v", err)
	}
	got := map[string]string{}
	for _, f := range fields {
		got[f.Name] = f.Typ.String()
	}
	for name, typ := range map[string]string{"given_name": "Textfield", "family_name": "Textfield",
		"birth_date": "Textfield", "country": "ComboBox", "consent_publish": "CheckBox"} {
		if got[name] != typ {
			t.Errorf("field %s is %q, want %s", name, got[name], typ)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		if text := pdfText(t, saved); !strings.Contains(text, i18n.T(i18n.SR, "report.form.title")) {
			t.Errorf("the form is not in Serbian: %.200s", text)
		}
	}

	// Unticked, the booklet choice comes back.
	test.Tap(p.fillableCheck)
	if p.fillable || p.bookletRadio.Disabled() || p.options().Booklet != reports.LongEdge {
		t.Error("unticking does not give the booklet back")
	}
}
