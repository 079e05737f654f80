package exchange

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
)

// odkSample is the submission the forms for phones' tests fill through
// ODK's own form engine, when it is there.
const odkSample = "../odk/testdata/instance-person.xml"

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<data id="registar-persons"><given_name>&lol9;</given_name><family_name>X</family_name></data>`

// The phone's odk folder as copied: instances in their folders with a
// photo, a nested group, a submission of another form, one cut short, and
// the form's definition beside them.
func TestInstanceFolder(t *testing.T) {
	sh := openSource(t, fieldData)
	o := sh.Origin
	if o == nil || o.Kind != OriginInstances || o.FormID != "registar-persons" || o.Submissions != 3 || o.OtherForm != 1 ||
		o.FormVersion != "2026113001" || len(o.Unreadable) != 1 {
		t.Fatalf("origin %+v", o)
	}
	if u := o.Unreadable[0]; !strings.HasPrefix(u, "instances/registar-persons_2026-12-04_13-05-55/registar-persons_2026-12-04_13-05-55.xml: damaged XML") {
		t.Errorf("unreadable: %q", u)
	}
	if sh.Format != FormatXML || sh.File != "field" {
		t.Errorf("format %q file %q", sh.Format, sh.File)
	}
	recs := records(t, sh)
	if len(recs) != 2 {
		t.Fatalf("rows %v", recs)
	}
	want(t, recs[0], map[string]string{
		"#where":      "instances/registar-persons_2026-12-04_10-15-02/registar-persons_2026-12-04_10-15-02.xml",
		"#submission": "uuid:a1b2c3d4-0001-4a5b-8c9d-0e1f2a3b4c01", "given_name": "Đorđe", "family_name": "Petrović",
		"gender": "m", "birth_date": "1975-05-30", "locality_id": "Pećigrad", "country": "AT", "city": "Linz",
		"interests": "invest; return", "consent_contact": "yes", "consent_contact.date": "2026-12-04", "consent_publish.date": "",
	})
	// No end time: the date in Collect's folder name is the consent's.
	want(t, recs[1], map[string]string{"given_name": "Selma", "#submission": "uuid:a1b2c3d4-0002-4a5b-8c9d-0e1f2a3b4c02",
		"email": "", "consent_publish.date": "2026-12-04", "consent_publish.how": "form"})
	if sh.Rows[0].N != 1 || sh.Rows[1].N != 2 {
		t.Errorf("row numbers %d %d", sh.Rows[0].N, sh.Rows[1].N)
	}
}

// Files that cannot be read are listed with their reason; the rest import.
func TestInstanceFolderBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := `<data id="registar-persons" version="1"><given_name>Amra</given_name><family_name>Kovač</family_name><meta><instanceID>uuid:1</instanceID></meta></data>`
	files := map[string]string{
		"a/good.xml":      good,
		"b/bomb.xml":      billionLaughs,
		"c/doctype.xml":   `<!DOCTYPE data><data id="registar-persons"><given_name>A</given_name></data>`,
		"d/huge.xml":      `<data id="registar-persons"><notes>` + strings.Repeat("x", maxInstanceSize) + `</notes></data>`,
		"e/deep.xml":      `<data id="registar-persons">` + strings.Repeat("<g>", 100) + strings.Repeat("</g>", 100) + `</data>`,
		"f/encrypted.xml": `<data id="registar-persons" encrypted="yes"><base64EncryptedKey>x</base64EncryptedKey></data>`,
		"g/noid.xml":      `<podaci><given_name>A</given_name></podaci>`,
		"h/latin2.xml":    `<?xml version="1.0" encoding="ISO-8859-2"?><data id="registar-persons"/>`,
		"i/two-roots.xml": `<data id="registar-persons"/><data id="registar-persons"/>`,
		"j/empty.xml":     ``,
		"note.txt":        "not xml",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	sh := openSource(t, dir)
	if len(sh.Rows) != 1 || sh.Rows[0].Submission != "uuid:1" {
		t.Fatalf("rows %+v", sh.Rows)
	}
	reasons := strings.Join(sh.Origin.Unreadable, "\n")
	for _, w := range []string{
		"b/bomb.xml: damaged XML", "c/doctype.xml: damaged XML (it declares a DOCTYPE", "d/huge.xml: too large",
		"e/deep.xml: damaged XML (nested too deep)", "f/encrypted.xml: damaged XML (the submission is encrypted)",
		"g/noid.xml: not a submission", "h/latin2.xml: damaged XML", "i/two-roots.xml: damaged XML", "j/empty.xml: not a submission",
	} {
		if !strings.Contains(reasons, w) {
			t.Errorf("no %q in\n%s", w, reasons)
		}
	}
	if len(sh.Origin.Unreadable) != 9 {
		t.Errorf("unreadable: %d\n%s", len(sh.Origin.Unreadable), reasons)
	}

	// Nothing readable at all: one line.
	os.RemoveAll(filepath.Join(dir, "a"))
	_, err := OpenSource(dir, ReadOptions{})
	if !errors.Is(err, &SourceError{key: keyNoneReadable}) || !strings.Contains(err.Error(), "None of the 9") {
		t.Errorf("none readable: %v", err)
	}
}

func TestInstancesOfAnotherForm(t *testing.T) {
	dir := t.TempDir()
	for i, id := range []string{"anketa-domacinstva", "anketa-domacinstva", "popis-stoke"} {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.xml", i)), []byte(`<data id="`+id+`"><broj>1</broj></data>`), 0o644)
	}
	_, err := OpenSource(dir, ReadOptions{})
	var se *SourceError
	if !errors.As(err, &se) || se.key != keyOtherForms || !strings.Contains(se.Message(i18n.HR), "(3)") ||
		!strings.Contains(se.Message(i18n.HR), "anketa-domacinstva, popis-stoke") {
		t.Fatalf("%v", err)
	}
	// One file given alone.
	_, err = OpenSource(filepath.Join(dir, "2.xml"), ReadOptions{})
	if !errors.As(err, &se) || se.key != keyOtherForms {
		t.Errorf("one file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "bomb.xml"), []byte(billionLaughs), 0o644)
	if _, err := OpenSource(filepath.Join(dir, "bomb.xml"), ReadOptions{}); !errors.Is(err, &SourceError{key: keyNoneReadable}) {
		t.Errorf("a bomb given alone: %v", err)
	}
	// A folder with more submission files than the rows allowed.
	if _, err := OpenSource(dir, ReadOptions{MaxRows: 2}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many files: %v", err)
	}
}

// A folder of businesses' submissions makes a sheet of businesses.
func TestInstancesOfBusinesses(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "b.xml"), []byte(`<data id="registar-businesses" version="7"><name>Delić d.o.o.</name><country>DE</country><sector>građevina</sector><invest_at_home>yes</invest_at_home><consent_contact>yes</consent_contact><end>2026-12-05T10:00:00.000+01:00</end><meta><instanceID>uuid:b1</instanceID></meta></data>`), 0o644)
	os.WriteFile(filepath.Join(dir, "b2.xml"), []byte(`<data id="registar-businesses" version="7"><name>Kovač i sinovi</name><country>AT</country><meta><instanceID>uuid:b2</instanceID></meta></data>`), 0o644)
	os.WriteFile(filepath.Join(dir, "p.xml"), []byte(`<data id="registar-persons"><given_name>A</given_name></data>`), 0o644)
	sh := openSource(t, dir)
	if sh.Origin.RecordKind() != data.KindBusiness || sh.Origin.OtherForm != 1 || len(sh.Rows) != 2 {
		t.Fatalf("origin %+v rows %+v", sh.Origin, sh.Rows)
	}
	recs := records(t, sh)
	want(t, recs[0], map[string]string{"name": "Delić d.o.o.", "invest_at_home": "yes", "consent_contact.date": "2026-12-05"})
}

func TestParseInstanceNamespaces(t *testing.T) {
	inst, err := parseInstance([]byte(`<?xml version="1.0"?><h:data xmlns:h="urn:x" xmlns:orx="http://openrosa.org/xforms" id="registar-persons" version="3"><h:g><h:given_name> Amra </h:given_name></h:g><orx:meta><orx:instanceID>uuid:n</orx:instanceID></orx:meta></h:data>`))
	if err != nil || inst.formID != "registar-persons" || inst.version != "3" || inst.instanceID != "uuid:n" ||
		len(inst.leaves) != 1 || inst.leaves[0] != (leaf{"given_name", "Amra"}) {
		t.Fatalf("%+v %v", inst, err)
	}
}

// The instance reader never panics and never returns a submission without
// its form's ID, whatever the bytes.
func FuzzParseInstance(f *testing.F) {
	for _, s := range []string{
		`<data id="registar-persons" version="1"><g><given_name>A</given_name></g><meta><instanceID>uuid:1</instanceID></meta></data>`,
		billionLaughs, `<h:html xmlns:h="x"/>`, `<data id="x" encrypted="yes"/>`, `<a><b></a>`, `<?xml version="1.0"?>`, "",
		`<data id="registar-persons"><meta><instanceID>uuid:1</instanceID></meta></data><x/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		inst, err := parseInstance(b)
		if err != nil {
			if inst != nil {
				t.Fatal("an error with a result")
			}
			return
		}
		if !inst.form && inst.formID == "" {
			t.Fatalf("a submission without its form: %+v", inst)
		}
		if len(inst.leaves) > maxInstanceNodes {
			t.Fatalf("%d leaves", len(inst.leaves))
		}
	})
}

// personInstance is a submission as ODK Collect writes it.
func personInstance(i int) []byte {
	return []byte(fmt.Sprintf(`<?xml version='1.0' encoding='UTF-8' ?><data id="registar-persons" version="2026120701" xmlns:orx="http://openrosa.org/xforms"><start>2026-12-04T10:15:02.331+01:00</start><end>2026-12-04T10:21:47.902+01:00</end><osobni_podaci><given_name>Ime%d</given_name><family_name>Prezime%d</family_name><gender>%s</gender><birth_date>19%02d-%02d-%02d</birth_date></osobni_podaci><locality_id>Pećigrad</locality_id><country>DE</country><city>Stuttgart</city><email>osoba%d@example.de</email><phone>+49 176 %08d</phone><profession>inženjer</profession><interests>invest return</interests><consent_contact>yes</consent_contact><consent_publish>no</consent_publish><meta><instanceID>uuid:00000000-0000-4000-8000-%012d</instanceID></meta></data>`,
		i, i, []string{"f", "m"}[i%2], 50+i%40, 1+i%12, 1+i%28, i, 10000000+i, i))
}

// Importing 5,000 ODK instance files from a folder against the same
// 5,000 persons from one .xlsx: OpenSource and Prepare, into a registry
// with the local community.
func BenchmarkImportSources(b *testing.B) {
	const n = 5000
	dir := b.TempDir()
	rows := [][]any{{"Ime", "Prezime", "Spol", "Datum rođenja", "Mjesna zajednica", "Država", "Grad", "E-mail", "Telefon", "Zanimanje", "Interesi", "Saglasnost za kontakt", "Saglasnost za objavu"}}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("registar-persons_2026-12-04_10-%02d-%02d_%d", i/60%60, i%60, i)
		p := filepath.Join(dir, "instances", name, name+".xml")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, personInstance(i), 0o644); err != nil {
			b.Fatal(err)
		}
		rows = append(rows, []any{fmt.Sprintf("Ime%d", i), fmt.Sprintf("Prezime%d", i), []string{"f", "m"}[i%2],
			time.Date(1950+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), "Pećigrad", "DE", "Stuttgart",
			fmt.Sprintf("osoba%d@example.de", i), fmt.Sprintf("+49 176 %08d", 10000000+i), "inženjer", "invest; return", "da", "ne"})
	}
	xlsx := filepath.Join(dir, "osobe.xlsx")
	if err := os.WriteFile(xlsx, xlsxOf(b, rows), 0o644); err != nil {
		b.Fatal(err)
	}
	st := memStore(b)
	addLocality(b, st, "Pećigrad", "Cazin")
	for _, src := range []struct{ name, path string }{{"instances", dir}, {"xlsx", xlsx}} {
		b.Run(src.name+"/open", func(b *testing.B) {
			for b.Loop() {
				if _, err := OpenSource(src.path, ReadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(src.name+"/open+prepare", func(b *testing.B) {
			for b.Loop() {
				sh, err := OpenSource(src.path, ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				m, err := Recognise(sh, data.KindPerson)
				if err != nil {
					b.Fatal(err)
				}
				p, err := Prepare(context.Background(), st, sh, m, Options{Lang: i18n.BS})
				if err != nil {
					b.Fatal(err)
				}
				if p.Counts.Added != n {
					b.Fatalf("%s: %+v %v", src.name, p.Counts, p.Rejected()[:1])
				}
			}
		})
	}
}
