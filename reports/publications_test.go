package reports

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

// headings are catalogue keys each publication must show in its language.
var headings = map[Publication][]string{
	PocketBook: {"report.pocketbook.title", "report.foreword", "report.contents", "report.index", "report.backcover.contacts"},
	Brochure:   {"report.brochure.title", "report.brochure.about", "report.brochure.offers", "report.brochure.figures", "report.brochure.where", "report.brochure.wants", "report.stats.col.count"},
	Statistics: {"report.stats.title", "report.contents", "report.stats.gender", "report.stats.country", "report.stats.locality", "report.stats.profession",
		"report.stats.education", "report.stats.generation", "report.stats.emigration", "report.stats.interests", "report.stats.consent",
		"report.stats.business.sector", "report.stats.org.kind", "report.stats.col.women", "report.stats.col.men"},
	Form: {"report.form.title", "report.form.section.person", "report.form.section.consent", "report.form.consent.publish", "report.form.section.office"},
}

var rawKey = regexp.MustCompile(`\b(report|field|value|kind)\.[a-z_]+\.?[a-z_]*\b`)

// Every publication renders its headings in every language and script,
// with no catalogue key left untranslated.
func TestEveryLanguageRendersItsHeadings(t *testing.T) {
	needPoppler(t)
	src := append(demoRecords(t, 200, false), fixture()...)
	for _, lang := range allLangs {
		for _, pub := range Publications {
			pdf, _ := generate(t, pub, src, Options{Lang: lang, Office: testOffice()})
			path := writeTemp(t, pdf)
			checkFonts(t, path)
			text := squash(pdfText(t, path, 0, 0))
			for _, key := range headings[pub] {
				want := squash(i18n.T(lang, key))
				if len([]rune(want)) > 60 {
					want = string([]rune(want)[:60]) // long texts wrap; their start is enough
				}
				if !strings.Contains(text, want) {
					t.Errorf("%s %s: %q (%s) missing", lang, pub, want, key)
				}
			}
			if k := rawKey.FindString(text); k != "" {
				t.Errorf("%s %s: untranslated key %q in the text", lang, pub, k)
			}
			if lang == i18n.SR && !strings.Contains(text, "Ж") && !strings.Contains(text, "ж") && !strings.Contains(text, "ш") {
				t.Errorf("%s %s: no Cyrillic in the text", lang, pub)
			}
		}
	}
}

// The form shows every field a person has, by its label in the language,
// and the choices by their value labels.
func TestFormFieldsAndChoices(t *testing.T) {
	needPoppler(t)
	for _, lang := range []i18n.Lang{i18n.BS, i18n.SR, i18n.SQ} {
		pdf, info := generate(t, Form, nil, Options{Lang: lang})
		path := writeTemp(t, pdf)
		text := squash(pdfText(t, path, 0, 0))
		for _, f := range []string{"given_name", "family_name", "parent_name", "gender", "birth_date", "home_municipality",
			"locality_id", "country", "city", "address", "email", "phone", "profession", "education", "emigration_year",
			"days_home_per_year", "generation", "interests", "needs", "languages"} {
			if l := data.FieldLabel(f, lang); !strings.Contains(text, l) {
				t.Errorf("%s form: field %q (%s) missing", lang, l, f)
			}
		}
		for _, c := range append(append([]string{}, data.Educations...), data.Interests...) {
			group := data.GroupEducation
			if !contains(data.Educations, c) {
				group = data.GroupInterest
			}
			if l := data.ValueLabel(group, c, lang); !strings.Contains(text, l) {
				t.Errorf("%s form: choice %q missing", lang, l)
			}
		}
		if info.Pages != 2 {
			t.Errorf("%s form: %d pages, want 2", lang, info.Pages)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// The statistics report counts what the records say, by gender.
func TestStatisticsReportNumbers(t *testing.T) {
	needPoppler(t)
	st, err := CollectStats(context.Background(), fixture(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 9 persons (the trashed one left out), 2 businesses, 1 organisation, 1 locality
	if st.Persons != 9 || st.Businesses != 2 || st.Organisations != 1 || st.Localities != 1 {
		t.Fatalf("totals %+v", st)
	}
	if st.Gender != (GenderCount{F: 4, M: 5}) {
		t.Errorf("gender %+v", st.Gender)
	}
	if g := st.ByCountry["AT"]; g == nil || *g != (GenderCount{F: 2, M: 1}) {
		t.Errorf("Austria %+v", g)
	}
	if st.Publish.Total() != 8 || st.BusinessPublish != 1 {
		t.Errorf("publish consent %+v, businesses %d", st.Publish, st.BusinessPublish)
	}
	if g := st.ByInterest["invest"]; g == nil || g.Total() != 8 {
		t.Errorf("interest invest %+v", g)
	}
	if n := st.ByCity["AT/"+"wien"]; n == nil || n.Name != "Wien" || n.Total() != 2 {
		t.Errorf("Wien %+v", n)
	}
	if st.Countries() != 5 {
		t.Errorf("%d countries", st.Countries())
	}

	pdf, _ := generate(t, Statistics, nil, Options{Lang: i18n.BS, Stats: st})
	text := squash(pdfText(t, writeTemp(t, pdf), 0, 0))
	for _, want := range []string{
		"Austrija 2 1 0 3 33,3 %", // country, women, men, not stated, total, share of persons
		"Wien (Austrija) 2 0 0 2",
		"Ulaganje u domovini",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from\n%s", want, text)
		}
	}
}

// An empty registry still gives every publication, with zeros.
func TestEmptyRegistry(t *testing.T) {
	needPoppler(t)
	for _, pub := range Publications {
		for _, size := range pub.Sizes() {
			for _, b := range []Binding{NoBooklet, ShortEdge} {
				pdf, info := generate(t, pub, Records{}, Options{Lang: i18n.SQ, Size: size, Booklet: b})
				path := writeTemp(t, pdf)
				checkFonts(t, path)
				if n := pageCount(t, path); n == 0 || (b == NoBooklet && n != info.Pages) {
					t.Errorf("%s %s %s: %d pages (Info %+v)", pub, size, b, n, info)
				}
			}
		}
	}
}
