package main

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"registar/data"
	"registar/data/store"
)

// officeLogo is a 120×80 PNG with transparency, like an office's logo.
func officeLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 120, 80))
	for y := range 80 {
		for x := range 120 {
			if (x-60)*(x-60)+(y-40)*(y-40) < 35*35 {
				img.Set(x, y, color.NRGBA{0, 90, 160, 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// setOfficeJSON stores the office setting exactly as given, as an older
// Registar wrote it.
func setOfficeJSON(t *testing.T, db, js string) {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SetSetting(data.OfficeSetting, []byte(js)); err != nil {
		t.Fatal(err)
	}
}

// storedOffice reads the office setting back.
func storedOffice(t *testing.T, db string) (data.Office, string) {
	t.Helper()
	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := st.Setting(data.OfficeSetting)
	if err != nil {
		t.Fatal(err)
	}
	o, err := data.ParseOffice(b)
	if err != nil {
		t.Fatal(err)
	}
	return o, string(b)
}

// logoImageRe finds the logo among a PDF's image XObjects by its size
// (gofpdf writes the dictionaries uncompressed, one key a line).
var logoImageRe = regexp.MustCompile(`/Subtype /Image\s*/Width 120\s*/Height 80`)

func hasLogo(t *testing.T, path string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return logoImageRe.Match(b)
}

// An office saved by the app's Settings keeps its logo under "logo":
// the CLI's publications print it, and `registar-cli office` keeps it when
// it changes the municipality.
func TestReportPrintsTheLogoTheAppSaved(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "40", "--seed", "3")
	logo := officeLogo(t)
	setOfficeJSON(t, db, `{"name":"Ured za dijasporu Grada Bihaća","municipality":"Bihać","address":"Bosanska 3",`+
		`"email":"dijaspora@bihac.org","phone":"+38737229100","region":"BA","logo":"`+base64.StdEncoding.EncodeToString(logo)+`"}`)

	for _, pub := range []string{"pocketbook", "brochure", "form"} {
		out := filepath.Join(dir, pub+".pdf")
		mustCLI(t, nil, "--db", db, "report", pub, "--out", out, "--lang", "bs")
		if !hasLogo(t, out) {
			t.Errorf("%s: the office's logo is not in the PDF", pub)
		}
	}

	mustCLI(t, nil, "--db", db, "office", "--municipality", "Grad Bihać")
	o, raw := storedOffice(t, db)
	if o.Municipality != "Grad Bihać" || o.Name != "Ured za dijasporu Grada Bihaća" || o.Region != "BA" || o.Address != "Bosanska 3" {
		t.Errorf("office after --municipality: %+v", o)
	}
	if !bytes.Equal(o.Logo, logo) {
		t.Errorf("office --municipality lost the logo: %d bytes stored, %d before", len(o.Logo), len(logo))
	}
	out := filepath.Join(dir, "again.pdf")
	mustCLI(t, nil, "--db", db, "report", "pocketbook", "--out", out)
	if !hasLogo(t, out) {
		t.Errorf("no logo in the pocket book after office --municipality; stored %.200s", raw)
	}
}

// An office stored with the publications' old key ("logo_png") and texts
// the app does not show keeps all of it through `registar-cli office`,
// which writes the one form ("logo") from then on.
func TestOfficeCommandRewritesTheOldLogoKey(t *testing.T) {
	needPoppler(t)
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "office", "--name", "Zyra për Diasporë")
	logo := officeLogo(t)
	setOfficeJSON(t, db, `{"name":"Zyra për Diasporë","website":"https://gjilan.org","foreword":"Të nderuar bashkatdhetarë",`+
		`"about":"Zyra mban regjistrin.","logo_png":"`+base64.StdEncoding.EncodeToString(logo)+`"}`)

	mustCLI(t, nil, "--db", db, "office", "--municipality", "Gjilan", "--region", "xk")
	o, raw := storedOffice(t, db)
	want := data.Office{Name: "Zyra për Diasporë", Municipality: "Gjilan", Region: "XK", Website: "https://gjilan.org",
		Foreword: "Të nderuar bashkatdhetarë", About: "Zyra mban regjistrin.", Logo: logo}
	if o.Name != want.Name || o.Municipality != want.Municipality || o.Region != want.Region || o.Website != want.Website ||
		o.Foreword != want.Foreword || o.About != want.About || !bytes.Equal(o.Logo, logo) {
		t.Errorf("stored %+v", o)
	}
	if strings.Contains(raw, "logo_png") || !strings.Contains(raw, `"logo":`) {
		t.Errorf("not the one form: %.300s", raw)
	}
	out := filepath.Join(t.TempDir(), "libri.pdf")
	mustCLI(t, nil, "--db", db, "report", "pocketbook", "--out", out, "--lang", "sq")
	if !hasLogo(t, out) {
		t.Error("no logo in the pocket book")
	}
	if text := reportText(t, out); !strings.Contains(text, "Të nderuar bashkatdhetarë") {
		t.Errorf("the foreword is not printed: %.400s", text)
	}
}
