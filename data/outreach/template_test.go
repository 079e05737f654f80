package outreach

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
)

var (
	amra = Contact{ID: "0190a1b2-0000-7000-8000-000000000001", Kind: data.KindPerson, Name: "Amra Hodžić",
		GivenName: "Amra", FamilyName: "Hodžić", Gender: "f", Lang: i18n.BS, Email: "amra@example.de",
		Phone: "+4915112345678", Address: "Hauptstraße 5", City: "München", Country: "DE"}
	arben = Contact{ID: "0190a1b2-0000-7000-8000-000000000002", Kind: data.KindPerson, Name: "Arben Krasniqi",
		GivenName: "Arben", FamilyName: "Krasniqi", Gender: "m", Lang: i18n.SQ, City: "Zürich", Country: "CH"}
	marko = Contact{ID: "0190a1b2-0000-7000-8000-000000000003", Kind: data.KindPerson, Name: "Marko Petrović",
		GivenName: "Marko", FamilyName: "Petrović", Gender: "m", Lang: i18n.SR, City: "Wien", Country: "AT"}
	firm = Contact{ID: "0190a1b2-0000-7000-8000-000000000004", Kind: data.KindBusiness, Name: "Bosna Invest GmbH",
		Email: "office@bosna-invest.at", City: "Linz", Country: "AT"}

	cazin = Context{Office: data.Office{Name: "Ured za dijasporu", Municipality: "Cazin"}, OfficeLang: i18n.BS,
		Date: data.NewDate(2026, time.December, 7)}
)

func mustParse(t *testing.T, text string) *Template {
	t.Helper()
	tp, err := ParseTemplate(text)
	if err != nil {
		t.Fatalf("ParseTemplate(%q): %v", text, err)
	}
	return tp
}

func TestSalutationTable(t *testing.T) {
	cases := []struct {
		gender string
		lang   i18n.Lang
		want   string
	}{
		{"f", i18n.BS, "Poštovana"}, {"m", i18n.BS, "Poštovani"}, {"", i18n.BS, "Poštovani"},
		{"f", i18n.HR, "Poštovana"}, {"m", i18n.HR, "Poštovani"}, {"", i18n.HR, "Poštovani"},
		{"f", i18n.SRLatn, "Poštovana"}, {"m", i18n.SRLatn, "Poštovani"}, {"", i18n.SRLatn, "Poštovani"},
		{"f", i18n.SR, "Поштована"}, {"m", i18n.SR, "Поштовани"}, {"", i18n.SR, "Поштовани"},
		{"f", i18n.SQ, "E nderuar"}, {"m", i18n.SQ, "I nderuar"}, {"", i18n.SQ, "Të nderuar"},
		{"f", i18n.EN, "Dear"}, {"m", i18n.EN, "Dear"}, {"", i18n.EN, "Dear"},
		{"x", i18n.SQ, "Të nderuar"}, // a gender the model does not know: the neutral form
	}
	for _, c := range cases {
		if got := Salutation(c.gender, c.lang); got != c.want {
			t.Errorf("Salutation(%q, %s) = %q, want %q", c.gender, c.lang, got, c.want)
		}
	}
}

func TestRenderFillsFields(t *testing.T) {
	tp := mustParse(t, "{salutation} {given_name} {family_name},\n{name} · {city}, {country} · {address} · {email} · {phone}\n{office}, {municipality}, {date}")
	got := tp.Render(amra, cazin)
	want := "Poštovana Amra Hodžić,\nAmra Hodžić · München, Njemačka · Hauptstraße 5 · amra@example.de · +49 1511 2345678\nUred za dijasporu, Cazin, 7. decembar 2026."
	if got != want {
		t.Errorf("Render:\n got %q\nwant %q", got, want)
	}
}

func TestRenderDateAndCountryInLetterLanguage(t *testing.T) {
	tp := mustParse(t, "{salutation} {given_name}, {country}, {date}")
	cases := []struct {
		c    Contact
		want string
	}{
		{arben, "I nderuar Arben, Zvicër, 7 dhjetor 2026"},
		// Serbian Cyrillic: the name stays as the registry writes it (Latin),
		// salutation, country and date are Cyrillic.
		{marko, "Поштовани Marko, Аустрија, 7. децембар 2026."},
		{withLang(marko, i18n.SRLatn), "Poštovani Marko, Austrija, 7. decembar 2026."},
		{withLang(amra, i18n.HR), "Poštovana Amra, Njemačka, 7. prosinca 2026."},
		{withLang(amra, i18n.EN), "Dear Amra, Germany, 7 December 2026"},
	}
	for _, c := range cases {
		if got := tp.Render(c.c, cazin); got != c.want {
			t.Errorf("Render(%s, %s) = %q, want %q", c.c.Name, c.c.Lang, got, c.want)
		}
	}
}

func withLang(c Contact, l i18n.Lang) Contact { c.Lang = l; return c }

func TestRenderEmptyFieldCollapsesSpace(t *testing.T) {
	tp := mustParse(t, "{salutation} {given_name} {family_name},\n{given_name} {family_name} lives in {city}.")
	got := tp.Render(firm, cazin)
	want := "Poštovani,\nlives in Linz."
	if got != want {
		t.Errorf("Render(business) = %q, want %q", got, want)
	}
	noCity := amra
	noCity.City = ""
	if got, want := mustParse(t, "in {city} now").Render(noCity, cazin), "in now"; got != want {
		t.Errorf("empty city: %q, want %q", got, want)
	}
}

func TestRenderBusinessSalutationNeutral(t *testing.T) {
	tp := mustParse(t, "{salutation}")
	for _, c := range []struct {
		lang i18n.Lang
		want string
	}{{i18n.BS, "Poštovani"}, {i18n.SR, "Поштовани"}, {i18n.SQ, "Të nderuar"}, {i18n.EN, "Dear"}} {
		ctx := cazin
		ctx.OfficeLang = c.lang
		if got := tp.Render(firm, ctx); got != c.want {
			t.Errorf("business in %s: %q, want %q", c.lang, got, c.want)
		}
	}
}

func TestLiteralBraces(t *testing.T) {
	tp := mustParse(t, "{{given_name}} is {given_name}; css p { margin: 0 } and {{ }}")
	if got, want := tp.Render(amra, cazin), "{given_name} is Amra; css p { margin: 0 } and { }"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}

func TestUnknownFieldNamedWithLine(t *testing.T) {
	_, err := ParseTemplate("Dear {given_name},\n\nthank you, {nme}.\n")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.Key != "outreachtext.template.unknown_field_suggest" {
		t.Errorf("key = %q", e.Key)
	}
	msg := e.Message(i18n.EN)
	for _, want := range []string{"Line 3", "{nme}", "Did you mean {name}?", "{given_name}", "{salutation}", "{date}"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if bs := e.Message(i18n.BS); !strings.Contains(bs, "{nme}") || !strings.Contains(bs, "3") || bs == msg {
		t.Errorf("Bosnian message %q", bs)
	}
	// Nothing near: no suggestion. A clerk's word for a field: suggested.
	_, err = ParseTemplate("{xyzzy}")
	if !errors.As(err, &e) || e.Key != "outreachtext.template.unknown_field" || !strings.Contains(e.Message(i18n.EN), "Line 1") {
		t.Errorf("{xyzzy}: %v", err)
	}
	_, err = ParseTemplate("{Prezime}")
	if !errors.As(err, &e) || !strings.Contains(e.Message(i18n.BS), "{family_name}?") {
		t.Errorf("{Prezime}: %v", err)
	}
	// The language markers count as lines too.
	_, err = ParseTemplate("Poštovani,\n[[sq]]\nTë nderuar {emri}")
	if !errors.As(err, &e) || !strings.Contains(e.Message(i18n.EN), "Line 3") || !strings.Contains(e.Message(i18n.EN), "{emri}") {
		t.Errorf("err in the Albanian version = %v", err)
	}
}

func TestUnknownLanguageMarker(t *testing.T) {
	_, err := ParseTemplate("Hallo\n[[de]]\nHallo {given_name}")
	var e *Error
	if !errors.As(err, &e) || e.Key != "outreachtext.template.unknown_language" || !strings.Contains(e.Message(i18n.EN), "Line 2") {
		t.Fatalf("err = %v", err)
	}
	_, err = ParseTemplate("[[sq]]\na\n[[sq]]\nb")
	if !errors.As(err, &e) || e.Key != "outreachtext.template.duplicate_language" || !strings.Contains(e.Message(i18n.EN), "Line 3") {
		t.Fatalf("duplicate: err = %v", err)
	}
}

func TestRenderHTMLEscapesValues(t *testing.T) {
	tp := mustParse(t, "<p>{salutation} {name},</p>")
	c := firm
	c.Name = "Bosna & Hercegovina <Invest>"
	if got, want := tp.RenderHTML(c, cazin), "<p>Poštovani Bosna &amp; Hercegovina &lt;Invest&gt;,</p>"; got != want {
		t.Errorf("RenderHTML = %q, want %q", got, want)
	}
	if got := mustParse(t, multi).Langs(); !slices.Equal(got, []i18n.Lang{i18n.SQ, i18n.SR, i18n.SRLatn}) {
		t.Errorf("Langs = %q", got)
	}
}

func TestFieldNamesLenient(t *testing.T) {
	tp := mustParse(t, "{ Given_Name }")
	if got := tp.Render(amra, cazin); got != "Amra" {
		t.Errorf("Render = %q", got)
	}
}

const multi = "{salutation} {given_name},\ndobrodošli na Dane dijaspore.\n[[sq]]\n{salutation} {given_name},\nmirë se vini në Ditët e diasporës.\n[[sr]]\n{salutation} {given_name},\nдобродошли на Дане дијаспоре.\n"

func TestLanguageVersions(t *testing.T) {
	tp := mustParse(t, multi)
	cases := []struct {
		c        Contact
		wantLang i18n.Lang
		want     string
	}{
		{amra, i18n.BS, "Poštovana Amra,\ndobrodošli na Dane dijaspore."},
		{arben, i18n.SQ, "I nderuar Arben,\nmirë se vini në Ditët e diasporës."},
		{marko, i18n.SR, "Поштовани Marko,\nдобродошли на Дане дијаспоре."},
		// Serbian Latin reads the Cyrillic version transliterated.
		{withLang(marko, i18n.SRLatn), i18n.SRLatn, "Poštovani Marko,\ndobrodošli na Dane dijaspore."},
		// No English version: the office's language and the default text.
		{withLang(amra, i18n.EN), i18n.BS, "Poštovana Amra,\ndobrodošli na Dane dijaspore."},
		{withLang(amra, ""), i18n.BS, "Poštovana Amra,\ndobrodošli na Dane dijaspore."},
		{firm, i18n.BS, "Poštovani,\ndobrodošli na Dane dijaspore."},
	}
	for _, c := range cases {
		if got := tp.LangFor(c.c, cazin); got != c.wantLang {
			t.Errorf("LangFor(%s %q) = %q, want %q", c.c.Name, c.c.Lang, got, c.wantLang)
		}
		if got := strings.TrimSpace(tp.Render(c.c, cazin)); got != c.want {
			t.Errorf("Render(%s %q) = %q, want %q", c.c.Name, c.c.Lang, got, c.want)
		}
	}
}

func TestSingleVersionFollowsContactLanguage(t *testing.T) {
	tp := mustParse(t, "{salutation} {given_name}, {date}")
	if got := tp.LangFor(arben, cazin); got != i18n.SQ {
		t.Errorf("LangFor = %q, want sq", got)
	}
	if got, want := tp.Render(arben, cazin), "I nderuar Arben, 7 dhjetor 2026"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
	if got := tp.LangFor(firm, cazin); got != i18n.BS {
		t.Errorf("LangFor(business) = %q, want the office's bs", got)
	}
}

func TestNoDefaultVersion(t *testing.T) {
	// Only marked versions, none in the office's language: the first one.
	tp := mustParse(t, "\n[[sq]]\nMirë se vini\n[[en]]\nWelcome\n")
	if got := tp.LangFor(withLang(amra, ""), cazin); got != i18n.SQ {
		t.Errorf("LangFor = %q, want sq", got)
	}
	if got := strings.TrimSpace(tp.Render(withLang(amra, i18n.EN), cazin)); got != "Welcome" {
		t.Errorf("Render = %q", got)
	}
	// sr-Latn marker.
	tp = mustParse(t, "Zdravo\n[[sr-Latn]]\nZdravo {given_name}")
	if got := tp.LangFor(marko, cazin); got != i18n.SRLatn {
		t.Errorf("a Cyrillic reader with only a Latin version: LangFor = %q", got)
	}
}

func TestPreferredLang(t *testing.T) {
	cases := []struct {
		in   []string
		want i18n.Lang
	}{
		{nil, ""},
		{[]string{"bosanski"}, i18n.BS},
		{[]string{"Njemački", "Bosanski jezik"}, i18n.BS},
		{[]string{"Deutsch", "shqip"}, i18n.SQ},
		{[]string{"German, Albanian"}, i18n.SQ},
		{[]string{"gjuha shqipe"}, i18n.SQ},
		{[]string{"ALBANSKI"}, i18n.SQ},
		{[]string{"sq"}, i18n.SQ},
		{[]string{"српски"}, i18n.SR},
		{[]string{"СРПСКИ"}, i18n.SR},
		{[]string{"Serbian"}, i18n.SR},
		{[]string{"srpski"}, i18n.SRLatn},
		{[]string{"srpski (ćirilica)"}, i18n.SR},
		{[]string{"sr-Latn"}, i18n.SRLatn},
		{[]string{"sr"}, i18n.SR},
		{[]string{"hrvatski"}, i18n.HR},
		{[]string{"Hrvatski"}, i18n.HR},
		{[]string{"Croatian"}, i18n.HR},
		{[]string{"English"}, i18n.EN},
		{[]string{"engleski"}, i18n.EN},
		{[]string{"anglisht"}, i18n.EN},
		{[]string{"bosnjacki"}, i18n.BS},
		{[]string{"Deutsch", "Türkçe"}, ""},
		{[]string{"de"}, ""},
	}
	for _, c := range cases {
		if got := PreferredLang(c.in); got != c.want {
			t.Errorf("PreferredLang(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every key this part uses exists in every language (the i18n package's
// own test checks the catalogues agree with English).
func TestCatalogueKeys(t *testing.T) {
	keys := []string{"outreachtext.template.unknown_field", "outreachtext.template.unknown_language",
		"outreachtext.template.duplicate_language", "outreachtext.salutation.f", "outreachtext.salutation.m",
		"outreachtext.salutation.neutral", "outreachtext.date", "outreachtext.attn"}
	for m := 1; m <= 12; m++ {
		keys = append(keys, "outreachtext.month."+strconv.Itoa(m))
	}
	for _, k := range keys {
		for _, l := range []i18n.Lang{i18n.EN, i18n.BS, i18n.HR, i18n.SR, i18n.SQ} {
			if !i18n.Has(l, k) {
				t.Errorf("%s: %s missing", l, k)
			}
		}
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{multi, "{{}}", "{", "}", "{given_name", "[[sq]]", "{ x }", "a {nme} b", "[[sr-Latn]]\n{date}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tp, err := ParseTemplate(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		_ = tp.Render(amra, cazin)
		_ = tp.Render(firm, Context{})
	})
}
