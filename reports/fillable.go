package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
)

// The fillable registration form: the printed form's page, drawn with
// gofpdf and the embedded Noto Sans as always, with AcroForm fields laid
// over its boxes by pdfcpu. A person fills it in Adobe Reader, a browser
// or Okular and sends it back; the office imports it (exchange.ReadPDFForms).
// Printed blank it is the paper form: the boxes, labels and hints are page
// content, the fields add nothing to paper until they hold a value.
//
// Fields are named as the export's fields (exchange.PDFFormFields), so any
// tool can fill or read them; the interests are check boxes
// "interests_<code>". The hidden, read-only field exchange.PDFFormMarker
// says which form it is.
//
// The fields' text font is Noto Sans in a one-byte encoding of our own
// (fieldfont.go), named in the form's default resources and every text
// and choice field's /DA: a program that fills the form draws the values
// with it, Cyrillic and č ć đ ë ç included, whether it draws them itself
// (pdftk, with or without flatten) or leaves them to the viewer through
// NeedAppearances, which stays set (pypdf 3.4 only stores the values;
// poppler then draws them with this font; pdf.js, PDFium and Acrobat read
// the same resources, not tried here).
// Helvetica, before it, has neither Cyrillic nor č ć đ: pdftk left them
// out and poppler drew nothing for them.

// fieldKind is the kind of an AcroForm field the form lays over a box.
type fieldKind int

const (
	fieldText      fieldKind = iota // one line of text
	fieldMultiline                  // several lines
	fieldCombo                      // a choice from a list
	fieldComboEdit                  // a choice from a list, or typed
	fieldCheck                      // a check box
)

// acroField is one field and the box it covers, in millimetres from the
// page's top left.
type acroField struct {
	name, tip  string
	kind       fieldKind
	options    []string
	page       int
	x, y, w, h float64
}

// fillDoc draws the form's page and collects the fields.
type fillDoc struct {
	*formDoc
	fields []acroField
}

// FillableForm writes the registration form as a fillable PDF form to w,
// A4, in opt.Lang with opt.Office's name and logo. Other options are not
// used: a fillable form is not imposed as a booklet.
func FillableForm(w io.Writer, opt Options) (Info, error) {
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	fd := fillableForm(opt)
	var page bytes.Buffer
	if err := fd.output(&page); err != nil {
		return Info{}, err
	}
	var out bytes.Buffer
	if err := addAcroForm(page.Bytes(), &out, fd.fields, fd.h, exchange.PDFFormMarkerValue(data.KindPerson)); err != nil {
		return Info{}, fmt.Errorf("reports: fillable form: %w", err)
	}
	if _, err := out.WriteTo(w); err != nil {
		return Info{}, err
	}
	return Info{Pages: fd.pdf.PageCount()}, nil
}

// fillableForm draws the page: the printed form's sections, one box per
// field.
func fillableForm(opt Options) *fillDoc {
	title := i18n.T(opt.Lang, "report.form.title")
	fd := &fillDoc{formDoc: &formDoc{doc: newDoc(A4, opt.Lang, title, opt.Now), opt: opt}}
	fd.left, fd.right, fd.top, fd.bottom = 16, 16, 14, 16
	fd.setLogo(opt.Office.Logo)
	fd.pdf.SetFooterFunc(fd.footer)
	fd.f = &flow{d: fd.doc, bottom: fd.h - fd.bottom, newPage: func() { fd.pdf.AddPage(); fd.f.y = fd.top }}
	fd.f.newPage()
	fd.header(title)

	lang := fd.lang
	L := func(field string) string { return data.FieldLabel(field, lang) }
	labels := func(group string, codes []string) []string {
		out := make([]string, len(codes))
		for i, c := range codes {
			out[i] = data.ValueLabel(group, c, lang)
		}
		return out
	}
	countries := data.Countries(lang)
	countryNames := make([]string, len(countries))
	for i, c := range countries {
		countryNames[i] = c.Name
	}
	req := func(s string) string { return s + " *" }
	text := func(name, label, hint string) field { return field{name: name, label: label, hint: hint} }
	choice := func(name, label string, opts []string, edit bool) field {
		k := fieldCombo
		if edit {
			k = fieldComboEdit
		}
		// On paper a list shows nothing: the hint names the choices.
		hint := ""
		if !edit && len(opts) <= 6 {
			hint = strings.Join(opts, " / ")
		}
		return field{name: name, label: label, hint: hint, kind: k, options: opts}
	}
	dateHint := i18n.T(lang, "report.form.date.hint")

	fd.section("report.form.section.person")
	fd.row(text("given_name", req(L("given_name")), ""), text("family_name", req(L("family_name")), ""))
	fd.row(text("parent_name", L("parent_name"), ""), choice("gender", L("gender"), labels(data.GroupGender, data.Genders), false),
		text("birth_date", req(L("birth_date")), dateHint))

	fd.section("report.form.section.home")
	fd.row(text("home_municipality", L("home_municipality"), ""), text("locality_id", L("locality_id"), ""))

	fd.section("report.form.section.abroad")
	fd.row(choice("country", req(L("country")), countryNames, true), text("city", L("city"), ""))
	fd.row(text("address", L("address"), ""))

	fd.section("report.form.section.contact")
	fd.row(text("email", L("email"), ""), text("phone", L("phone"), i18n.T(lang, "report.form.phone.hint")))

	fd.section("report.form.section.work")
	fd.row(text("profession", L("profession"), ""), choice("education", L("education"), labels(data.GroupEducation, data.Educations), true))

	fd.section("report.form.section.ties")
	fd.row(text("emigration_year", L("emigration_year"), ""),
		choice("generation", L("generation"), labels(data.GroupGeneration, data.ValueCodes(data.GroupGeneration)), false),
		text("days_home_per_year", L("days_home_per_year"), ""))

	fd.section("report.form.section.interests")
	fd.checks(L("interests"), i18n.T(lang, "report.form.tick"), exchange.PDFInterestPrefix, data.Interests, labels(data.GroupInterest, data.Interests))
	fd.row(field{name: "needs", label: L("needs"), kind: fieldMultiline})
	fd.row(text("languages", L("languages"), ""))

	fd.section("report.form.section.consent")
	fd.consent(func(i int, x, y, size float64) {
		names := []string{"consent_contact", "consent_publish"}
		keys := []string{"report.form.consent.contact", "report.form.consent.publish"}
		fd.add(acroField{name: names[i], tip: i18n.T(lang, keys[i]), kind: fieldCheck, x: x, y: y, w: size, h: size})
	})
	fd.officeBox()
	return fd
}

// field is a field of a row as the layout sees it.
type field struct {
	name, label, hint string
	kind              fieldKind
	options           []string
}

func (fd *fillDoc) add(f acroField) {
	f.page = fd.pdf.PageNo()
	fd.fields = append(fd.fields, f)
}

// row lays fields side by side, each a label (and hint) over a box.
func (fd *fillDoc) row(fs ...field) {
	fd.font(false, 8)
	boxH := formBoxH
	if len(fs) == 1 && fs[0].kind == fieldMultiline {
		boxH = 3 * formBoxH
	}
	h := fd.lh() + 0.5 + boxH + 3
	fd.f.need(h)
	w := (fd.inner() - formGap*float64(len(fs)-1)) / float64(len(fs))
	for i, f := range fs {
		x := fd.left + float64(i)*(w+formGap)
		lh := fd.label(x, fd.f.y, w, f.label, f.hint)
		fd.box(x, fd.f.y+lh, w, boxH)
		tip := f.label
		if f.hint != "" {
			tip += " (" + f.hint + ")"
		}
		fd.add(acroField{name: f.name, tip: tip, kind: f.kind, options: f.options, x: x, y: fd.f.y + lh, w: w, h: boxH})
	}
	fd.f.y += h
}

// checks lays out a check box per choice, named prefix+code.
func (fd *fillDoc) checks(label, hint, prefix string, codes, labels []string) {
	fd.choices(label, labels, hint, func(i int, x, y, size float64) {
		fd.add(acroField{name: prefix + codes[i], tip: label + ": " + labels[i], kind: fieldCheck, x: x, y: y, w: size, h: size})
	})
}

// The field flags (ISO 32000-1, 12.7.3.1 and 12.7.4).
const (
	ffReadOnly  = 1 << 0
	ffMultiline = 1 << 12
	ffCombo     = 1 << 17
	ffEdit      = 1 << 18
	annotPrint  = 1 << 2
	annotHidden = 1 << 1
	fieldPt     = 10 // the fields' font size
)

// addAcroForm lays the fields over the pages of the PDF in page and writes
// the result to w. pageH is the page height in millimetres.
func addAcroForm(page []byte, w io.Writer, fields []acroField, pageH float64, marker string) error {
	conf := pdfcpuConf()
	conf.Cmd = model.CREATE
	ctx, err := api.ReadAndValidate(bytes.NewReader(page), conf)
	if err != nil {
		return err
	}
	text, err := addFieldFont(ctx)
	if err != nil {
		return err
	}
	zadb, err := ctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("Type1"), "BaseFont": types.Name("ZapfDingbats"), "Name": types.Name("ZaDb"),
	})
	if err != nil {
		return err
	}
	const k = 72 / 25.4
	rect := func(f acroField) types.Array {
		return types.Array{
			types.Float(round2(f.x * k)), types.Float(round2((pageH - f.y - f.h) * k)),
			types.Float(round2((f.x + f.w) * k)), types.Float(round2((pageH - f.y) * k)),
		}
	}
	annots := map[int]types.Array{}
	var all types.Array
	pageRef := func(n int) (*types.IndirectRef, error) {
		_, ref, _, err := ctx.PageDict(n, false)
		return ref, err
	}
	for _, f := range fields {
		pr, err := pageRef(f.page)
		if err != nil {
			return err
		}
		d := types.Dict{
			"Type": types.Name("Annot"), "Subtype": types.Name("Widget"),
			"T": pdfString(f.name), "TU": pdfString(f.tip),
			"Rect": rect(f), "P": *pr, "F": types.Integer(annotPrint),
			"MK": types.Dict{},
		}
		da := fieldDA(fieldPt)
		switch f.kind {
		case fieldText:
			d["FT"] = types.Name("Tx")
		case fieldMultiline:
			d["FT"] = types.Name("Tx")
			d["Ff"] = types.Integer(ffMultiline)
			da = fieldDA(fieldPt - 1)
		case fieldCombo, fieldComboEdit:
			d["FT"] = types.Name("Ch")
			flags := ffCombo
			if f.kind == fieldComboEdit {
				flags |= ffEdit
			}
			d["Ff"] = types.Integer(flags)
			opts := types.Array{}
			for _, o := range f.options {
				opts = append(opts, pdfString(o))
			}
			d["Opt"] = opts
		case fieldCheck:
			d["FT"] = types.Name("Btn")
			d["V"] = types.Name("Off")
			d["AS"] = types.Name("Off")
			d["MK"] = types.Dict{"CA": types.StringLiteral("4")} // ZapfDingbats' check mark, for viewers that redraw it
			da = "/ZaDb 0 Tf 0 g"
			on, off, err := checkAppearances(ctx, f.w*k, f.h*k)
			if err != nil {
				return err
			}
			d["AP"] = types.Dict{"N": types.Dict{"Yes": *on, "Off": *off}}
		}
		d["DA"] = types.StringLiteral(da)
		ref, err := ctx.IndRefForNewObject(d)
		if err != nil {
			return err
		}
		annots[f.page] = append(annots[f.page], *ref)
		all = append(all, *ref)
	}
	// The marker: hidden, read-only, on the first page, never printed.
	pr, err := pageRef(1)
	if err != nil {
		return err
	}
	mref, err := ctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("Annot"), "Subtype": types.Name("Widget"), "FT": types.Name("Tx"),
		"T": pdfString(exchange.PDFFormMarker), "V": pdfString(marker), "DV": pdfString(marker),
		"Ff": types.Integer(ffReadOnly), "F": types.Integer(annotHidden),
		"Rect": types.Array{types.Integer(0), types.Integer(0), types.Integer(0), types.Integer(0)},
		"P":    *pr, "DA": types.StringLiteral(fieldDA(fieldPt)),
	})
	if err != nil {
		return err
	}
	annots[1] = append(annots[1], *mref)
	all = append(all, *mref)
	for n, refs := range annots {
		pd, _, _, err := ctx.PageDict(n, false)
		if err != nil {
			return err
		}
		if old, ok := pd.Find("Annots"); ok {
			if a, err := ctx.DereferenceArray(old); err == nil {
				refs = append(a, refs...)
			}
		}
		pd["Annots"] = refs
	}
	acro, err := ctx.IndRefForNewObject(types.Dict{
		"Fields": all,
		// Viewers draw the values themselves, with the fields' font.
		"NeedAppearances": types.Boolean(true),
		"DA":              types.StringLiteral(fieldDA(fieldPt)),
		"DR":              types.Dict{"Font": types.Dict{fieldFontName: *text, "ZaDb": *zadb}},
	})
	if err != nil {
		return err
	}
	root, err := ctx.Catalog()
	if err != nil {
		return err
	}
	root["AcroForm"] = *acro
	return api.WriteContext(ctx, w)
}

// checkAppearances makes a check box's two looks: a tick, and nothing.
func checkAppearances(ctx *model.Context, w, h float64) (on, off *types.IndirectRef, err error) {
	bbox := types.Array{types.Integer(0), types.Integer(0), types.Float(round2(w)), types.Float(round2(h))}
	tick := fmt.Sprintf("q 0.13 g 0.13 G 1.3 w 1 J 1 j %.2f %.2f m %.2f %.2f l %.2f %.2f l S Q",
		w*0.2, h*0.52, w*0.42, h*0.25, w*0.82, h*0.8)
	mk := func(content string) (*types.IndirectRef, error) {
		sd, err := ctx.NewStreamDictForBuf([]byte(content))
		if err != nil {
			return nil, err
		}
		sd.InsertName("Type", "XObject")
		sd.InsertName("Subtype", "Form")
		sd.Insert("BBox", bbox)
		sd.Insert("Resources", types.Dict{})
		if err := sd.Encode(); err != nil {
			return nil, err
		}
		return ctx.IndRefForNewObject(*sd)
	}
	if on, err = mk(tick); err != nil {
		return nil, nil, err
	}
	if off, err = mk(""); err != nil {
		return nil, nil, err
	}
	return on, off, nil
}

// pdfString is s as a PDF text string: ASCII as it is, anything else as
// UTF-16 with a byte-order mark (PDF's own encoding lacks č, đ and
// Cyrillic), escaped for a literal.
func pdfString(s string) types.StringLiteral {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		esc, err := types.Escape(s)
		if err == nil {
			return types.StringLiteral(*esc)
		}
	}
	esc, err := types.EscapedUTF16String(s)
	if err != nil {
		return types.StringLiteral("")
	}
	return types.StringLiteral(*esc)
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
