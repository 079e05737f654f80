package reports

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/demo"
	"registar/data/i18n"
)

// testNow is the date every test publication carries.
var testNow = time.Date(2026, 7, 15, 10, 0, 0, 0, time.UTC)

var consentYes = data.Consent{Given: true, Date: data.NewDate(2026, 5, 1), How: "form"}

func person(given, family, gender, country, city string, publish bool) *data.Person {
	p := &data.Person{GivenName: given, FamilyName: family, Gender: gender, Country: country, City: city,
		Profession: "Inženjer", Email: strings.ToLower(strings.ReplaceAll(given+"."+family, " ", "")) + "@example.com",
		Phone: "+4915112345678", Generation: 1, EmigrationYear: 1994, Education: "bachelor",
		Interests: []string{"invest", "culture"}}
	p.Kind = data.KindPerson
	p.ID = "p-" + given + "-" + family
	if publish {
		p.ConsentPublish = consentYes
	}
	return p
}

// fixture is a small registry with the names the tests look for: Cyrillic
// and Albanian ones, one person who did not consent, a country with one
// entry, a 200-character name, an entry without any contact.
func fixture() Records {
	long := strings.Repeat("Međunarodno udruženje bosanskohercegovačke dijaspore ", 4)[:200]
	rs := Records{
		person("Ђорђе", "Петровић", "m", "RS", "Beograd", true),
		person("Arbër", "Çelik", "m", "DE", "München", true),
		person("Ëngjëll", "Krasniqi", "f", "CH", "Zürich", true),
		person("Amra", "Hodžić", "f", "AT", "Wien", true),
		person("Tajna", "Skrivenović", "f", "AT", "Wien", false), // no consent: never printed
		person("Đorđe", "Petrović", "m", "AT", "Graz", true),
		person("Šefik", "Džaferović", "m", "SE", "Malmö", true), // Sweden: a country with one entry
		person("Emoji 😀", "Nuhiu\u200b", "f", "DE", "Berlin", true),
	}
	noContact := &data.Person{GivenName: "Nedžad", FamilyName: "Bezkontakta", Gender: "m", Country: "DE", City: "Berlin", ConsentPublish: consentYes}
	noContact.Kind, noContact.ID = data.KindPerson, "p-nocontact"
	rs = append(rs, noContact)
	org := &data.Organisation{Name: long, OrgKind: "diaspora_association", Country: "AT", City: "Wien",
		ContactPerson: "Mirsad Kovačević", Email: "info@" + strings.Repeat("verylongdomainname", 5) + ".at", Website: "https://bh-dijaspora.at/"}
	org.Kind, org.ID = data.KindOrganisation, "o-long"
	biz := &data.Business{Name: "Çelik Bau GmbH", Country: "DE", City: "München", Sector: "Građevina", Employees: 12, ConsentPublish: consentYes, Phone: "+498912345678"}
	biz.Kind, biz.ID = data.KindBusiness, "b-celik"
	bizNo := &data.Business{Name: "Tajno Preduzeće d.o.o.", Country: "DE", City: "München", Sector: "Trgovina"}
	bizNo.Kind, bizNo.ID = data.KindBusiness, "b-secret"
	loc := &data.Locality{Name: "Ostrožac", Municipality: "Cazin"}
	loc.Kind, loc.ID = data.KindLocality, "l-1"
	trashed := person("Obrisana", "Osoba", "f", "AT", "Wien", true)
	t := testNow
	trashed.TrashedAt = &t
	return append(rs, org, biz, bizNo, loc, trashed)
}

// demoRecords are n demo persons (with businesses and organisations).
func demoRecords(t testing.TB, persons int, allPublish bool) Records {
	t.Helper()
	var rs Records
	err := demo.Generate(demo.Options{Persons: persons, Businesses: persons / 20, Organisations: persons / 100, Seed: 3, Now: testNow},
		func(r data.Record) error {
			if allPublish {
				switch v := r.(type) {
				case *data.Person:
					v.ConsentPublish = consentYes
				case *data.Business:
					v.ConsentPublish = consentYes
				}
			}
			rs = append(rs, r)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func testOffice() data.Office {
	return data.Office{Name: "Ured za dijasporu Općine Cazin", Municipality: "Općina Cazin", Address: "Ćuprija 1, 77220 Cazin",
		Email: "dijaspora@cazin.ba", Phone: "+38737514500", Website: "https://cazin.ba", Logo: testLogo()}
}

// testLogo is a small PNG with transparency.
func testLogo() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 120, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 120; x++ {
			if (x-60)*(x-60)+(y-40)*(y-40) < 35*35 {
				img.Set(x, y, color.NRGBA{0, 90, 160, 255})
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// generate makes a publication or fails the test.
func generate(t testing.TB, pub Publication, src Source, opt Options) ([]byte, Info) {
	t.Helper()
	if opt.Now.IsZero() {
		opt.Now = testNow
	}
	var buf bytes.Buffer
	info, err := Generate(context.Background(), &buf, pub, src, opt)
	if err != nil {
		t.Fatalf("%s: %v", pub, err)
	}
	return buf.Bytes(), info
}

// ---- reading PDFs back with poppler-utils ----

func needPoppler(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdffonts", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (poppler-utils; `make test` installs it)", tool)
		}
	}
}

func writeTemp(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pdfText is the text of the PDF (pages from-to, 0 for all).
func pdfText(t testing.TB, path string, from, to int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if from > 0 {
		args = append(args, "-f", strconv.Itoa(from), "-l", strconv.Itoa(to))
	}
	return run(t, "pdftotext", append(args, path, "-")...)
}

// pageTexts splits the text of every page.
func pageTexts(t testing.TB, path string) []string {
	t.Helper()
	return strings.Split(pdfText(t, path, 0, 0), "\f")
}

var pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pageCount(t testing.TB, path string) int {
	t.Helper()
	m := pagesRe.FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkFonts fails unless every font of the PDF is embedded and at least
// the regular and bold Noto Sans are there.
func checkFonts(t testing.TB, path string) {
	t.Helper()
	out := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID: emb is the 4th from the end
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
		if !strings.Contains(strings.ToLower(f[0]), "notosans") {
			t.Errorf("unexpected font %s", f[0])
		}
	}
}

// squash joins the words of a text with single spaces, so that a name
// wrapped over two lines is still found.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

var allLangs = append([]i18n.Lang{i18n.EN}, i18n.All...)
