package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"registar/data"
	"registar/data/i18n"
)

// Publication names one of the four publications.
type Publication string

// The publications. The string is used by the CLI and in preferences.
const (
	PocketBook Publication = "pocketbook"
	Brochure   Publication = "brochure"
	Statistics Publication = "statistics"
	Form       Publication = "form"
)

// Publications lists them in the order a picker shows them.
var Publications = []Publication{PocketBook, Brochure, Statistics, Form}

// ParsePublication reads a publication name as the CLI takes it.
func ParsePublication(s string) (Publication, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "pocketbook", "pocket-book", "pocket", "book":
		return PocketBook, nil
	case "brochure":
		return Brochure, nil
	case "statistics", "stats", "report":
		return Statistics, nil
	case "form", "blank-form":
		return Form, nil
	case "attendance", "attendance-sheet", "sign-in":
		return Attendance, nil
	case "activity", "activity-report":
		return ActivityReport, nil
	case "consultation", "consultation-report":
		return ConsultationReport, nil
	case "activities", "annual", "annual-activities":
		return AnnualActivities, nil
	}
	return "", fmt.Errorf("unknown publication %q (pocketbook, brochure, statistics, form, attendance, activity, consultation, activities)", s)
}

// Title is the publication's name in the language, for pickers.
func (p Publication) Title(lang i18n.Lang) string { return i18n.T(lang, "report.pub."+string(p)) }

// Sizes lists the page sizes the publication can be made in, the default
// first: the pocket book A6 or A5, the brochure A5 or A4, the activity
// report A4 or A5, the others A4.
func (p Publication) Sizes() []Size {
	switch p {
	case PocketBook:
		return []Size{A6, A5}
	case Brochure:
		return []Size{A5, A4}
	case ActivityReport:
		return []Size{A4, A5}
	}
	return []Size{A4}
}

// Size is an ISO page size.
type Size string

// The page sizes.
const (
	A4 Size = "a4"
	A5 Size = "a5"
	A6 Size = "a6"
)

// ParseSize reads "a4", "A5", "a6".
func ParseSize(s string) (Size, error) {
	switch Size(strings.ToLower(strings.TrimSpace(s))) {
	case A4:
		return A4, nil
	case A5:
		return A5, nil
	case A6:
		return A6, nil
	}
	return "", fmt.Errorf("unknown page size %q (a4, a5, a6)", s)
}

// mm returns the page's width and height in millimetres.
func (s Size) mm() (w, h float64) {
	switch s {
	case A5:
		return 148, 210
	case A6:
		return 105, 148
	}
	return 210, 297
}

// Binding says whether and how a publication is imposed as a booklet: its
// pages two-up (A5, A4) or four-up (A6) on A4 sheets printed on both sides,
// folded and stapled in the middle. The value names the duplex setting the
// printer must use ("flip on long edge" or "flip on short edge"); the
// imposed PDF also asks PDF viewers to preselect it.
type Binding string

// The bindings.
const (
	NoBooklet Binding = ""
	LongEdge  Binding = "long"
	ShortEdge Binding = "short"
)

// ParseBinding reads "long", "short", or "" / "none" for no booklet.
func ParseBinding(s string) (Binding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none", "no":
		return NoBooklet, nil
	case "long", "long-edge", "longedge":
		return LongEdge, nil
	case "short", "short-edge", "shortedge":
		return ShortEdge, nil
	}
	return "", fmt.Errorf("unknown booklet binding %q (long, short)", s)
}

// Pocket book fields: what each entry shows under its name.
const (
	FieldRole          = "role" // profession, sector or kind of organisation
	FieldContactPerson = "contact_person"
	FieldAddress       = "address"
	FieldPhone         = "phone"
	FieldEmail         = "email"
	FieldWebsite       = "website"
)

// PocketBookFields lists the fields a pocket book entry can show, in the
// order they are printed.
var PocketBookFields = []string{FieldRole, FieldContactPerson, FieldAddress, FieldPhone, FieldEmail, FieldWebsite}

// Options say what to make. The zero value makes the publication's default
// in English.
type Options struct {
	Lang i18n.Lang
	// Size is the page size; "" is the publication's default (Sizes()[0]).
	Size Size
	// Booklet imposes the pages for saddle-stitch printing on A4 duplex.
	Booklet Binding
	// Office is what the publication says about the office that issues
	// it; every field may be empty, and what is missing is left out.
	Office data.Office
	// Title replaces the pocket book's or brochure's title.
	Title string
	// Foreword replaces Office.Foreword in the pocket book.
	Foreword string
	// Kinds are the kinds of record the pocket book lists (default:
	// organisations, businesses and persons).
	Kinds []data.Kind
	// Countries limits the pocket book to these ISO codes (default: all).
	Countries []string
	// Fields are what pocket book entries show under the name (see
	// PocketBookFields). Nil shows every field for organisations and
	// businesses, and all but the address for persons.
	Fields []string
	// Stats are statistics already collected for the brochure or the
	// statistics report; nil collects them from the source.
	Stats *Stats
	// Activity is the ID of the activity an attendance sheet, activity
	// report or consultation report is of.
	Activity string
	// Year is the year of the annual activities report.
	Year int
	// ActivityStats are the activities' figures already collected for the
	// statistics report or the annual report; nil collects them.
	ActivityStats *ActivityStats
	// Now is the date printed on the publication; zero is today.
	Now time.Time
	// Progress, if set, is called as the work advances, with done rising
	// to total (total is the same in every call of one run).
	Progress func(done, total int)
}

// Info says what was made.
type Info struct {
	// Pages is the number of pages of the publication, blank pages that
	// pad a booklet included.
	Pages int
	// Sheets is the number of A4 pages of the imposed booklet (two per
	// sheet of paper, front and back), 0 when not imposed.
	Sheets int
	// Entries is the number of pocket book entries (0 for the others).
	Entries int
}

// ErrNoSource is returned when a publication that needs records is given none.
var ErrNoSource = errors.New("reports: no records source")

// Generate writes the publication as PDF to w. It reads the records it
// needs from src (the form needs none: src may be nil), reports progress
// through opt.Progress and stops early, with ctx's error, when ctx is
// cancelled. Nothing is written to w unless the whole PDF was made.
func Generate(ctx context.Context, w io.Writer, pub Publication, src Source, opt Options) (Info, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	sizes := pub.Sizes()
	if opt.Size == "" {
		opt.Size = sizes[0]
	}
	okSize := false
	for _, s := range sizes {
		okSize = okSize || s == opt.Size
	}
	if !okSize {
		return Info{}, fmt.Errorf("reports: the %s cannot be made in %s", pub, strings.ToUpper(string(opt.Size)))
	}
	if _, err := ParseBinding(string(opt.Booklet)); err != nil {
		return Info{}, err
	}
	pr := &progress{fn: opt.Progress}
	end := 1.0 // the share of the work done once the PDF is written
	if opt.Booklet != NoBooklet {
		end = 0.85
	}

	var (
		d    *doc
		info Info
		err  error
	)
	switch pub {
	case PocketBook:
		if src == nil {
			return Info{}, ErrNoSource
		}
		d, info, err = pocketBook(ctx, src, opt, pr.part(0, end*0.9))
	case Brochure, Statistics:
		st := opt.Stats
		if st == nil {
			if src == nil {
				return Info{}, ErrNoSource
			}
			read := pr.part(0, end*0.7)
			if st, err = CollectStats(ctx, src, func(done, total int) {
				if total > 0 {
					read(float64(done) / float64(total))
				}
			}); err != nil {
				return Info{}, err
			}
		}
		if pub == Statistics && opt.ActivityStats == nil && src != nil {
			if opt.ActivityStats, err = CollectActivityStats(ctx, src, 0); err != nil {
				return Info{}, err
			}
		}
		if pub == Brochure {
			d, err = brochure(ctx, st, opt)
		} else {
			d, err = statisticsReport(ctx, st, opt)
		}
	case Attendance, ActivityReport, ConsultationReport, AnnualActivities:
		if src == nil && (pub != AnnualActivities || opt.ActivityStats == nil) {
			return Info{}, ErrNoSource
		}
		d, err = activityPublication(ctx, pub, src, opt)
	case Form:
		d, err = blankForm(opt)
	default:
		return Info{}, fmt.Errorf("reports: unknown publication %q", pub)
	}
	if err != nil {
		return Info{}, err
	}
	if opt.Booklet != NoBooklet {
		d.pad(pagesPerSheet(opt.Size)) // the pocket book and brochure have padded before their back cover
		// pdfcpu inflates every page to impose it and deflates the result:
		// compressing here would be work thrown away
		d.pdf.SetCompression(false)
	}
	pr.at(end * 0.9)
	info.Pages = d.pdf.PageCount()
	var buf bytes.Buffer
	if err := d.output(&buf); err != nil {
		return Info{}, err
	}
	if opt.Booklet == NoBooklet {
		if _, err = buf.WriteTo(w); err != nil {
			return Info{}, err
		}
		pr.at(1)
		return info, nil
	}
	pr.at(end)
	if err := ctx.Err(); err != nil {
		return Info{}, err
	}
	var imposed bytes.Buffer
	if info.Sheets, err = impose(bytes.NewReader(buf.Bytes()), &imposed, opt.Size, opt.Booklet); err != nil {
		return Info{}, err
	}
	if _, err := imposed.WriteTo(w); err != nil {
		return Info{}, err
	}
	pr.at(1)
	return info, nil
}

// progress reports a run's advance as a rising count out of progressTotal.
type progress struct {
	fn   func(done, total int)
	last int
}

const progressTotal = 1000

// at reports that the fraction f of the whole run is done.
func (p *progress) at(f float64) {
	if p == nil || p.fn == nil {
		return
	}
	done := int(min(1, max(0, f)) * progressTotal)
	if done <= p.last {
		return
	}
	p.last = done
	p.fn(done, progressTotal)
}

// part maps the fractions of one stage onto [lo, hi] of the run.
func (p *progress) part(lo, hi float64) func(f float64) {
	return func(f float64) { p.at(lo + (hi-lo)*min(1, max(0, f))) }
}

// Title is the binding's name in the language, for pickers.
func (b Binding) Title(lang i18n.Lang) string {
	if b == NoBooklet {
		return i18n.T(lang, "report.booklet.none")
	}
	return i18n.T(lang, "report.booklet."+string(b))
}

// Bindings lists the choices of imposition in the order a picker shows them.
var Bindings = []Binding{NoBooklet, LongEdge, ShortEdge}

// FieldTitle is the name of a pocket book field in the language, for pickers.
func FieldTitle(field string, lang i18n.Lang) string {
	if field == FieldRole {
		return i18n.T(lang, "report.field.role")
	}
	return data.FieldLabel(field, lang)
}
