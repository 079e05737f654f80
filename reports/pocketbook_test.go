package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

func TestPocketBookNamesConsentAndScripts(t *testing.T) {
	needPoppler(t)
	for _, lang := range []i18n.Lang{i18n.BS, i18n.SR, i18n.SQ, i18n.EN} {
		for _, size := range PocketBook.Sizes() {
			t.Run(string(lang)+"-"+string(size), func(t *testing.T) {
				pdf, info := generate(t, PocketBook, fixture(), Options{Lang: lang, Size: size, Office: testOffice()})
				path := writeTemp(t, pdf)
				checkFonts(t, path)
				text := squash(pdfText(t, path, 0, 0))
				for _, want := range []string{
					"Ђорђе Петровић", "Arbër Çelik", "Ëngjëll Krasniqi", "Đorđe Petrović", "Amra Hodžić",
					"Šefik Džaferović", "Çelik Bau GmbH", "Nedžad Bezkontakta",
					"Emoji Nuhiu",                     // the emoji and the zero-width space are dropped, the name stays
					"Петровић, Ђорђе", "Çelik, Arbër", // the index files by family name
					squash(fixture()[9].Title()), // the 200-character name, wrapped
					i18n.T(lang, "report.contents"), i18n.T(lang, "report.index"), i18n.T(lang, "report.foreword"),
					data.CountryName("AT", lang), data.CountryName("SE", lang),
				} {
					if !strings.Contains(text, want) {
						t.Errorf("%q missing", want)
					}
				}
				for _, absent := range []string{"Skrivenović", "Tajno Preduzeće", "Obrisana", "😀"} {
					if strings.Contains(text, absent) {
						t.Errorf("%q must not be published", absent)
					}
				}
				if info.Entries != 10 { // 8 persons, 1 business, 1 organisation
					t.Errorf("Info.Entries = %d, want 10", info.Entries)
				}
				if n := pageCount(t, path); n != info.Pages {
					t.Errorf("pdfinfo says %d pages, Info %d", n, info.Pages)
				}
			})
		}
	}
}

// Every word of every page lies on the page: a 200-character name or an
// e-mail address without spaces is wrapped, never cut off by the edge.
func TestNothingOffThePage(t *testing.T) {
	needPoppler(t)
	for _, pub := range Publications {
		for _, size := range pub.Sizes() {
			pdf, _ := generate(t, pub, fixture(), Options{Lang: i18n.SQ, Size: size, Office: testOffice()})
			for i, p := range bboxes(t, writeTemp(t, pdf)) {
				for _, w := range p.words {
					if w.xMin < 0 || w.yMin < 0 || w.xMax > p.w+0.5 || w.yMax > p.h+0.5 {
						t.Errorf("%s %s page %d: %q at %.0f,%.0f–%.0f,%.0f is off the %.0fx%.0f page",
							pub, size, i+1, w.text, w.xMin, w.yMin, w.xMax, w.yMax, p.w, p.h)
					}
				}
			}
		}
	}
}

var (
	tocLineRe = regexp.MustCompile(`^\s*(\S.*?\S)\s{2,}(\d+)\s*$`)
	pageNumRe = regexp.MustCompile(`^\d+,?$`)
)

// indexEntries reads an index page back from its word boxes: column by
// column, line by line, a line ending in page numbers starts an entry and
// a line without continues its name (a long name wraps). The running head,
// the folio and the letter headings are left out.
func indexEntries(pg bboxPage, size Size) map[string][]int {
	cols, top, bottom := 1, 12.5/ptMM, 11/ptMM
	if size == A5 {
		cols, top, bottom = 2, 16/ptMM, 15/ptMM
	}
	type line struct {
		y     float64
		words []word
	}
	lines := make([][]*line, cols)
	for _, w := range pg.words {
		if w.yMin < top-1 || w.yMax > pg.h-bottom+1 {
			continue
		}
		c := 0
		if cols == 2 && w.xMin > pg.w/2 {
			c = 1
		}
		var l *line
		for _, x := range lines[c] {
			if math.Abs(x.y-w.yMin) < 1.5 {
				l = x
			}
		}
		if l == nil {
			l = &line{y: w.yMin}
			lines[c] = append(lines[c], l)
		}
		l.words = append(l.words, w)
	}
	out := map[string][]int{}
	for _, col := range lines {
		sort.Slice(col, func(i, j int) bool { return col[i].y < col[j].y })
		cur, curH := "", 0.0
		var nums []int
		flush := func() {
			if cur != "" {
				out[cur] = append(out[cur], nums...)
			}
			cur, nums = "", nil
		}
		for _, l := range col {
			sort.Slice(l.words, func(i, j int) bool { return l.words[i].xMin < l.words[j].xMin })
			k := len(l.words)
			for k > 0 && pageNumRe.MatchString(l.words[k-1].text) {
				k--
			}
			var name []string
			for _, w := range l.words[:k] {
				name = append(name, w.text)
			}
			text := strings.Join(name, " ")
			h := l.words[0].yMax - l.words[0].yMin
			if k == 0 && cur != "" { // only page numbers: the entry's numbers go on
				for _, w := range l.words {
					n, _ := strconv.Atoi(strings.TrimSuffix(w.text, ","))
					nums = append(nums, n)
				}
				continue
			}
			if k < len(l.words) { // page numbers: a new entry
				flush()
				cur, curH = text, h
				for _, w := range l.words[k:] {
					n, _ := strconv.Atoi(strings.TrimSuffix(w.text, ","))
					nums = append(nums, n)
				}
			} else if cur != "" && math.Abs(h-curH) < curH*0.1 {
				cur += " " + text // the name goes on (a letter heading is set larger)
			} else {
				flush()
			}
		}
		flush()
	}
	return out
}

// The index lists every published name, each with page numbers, and each
// of those pages has the entry on it; the contents send each country to
// the page with its heading.
func TestPocketBookIndexAndContents(t *testing.T) {
	needPoppler(t)
	src := append(demoRecords(t, 600, false), fixture()...)
	for _, c := range []struct {
		lang i18n.Lang
		size Size
	}{{i18n.BS, A6}, {i18n.SR, A5}, {i18n.SQ, A6}} {
		t.Run(string(c.lang)+"-"+string(c.size), func(t *testing.T) {
			pdf, info := generate(t, PocketBook, src, Options{Lang: c.lang, Size: c.size})
			path := writeTemp(t, pdf)
			pages := pageTexts(t, path)
			layout := strings.Split(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"), "\f")

			// which entries must be in the index, as the index files them
			want := map[string]string{} // index name → name printed in the directory
			for _, r := range src {
				if r.Base().Trashed() {
					continue
				}
				switch v := r.(type) {
				case *data.Person:
					if v.ConsentPublish.Given {
						want[clean(v.FamilyName)+", "+clean(v.GivenName)] = clean(v.GivenName) + " " + clean(v.FamilyName)
					}
				case *data.Business:
					if v.ConsentPublish.Given {
						want[clean(v.Name)] = clean(v.Name)
					}
				case *data.Organisation:
					want[clean(v.Name)] = clean(v.Name)
				}
			}
			if info.Entries == 0 || info.Entries < len(want) {
				t.Fatalf("%d entries for %d names", info.Entries, len(want))
			}

			indexTitle := i18n.T(c.lang, "report.index")
			boxes := bboxes(t, path)
			found := map[string][]int{} // filed name → pages, as the index lists them
			for i, pg := range boxes {
				if !strings.HasPrefix(strings.TrimSpace(pages[i]), indexTitle) {
					continue // not an index page: its running head is the index's title
				}
				for name, ps := range indexEntries(pg, c.size) {
					found[name] = append(found[name], ps...)
				}
			}
			checked := 0
			for name, printed := range want {
				ps, ok := found[name]
				if !ok {
					t.Errorf("index lacks %q", name)
					continue
				}
				for _, p := range ps {
					if p < 1 || p > len(pages) {
						t.Fatalf("index: %q on page %d, which does not exist", name, p)
					}
					pageText := pages[p-1]
					if checked < 25 { // as a reader would: that one page alone
						pageText = pdfText(t, path, p, p)
					}
					if !strings.Contains(squash(pageText), squash(printed)) {
						t.Errorf("index: %q on page %d, which does not have %q", name, p, printed)
					}
					checked++
				}
			}
			for name := range found {
				if _, ok := want[name]; !ok {
					t.Errorf("index lists %q, which is not a published entry", name)
				}
			}
			if checked < len(want) {
				t.Fatalf("only %d index references checked for %d names", checked, len(want))
			}

			// contents: a country's line points to the page that opens with it
			contentsTitle := i18n.T(c.lang, "report.contents")
			tocChecked := 0
			for i, lt := range layout {
				if !strings.HasPrefix(strings.TrimSpace(pages[i]), contentsTitle) {
					continue
				}
				for _, line := range strings.Split(lt, "\n") {
					m := tocLineRe.FindStringSubmatch(line)
					if m == nil || strings.HasPrefix(line, "    ") { // indented lines are cities
						continue
					}
					p, _ := strconv.Atoi(m[2])
					if p < 1 || p > len(pages) {
						t.Fatalf("contents line %q: no page %d", line, p)
					}
					if !strings.Contains(squash(pages[p-1]), squash(m[1])) {
						t.Errorf("contents: %q on page %d, which does not have it", m[1], p)
					}
					tocChecked++
				}
			}
			if tocChecked < 5 {
				t.Fatalf("only %d contents lines checked", tocChecked)
			}
		})
	}
}

// Bad input: an empty registry, a missing logo, no office details.
func TestPocketBookBadInput(t *testing.T) {
	needPoppler(t)
	cases := map[string]struct {
		src Source
		opt Options
	}{
		"empty registry":        {Records{}, Options{}},
		"nil records":           {Records{nil}, Options{Lang: i18n.SR}},
		"logo not an image":     {fixture(), Options{Office: data.Office{Name: "Ured", Logo: []byte("\x89PNG broken")}}},
		"only one country":      {fixture(), Options{Countries: []string{"se"}}},
		"only organisations":    {fixture(), Options{Kinds: []data.Kind{data.KindOrganisation}, Fields: []string{FieldEmail}}},
		"emoji in the foreword": {fixture(), Options{Foreword: "Dobro došli 👋\n\n\nsvima\x00!", Title: "Naslov 🎉 " + strings.Repeat("dugačak ", 40)}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			for _, size := range []Size{A6, A5} {
				c.opt.Size = size
				pdf, info := generate(t, PocketBook, c.src, c.opt)
				path := writeTemp(t, pdf)
				if n := pageCount(t, path); n < 4 || n != info.Pages {
					t.Fatalf("%d pages (Info %d)", n, info.Pages)
				}
				checkFonts(t, path)
			}
		})
	}
	pdf, _ := generate(t, PocketBook, fixture(), Options{Countries: []string{"se"}})
	text := squash(pdfText(t, writeTemp(t, pdf), 0, 0))
	if !strings.Contains(text, "Šefik Džaferović") || strings.Contains(text, "Amra Hodžić") {
		t.Error("the country filter let the wrong entries through")
	}
	pdf, _ = generate(t, PocketBook, Records{}, Options{Lang: i18n.BS})
	if text := squash(pdfText(t, writeTemp(t, pdf), 0, 0)); !strings.Contains(text, i18n.T(i18n.BS, "report.directory.empty")) {
		t.Error("an empty pocket book does not say it is empty")
	}
}

// A booklet's page count fills whole sheets, the padding goes before the
// back cover, and the imposed PDF has a quarter (A6) or half (A5) as many
// pages.
func TestPocketBookBooklet(t *testing.T) {
	needPoppler(t)
	for _, c := range []struct {
		size Size
		per  int
		up   int
	}{{A6, 8, 4}, {A5, 4, 2}} {
		for _, b := range []Binding{LongEdge, ShortEdge} {
			pdf, info := generate(t, PocketBook, fixture(), Options{Size: c.size, Booklet: b, Lang: i18n.SQ})
			if info.Pages%c.per != 0 {
				t.Errorf("%s: %d pages, not a multiple of %d", c.size, info.Pages, c.per)
			}
			if info.Sheets != info.Pages/c.up {
				t.Errorf("%s: %d A4 sides for %d pages", c.size, info.Sheets, info.Pages)
			}
			path := writeTemp(t, pdf)
			if n := pageCount(t, path); n != info.Sheets || n%2 != 0 {
				t.Errorf("%s: the imposed PDF has %d pages, want %d (whole sheets)", c.size, n, info.Sheets)
			}
			// the back cover is on the outside: on the first side, with the cover
			first := squash(pdfText(t, path, 1, 1))
			for _, want := range []string{i18n.T(i18n.SQ, "report.backcover.contacts"), i18n.T(i18n.SQ, "report.pocketbook.title")} {
				if !strings.Contains(first, want) {
					t.Errorf("%s %s: first side lacks %q: %s", c.size, b, want, first)
				}
			}
		}
	}
	// without imposition, the padding still goes before the back cover
	var buf bytes.Buffer
	info, err := Generate(context.Background(), &buf, PocketBook, fixture(), Options{Size: A5, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if info.Sheets != 0 {
		t.Error("Sheets set without a booklet")
	}
}

func TestGenerateProgressAndCancel(t *testing.T) {
	src := demoRecords(t, 300, true)
	for _, pub := range Publications {
		var calls, last int
		_, err := Generate(context.Background(), &bytes.Buffer{}, pub, src, Options{Now: testNow, Booklet: LongEdge,
			Size: pub.Sizes()[0], Progress: func(done, total int) {
				if total != progressTotal || done <= last || done > total {
					t.Fatalf("%s: progress %d/%d after %d", pub, done, total, last)
				}
				calls++
				last = done
			}})
		if err != nil {
			t.Fatal(err)
		}
		if last != progressTotal || calls < 2 {
			t.Errorf("%s: progress ended at %d after %d calls", pub, last, calls)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if _, err := Generate(ctx, &buf, PocketBook, demoRecords(t, 3000, true), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if buf.Len() != 0 {
		t.Fatal("a cancelled run wrote to w")
	}
}

func TestGenerateRefuses(t *testing.T) {
	for _, c := range []struct {
		pub Publication
		src Source
		opt Options
	}{
		{PocketBook, nil, Options{}},
		{Statistics, nil, Options{}},
		{PocketBook, Records{}, Options{Size: A4}},
		{Form, nil, Options{Size: A5}},
		{Publication("poster"), Records{}, Options{}},
		{Form, nil, Options{Booklet: "sideways"}},
	} {
		if _, err := Generate(context.Background(), &bytes.Buffer{}, c.pub, c.src, c.opt); err == nil {
			t.Errorf("%s %+v: no error", c.pub, c.opt)
		}
	}
	// the form needs no records
	if _, err := Generate(context.Background(), &bytes.Buffer{}, Form, nil, Options{}); err != nil {
		t.Fatal(err)
	}
}

// A name on many pages (namesakes all over the world) has its page numbers
// wrapped in the index, every one of them right.
func TestIndexOfANameOnManyPages(t *testing.T) {
	needPoppler(t)
	var src Records
	countries := []string{"AT", "DE", "CH", "SE", "NO", "DK", "FR", "IT", "NL", "BE", "LU", "US", "CA", "AU", "GB", "SI", "HR", "TR", "IE", "FI", "ES", "PT", "CZ", "PL", "HU", "SK", "NZ", "AR", "BR", "MX"}
	for i, c := range countries {
		p := person("Ana", "Kovač", "f", c, "Grad", true)
		p.ID = "ana-" + c
		src = append(src, p)
		for j := 0; j < 12; j++ { // enough neighbours to push each Ana to her own page
			q := person("Osoba"+strconv.Itoa(j), "Prezime"+strconv.Itoa(i), "m", c, "Grad", true)
			q.ID = "x-" + c + strconv.Itoa(j)
			src = append(src, q)
		}
	}
	for _, size := range []Size{A6, A5} {
		pdf, _ := generate(t, PocketBook, src, Options{Size: size})
		path := writeTemp(t, pdf)
		pages := pageTexts(t, path)
		boxes := bboxes(t, path)
		var want []int
		for i, p := range pages {
			if strings.Contains(squash(p), "Ana Kovač") {
				want = append(want, i+1)
			}
		}
		var got []int
		for i, pg := range boxes {
			if strings.HasPrefix(strings.TrimSpace(pages[i]), i18n.T(i18n.EN, "report.index")) {
				got = append(got, indexEntries(pg, size)["Kovač, Ana"]...)
			}
			for _, w := range pg.words {
				if w.xMax > pg.w || w.xMin < 0 {
					t.Errorf("%s page %d: %q off the page", size, i+1, w.text)
				}
			}
		}
		if len(want) < 10 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: index says Kovač, Ana is on %v; she is on %v", size, got, want)
		}
	}
}
