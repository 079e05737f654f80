package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"registar/data/i18n"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want, wantMulti string }{
		{"  Đorđe  Petrović ", "Đorđe Petrović", "Đorđe Petrović"},
		{"Ђорђе Петровић", "Ђорђе Петровић", ""},
		{"Arbër Çelik", "Arbër Çelik", ""},
		{"Ana 😀 Kovač", "Ana Kovač", ""},
		{"😀😀", "", ""},
		{"Nu\u200bhiu\u200d", "Nuhiu", ""},
		{"c\u030Cevapi", "čevapi", ""}, // decomposed č is composed
		{"a\tb\x00c\x1b", "a bc", ""},
		{"Line one\r\nline two\n\n\n\nthree", "Line one line two three", "Line one\nline two\n\nthree"},
		{"\ufeffBOM", "BOM", ""},
		{"王 Wang", "? Wang", ""}, // a letter the font lacks stays visible
		{"☎ +387", "+387", ""},
		{"\xff\xfeinvalid", "invalid", ""},
		{"ǅemal", "ǅemal", ""},
	}
	for _, c := range cases {
		if got := clean(c.in); got != c.want {
			t.Errorf("clean(%q) = %q, want %q", c.in, got, c.want)
		}
		want := c.wantMulti
		if want == "" {
			want = c.want
		}
		if got := cleanText(c.in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", c.in, got, want)
		}
	}
}

// No rune above U+FFFF ever survives: gofpdf would panic on it.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"Đorđe", "😀", "a\u0301", "\x00\n", "𝒜𝒷𝒸"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{clean(s), cleanText(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 from %q", s)
			}
			for _, r := range out {
				if r > 0xFFFF || (r < 0x20 && r != '\n') {
					t.Fatalf("%U survived in %q", r, out)
				}
			}
		}
		d := newDoc(A6, i18n.EN, "fuzz", testNow)
		d.pdf.AddPage()
		d.font(false, 8)
		for _, l := range d.wrap(clean(s), 30) {
			d.text(5, 5, l)
		}
		if d.pdf.Err() {
			t.Fatal(d.pdf.Error())
		}
	})
}

func TestWrap(t *testing.T) {
	d := newDoc(A6, i18n.EN, "wrap", testNow)
	d.font(false, 8)
	long := "info@" + strings.Repeat("verylongdomainname", 6) + ".ba"
	for _, s := range []string{long, "Kratko ime", strings.Repeat("riječ ", 60), "+387\u00A061\u00A0242\u00A0771" + contactSep + long} {
		lines := d.wrap(s, 40)
		if strings.Join(strings.Fields(strings.Join(lines, "")), "") != strings.Join(strings.Fields(s), "") {
			t.Errorf("wrap lost text: %q → %q", s, lines)
		}
		for _, l := range lines {
			if w := d.width(l); w > 40.01 {
				t.Errorf("line %q is %.1f mm wide, column 40", l, w)
			}
		}
	}
	// a phone number never breaks
	for _, l := range d.wrap("Telefon +387\u00A061\u00A0242\u00A0771 i još malo teksta da se prelomi", 30) {
		if strings.Contains(l, "+387") && !strings.Contains(l, "771") {
			t.Errorf("phone number broken: %q", l)
		}
	}
	if got := d.fit(strings.Repeat("W", 100), 20); d.width(got) > 20 || !strings.HasSuffix(got, "…") {
		t.Errorf("fit: %q", got)
	}
}

func TestFormats(t *testing.T) {
	if got := formatPercent(1, 8, i18n.BS); got != "12,5\u00A0%" {
		t.Errorf("percent bs %q", got)
	}
	if got := formatPercent(1, 8, i18n.EN); got != "12.5%" {
		t.Errorf("percent en %q", got)
	}
	if got := formatPercent(1, 0, i18n.EN); got != "–" {
		t.Errorf("percent of nothing %q", got)
	}
	if got := formatDate(testNow, i18n.HR); got != "15.07.2026." {
		t.Errorf("date hr %q", got)
	}
	if got := formatPhone("+38761242771"); got != "+387\u00A061\u00A0242\u00A0771" {
		t.Errorf("phone %q", got)
	}
	if got := formatPhone("061 242 771"); got != "061 242 771" {
		t.Errorf("phone not E.164 %q", got)
	}
}

func TestInitial(t *testing.T) {
	for _, c := range []struct {
		name string
		lang i18n.Lang
		want string
	}{
		{"Njegoš, Petar", i18n.BS, "Nj"}, {"Njegoš, Petar", i18n.EN, "N"}, {"Džaferović", i18n.HR, "Dž"},
		{"Xhafa, Arben", i18n.SQ, "Xh"}, {"Çelik", i18n.SQ, "Ç"}, {"ǅananović", i18n.BS, "ǅ"},
		{"Ђорђевић", i18n.SR, "Ђ"}, {"„Kuća” d.o.o.", i18n.BS, "K"}, {"2000 Auto", i18n.EN, "#"}, {"", i18n.EN, "#"},
	} {
		if got := initial(c.name, c.lang); got != c.want {
			t.Errorf("initial(%q, %s) = %q, want %q", c.name, c.lang, got, c.want)
		}
	}
}

func TestParsers(t *testing.T) {
	for in, want := range map[string]Publication{"pocketbook": PocketBook, "Brochure": Brochure, "stats": Statistics, "form": Form} {
		if got, err := ParsePublication(in); err != nil || got != want {
			t.Errorf("ParsePublication(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParsePublication("poster"); err == nil {
		t.Error("ParsePublication(poster): no error")
	}
	for in, want := range map[string]Binding{"": NoBooklet, "long": LongEdge, "SHORT": ShortEdge, "none": NoBooklet} {
		if got, err := ParseBinding(in); err != nil || got != want {
			t.Errorf("ParseBinding(%q) = %q, %v", in, got, err)
		}
	}
	for _, l := range allLangs {
		for _, b := range Bindings {
			if bt := b.Title(l); strings.HasPrefix(bt, "report.") {
				t.Errorf("%s %q: no title", l, b)
			}
		}
		for _, f := range PocketBookFields {
			if ft := FieldTitle(f, l); ft == "" || strings.Contains(ft, ".") {
				t.Errorf("%s field %q: title %q", l, f, ft)
			}
		}
		for _, p := range Publications {
			if pt := p.Title(l); strings.HasPrefix(pt, "report.") {
				t.Errorf("%s %s: no title", l, p)
			}
		}
	}
	if _, err := ParseSize("a3"); err == nil {
		t.Error("ParseSize(a3): no error")
	}
}

var placeholderRe = regexp.MustCompile(`\{[a-z]+\}`)

// Every report text keeps the placeholders of the English one.
func TestCatalogPlaceholders(t *testing.T) {
	en := i18n.Catalog(i18n.EN)
	for _, l := range i18n.All {
		c := i18n.Catalog(l)
		for k, v := range en {
			if !strings.HasPrefix(k, "report.") {
				continue
			}
			for _, ph := range placeholderRe.FindAllString(v, -1) {
				if !strings.Contains(c[k], ph) {
					t.Errorf("%s %s lost %s: %q", l, k, ph, c[k])
				}
			}
		}
	}
	// the Serbian file is Cyrillic only: Serbian Latin is derived from it
	b, err := os.ReadFile(filepath.Join("..", "data", "i18n", "catalog", "reports.sr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	latin := regexp.MustCompile(`[A-Za-zČĆĐŠŽčćđšž]{2,}`)
	for k, v := range m {
		if w := latin.FindString(placeholderRe.ReplaceAllString(v, "")); w != "" {
			t.Errorf("reports.sr.json %s has Latin %q", k, w)
		}
	}
}
