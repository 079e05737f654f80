package exchange

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"registar/data"
	"registar/data/i18n"
)

// Filled PDF forms (the fillable registration form of reports) read back
// into a sheet: one row per PDF, the columns named as the export's fields,
// each value as the person typed it. The form says what it is in a hidden,
// read-only field, PDFFormMarker = "registar-persons/1", so a Registar form
// is told from any other PDF, and a form of another kind from the kind
// being imported.

// FormatPDF is the Format of a sheet read from PDF forms.
const FormatPDF Format = "pdf"

// PDFFormMarker is the name of the hidden field whose value says which
// Registar form a PDF is: "<form ID>/<version>".
const PDFFormMarker = "registar_form"

// PDFFormVersion is the version of the PDF form's layout and field names.
const PDFFormVersion = "1"

// PDFInterestPrefix starts the names of the interests' check boxes
// ("interests_invest"); read back they make the one "interests" column.
const PDFInterestPrefix = "interests_"

// PDFFormID is the form ID a PDF form of the kind carries
// ("registar-persons"), the same as the phones' forms.
func PDFFormID(k data.Kind) string { return formIDs[k] }

// PDFFormMarkerValue is the marker field's value for a form of the kind.
func PDFFormMarkerValue(k data.Kind) string { return PDFFormID(k) + "/" + PDFFormVersion }

// PDFFormFields are the fields of a kind's PDF form, in the order the form
// shows them: the export's fields a person fills in about themselves (no
// ID, tags, notes or consent dates, which are the office's).
func PDFFormFields(k data.Kind) []string {
	var out []string
	for _, f := range kindFields[k] {
		switch {
		case f.Name == "id", f.Name == "tags", f.Name == "notes", f.Name == "need_tags", strings.Contains(f.Name, "."):
			continue
		}
		out = append(out, f.Name)
	}
	return out
}

// The catalogue keys of the PDF forms' errors (catalog/pdfform.*.json).
const (
	keyPDFDamaged   = "pdfform.error.damaged"
	keyPDFNoForm    = "pdfform.error.no_form"
	keyPDFOtherKind = "pdfform.error.other_kind"
	keyPDFEmpty     = "pdfform.error.empty"
	keyPDFTooLarge  = "pdfform.error.too_large"
	keyPDFNone      = "pdfform.error.none"
)

// PDFFormError is a PDF that cannot be imported as a Registar form. Error
// is English; Message says it in the clerk's language.
type PDFFormError struct {
	key  string
	file string // the PDF's name
	// FormID is the Registar form found, for a form of another kind
	// ("registar-businesses").
	FormID string
}

// Errors a caller may test with errors.Is.
var (
	// ErrPDFDamaged is a file that is not a readable PDF.
	ErrPDFDamaged = &PDFFormError{key: keyPDFDamaged}
	// ErrPDFNoForm is a PDF without the fields of a Registar form.
	ErrPDFNoForm = &PDFFormError{key: keyPDFNoForm}
	// ErrPDFOtherKind is a Registar form of another kind than the one
	// imported (see CheckPDFFormKind).
	ErrPDFOtherKind = &PDFFormError{key: keyPDFOtherKind}
	// ErrPDFEmpty is a Registar form nobody filled in.
	ErrPDFEmpty = &PDFFormError{key: keyPDFEmpty}
	// ErrPDFTooLarge is a PDF larger than MaxFileSize.
	ErrPDFTooLarge = &PDFFormError{key: keyPDFTooLarge}
	// ErrPDFNone is a folder without a filled Registar form.
	ErrPDFNone = &PDFFormError{key: keyPDFNone}
)

func (e *PDFFormError) Error() string { return e.Message(i18n.EN) }

// Is makes errors.Is(err, ErrPDFDamaged) hold for every damaged PDF,
// whatever its name.
func (e *PDFFormError) Is(target error) bool {
	t, ok := target.(*PDFFormError)
	return ok && t.key == e.key
}

// Key is the catalogue key of the message.
func (e *PDFFormError) Key() string { return e.key }

// Message is the error in language l: one line naming the file.
func (e *PDFFormError) Message(l i18n.Lang) string {
	kind := ""
	if k := KindOfForm(e.FormID); k != "" {
		kind = i18n.T(l, "pdfform.kind."+string(k))
	}
	return i18n.T(l, e.key, "file", e.file, "kind", kind, "size", strconv.Itoa(MaxFileSize>>20))
}

// CheckPDFFormKind returns ErrPDFOtherKind (naming the kind found) when the
// sheet's PDF forms collect another kind of record than want, else nil.
func CheckPDFFormKind(sh *Sheet, want data.Kind) error {
	if sh == nil || sh.Origin == nil || sh.Origin.Kind != OriginPDF {
		return nil
	}
	if got := KindOfForm(sh.Origin.FormID); got != want {
		return &PDFFormError{key: keyPDFOtherKind, file: sh.File, FormID: sh.Origin.FormID}
	}
	return nil
}

// IsPDF reports whether b starts like a PDF file. The header may follow a
// little junk (the standard lets readers look in the first 1,024 bytes).
func IsPDF(b []byte) bool {
	if len(b) > 1024 {
		b = b[:1024]
	}
	return bytes.Contains(b, []byte("%PDF-"))
}

// OpenPDFForms reads the PDF at path, or every .pdf in the folder at path
// and its subfolders, with ReadPDFForms.
func OpenPDFForms(path string, opt ReadOptions) (*Sheet, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return ReadPDFForms([]string{path}, opt)
	}
	var paths []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, &PDFFormError{key: keyPDFNone, file: filepath.Base(path)}
	}
	sh, err := ReadPDFForms(paths, opt)
	if sh != nil {
		sh.File = filepath.Base(path)
	}
	return sh, err
}

// pdfForm is what one PDF holds: its Registar form ID and the fields'
// values by name.
type pdfForm struct {
	formID, version string
	values          map[string]string
	order           []string // field names in the order of the PDF's pages
}

// ReadPDFForms reads filled Registar PDF forms, one row per PDF, in the
// order of paths. The header is the form's field names (what Recognise
// knows); each row's Submission is "pdf:" and a hash of its values, so the
// same filled form is never imported twice, and Where is the file's name.
//
// The kind of the first Registar form sets the sheet's Origin.FormID (see
// CheckPDFFormKind); forms of another kind and PDFs that are not Registar
// forms are skipped and counted in Origin.OtherForm, damaged ones listed in
// Origin.Unreadable. With one path, or when no PDF gives a row, the error
// says what is wrong in one line (a *PDFFormError). A form's values are
// kept whole, however long: the import's validation judges them. It never
// panics.
func ReadPDFForms(paths []string, opt ReadOptions) (sh *Sheet, err error) {
	defer guard(&err)
	sh = &Sheet{Format: FormatPDF, HeaderRow: 1, Origin: &Origin{Kind: OriginPDF}}
	if len(paths) > 0 {
		sh.File = filepath.Base(paths[0])
	}
	var (
		firstErr error
		header   []string
		col      map[string]int
	)
	maxRows := opt.MaxRows
	if maxRows <= 0 {
		maxRows = defaultMaxRows
	}
	for _, p := range paths {
		name := filepath.Base(p)
		f, err := readPDFFormFile(p)
		if err == nil && f.formID != "" && sh.Origin.FormID != "" && f.formID != sh.Origin.FormID {
			err = &PDFFormError{key: keyPDFOtherKind, file: name, FormID: f.formID}
		}
		if err == nil && !f.filled() {
			err = &PDFFormError{key: keyPDFEmpty, file: name}
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			var pe *PDFFormError
			switch {
			case errors.As(err, &pe) && (pe.key == keyPDFNoForm || pe.key == keyPDFOtherKind):
				sh.Origin.OtherForm++
			default:
				sh.Origin.Unreadable = append(sh.Origin.Unreadable, name+": "+errText(err, opt.Lang))
			}
			continue
		}
		if sh.Origin.FormID == "" {
			sh.Origin.FormID, sh.Origin.FormVersion = f.formID, f.version
			header, col = f.columns()
			sh.Header = append(slices.Clip(header), consentDateColumns...)
		}
		sh.Origin.Submissions++
		if len(sh.Rows) >= maxRows {
			return nil, ErrTooLarge
		}
		cells := f.cells(header, col)
		sh.Rows = append(sh.Rows, Row{N: len(sh.Rows) + 2, Cells: append(cells, consentDates(header, cells, p)...),
			Submission: f.submission(), Where: name})
	}
	if len(sh.Rows) == 0 {
		if firstErr != nil && (len(paths) == 1 || sh.Origin.OtherForm == 0 && len(sh.Origin.Unreadable) == 1) {
			return nil, firstErr
		}
		file := sh.File
		if len(paths) > 1 {
			file = filepath.Base(filepath.Dir(paths[0]))
		}
		return nil, &PDFFormError{key: keyPDFNone, file: file}
	}
	return sh, nil
}

// consentDateColumns are added to a PDF form's sheet: a consent ticked on
// the form was given in writing on it, on the day the form was saved.
var consentDateColumns = []string{"consent_contact.date", "consent_contact.how", "consent_publish.date", "consent_publish.how"}

// consentDates are the cells of consentDateColumns for one filled form:
// for each consent it ticks, the day the PDF was last saved (the file's
// time: a PDF program rewrites it when the person saves) and "form".
func consentDates(header, cells []string, path string) []string {
	out := make([]string, len(consentDateColumns))
	day := ""
	if fi, err := os.Stat(path); err == nil {
		day = fi.ModTime().Format("2006-01-02")
	}
	for i, name := range header {
		if i >= len(cells) || (name != "consent_contact" && name != "consent_publish") {
			continue
		}
		if yes, ok := data.ParseYesNo(cells[i]); ok && yes {
			at := slices.Index(consentDateColumns, name+".date")
			out[at], out[at+1] = day, "form"
		}
	}
	return out
}

// readPDFFormFile reads one PDF's Registar form, with pdfcpu's form export.
func readPDFFormFile(path string) (*pdfForm, error) {
	name := filepath.Base(path)
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, &PDFFormError{key: keyPDFTooLarge, file: name}
	}
	return readPDFForm(b, name)
}

// readPDFForm reads a PDF held in b: pdfcpu parses it, and the form's
// field tree is walked here. pdfcpu's own form export (v0.11.1) is not
// used: it panics on a check box whose value is a string, as pypdf 3.4
// writes it, and drops a choice's value written as a hex string. A panic
// in pdfcpu on a crafted file is a damaged PDF.
func readPDFForm(b []byte, name string) (f *pdfForm, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &PDFFormError{key: keyPDFDamaged, file: name}
		}
	}()
	if !IsPDF(b) {
		return nil, &PDFFormError{key: keyPDFDamaged, file: name}
	}
	conf := pdfConf()
	ctx, err := api.ReadAndValidate(bytes.NewReader(b), conf)
	if err != nil {
		return nil, &PDFFormError{key: keyPDFDamaged, file: name}
	}
	if ctx.Form == nil {
		return nil, &PDFFormError{key: keyPDFNoForm, file: name}
	}
	f = &pdfForm{values: map[string]string{}}
	fields, err := ctx.DereferenceArray(ctx.Form["Fields"])
	if err != nil || len(fields) == 0 {
		return nil, &PDFFormError{key: keyPDFNoForm, file: name}
	}
	w := &fieldWalk{ctx: ctx, form: f, seen: map[int]bool{}}
	for _, o := range fields {
		w.walk(o, "", "", nil, 0)
	}
	marker := f.values[PDFFormMarker]
	id, version, _ := strings.Cut(strings.TrimSpace(marker), "/")
	if KindOfForm(id) == "" {
		return nil, &PDFFormError{key: keyPDFNoForm, file: name}
	}
	f.formID, f.version = id, version
	return f, nil
}

var pdfConfOnce = make(chan struct{}, 1)

// pdfConf is pdfcpu's configuration without its config directory (which it
// would otherwise create in the user's profile) and lenient about the small
// faults real PDF writers leave.
func pdfConf() *model.Configuration {
	select {
	case pdfConfOnce <- struct{}{}:
		api.DisableConfigDir()
	default:
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Cmd = model.EXPORTFORMFIELDS
	return conf
}

// columns is the sheet's header for forms like f: the kind's fields the
// form has, in the form's order, the interests' check boxes as the one
// "interests" column.
func (f *pdfForm) columns() ([]string, map[string]int) {
	kind := KindOfForm(f.formID)
	var header []string
	col := map[string]int{}
	for _, n := range f.order {
		if strings.HasPrefix(n, PDFInterestPrefix) {
			n = "interests"
		}
		if _, ok := fieldOf(kind, n); !ok {
			continue
		}
		if _, dup := col[n]; !dup {
			col[n] = len(header)
			header = append(header, n)
		}
	}
	return header, col
}

// cells are f's values under the header.
func (f *pdfForm) cells(header []string, col map[string]int) []string {
	cells := make([]string, len(header))
	var interests []string
	for _, n := range f.order {
		v := f.values[n]
		if code, ok := strings.CutPrefix(n, PDFInterestPrefix); ok {
			if v != "" {
				interests = append(interests, code)
			}
			continue
		}
		if i, ok := col[n]; ok {
			cells[i] = cleanCell(v)
		}
	}
	if i, ok := col["interests"]; ok {
		cells[i] = strings.Join(interests, ", ")
	}
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

// filled reports whether anyone wrote in the form.
func (f *pdfForm) filled() bool {
	for n, v := range f.values {
		if n != PDFFormMarker && strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// submission is a stable ID of the form's filled values: the same form
// saved twice, or copied under another name, has the same one.
func (f *pdfForm) submission() string {
	names := make([]string, 0, len(f.values))
	for n := range f.values {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		v := strings.TrimSpace(f.values[n])
		if v == "" {
			continue
		}
		io.WriteString(h, n)
		h.Write([]byte{0})
		io.WriteString(h, v)
		h.Write([]byte{0})
	}
	return "pdf:" + hex.EncodeToString(h.Sum(nil))
}

// Limits of the walk through a form's field tree.
const (
	maxFieldDepth = 16
	maxFields     = 4096
)

// fieldWalk collects the values of a form's field tree (ISO 32000-1,
// 12.7.3): names are joined with dots down the tree, the type and value
// are inherited from the parents.
type fieldWalk struct {
	ctx   *model.Context
	form  *pdfForm
	seen  map[int]bool // objects already visited: a crafted tree may loop
	count int
}

func (w *fieldWalk) walk(o types.Object, parent, ft string, v types.Object, depth int) {
	if depth > maxFieldDepth || w.count >= maxFields {
		return
	}
	w.count++
	if ref, ok := o.(types.IndirectRef); ok {
		if w.seen[ref.ObjectNumber.Value()] {
			return
		}
		w.seen[ref.ObjectNumber.Value()] = true
	}
	d, err := w.ctx.DereferenceDict(o)
	if err != nil || d == nil {
		return
	}
	name := parent
	if t, ok := d.Find("T"); ok {
		if s, err := types.StringOrHexLiteral(t); err == nil && s != nil {
			if name != "" {
				name += "."
			}
			name += *s
		}
	}
	if n := d.NameEntry("FT"); n != nil {
		ft = *n
	}
	if x, ok := d.Find("V"); ok {
		if x, err = w.ctx.Dereference(x); err == nil {
			v = x
		}
	}
	if kids, err := w.ctx.DereferenceArray(d["Kids"]); err == nil && len(kids) > 0 {
		// Kids with names are fields; kids without are the field's widgets.
		named := false
		for _, k := range kids {
			if kd, err := w.ctx.DereferenceDict(k); err == nil && kd != nil {
				if _, ok := kd.Find("T"); ok {
					named = true
					w.walk(k, name, ft, v, depth+1)
				}
			}
		}
		if named {
			return
		}
	}
	if name == "" {
		return
	}
	if _, dup := w.form.values[name]; !dup {
		w.form.order = append(w.form.order, name)
	}
	w.form.values[name] = fieldValue(ft, v)
}

// fieldValue is a field's value as text: a check box's is "yes" when it is
// on, "" when off; a list's choices are joined with "; ".
func fieldValue(ft string, v types.Object) string {
	text := func(o types.Object) string {
		switch x := o.(type) {
		case types.Name:
			return string(x)
		case types.StringLiteral, types.HexLiteral:
			if s, err := types.StringOrHexLiteral(x); err == nil && s != nil {
				return *s
			}
		}
		return ""
	}
	if ft == "Btn" {
		s := strings.TrimPrefix(strings.TrimSpace(text(v)), "/")
		if s == "" || s == "Off" {
			return ""
		}
		return "yes"
	}
	if a, ok := v.(types.Array); ok {
		var parts []string
		for _, o := range a {
			if s := text(o); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return text(v)
}
