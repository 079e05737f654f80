package data

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Registries keep the office as the app wrote it (logo under "logo") or
// as the publications expected it (under "logo_png"): both keep the logo.
func TestParseOfficeReadsBothLogoKeys(t *testing.T) {
	logo := []byte("\x89PNG\r\n\x1a\nlogo")
	b64, _ := json.Marshal(logo)
	other, _ := json.Marshal([]byte("other"))
	cases := map[string]struct {
		json string
		want Office
	}{
		"as the app wrote it": {`{"name":"Ured za dijasporu","municipality":"Cazin","region":"BA","logo":` + string(b64) + `}`,
			Office{Name: "Ured za dijasporu", Municipality: "Cazin", Region: "BA", Logo: logo}},
		"as the publications expected it": {`{"name":"Zyra","website":"https://gjilan.org","logo_png":` + string(b64) + `,"foreword":"Të nderuar","about":"Zyra"}`,
			Office{Name: "Zyra", Website: "https://gjilan.org", Logo: logo, Foreword: "Të nderuar", About: "Zyra"}},
		"both: the app's wins": {`{"logo_png":` + string(other) + `,"logo":` + string(b64) + `}`, Office{Logo: logo}},
		"an empty logo key":    {`{"logo":"","logo_png":` + string(b64) + `}`, Office{Logo: logo}},
		"unknown keys":         {`{"name":"Ured","colour":"blue"}`, Office{Name: "Ured"}},
		"nothing stored":       {"", Office{}},
		"blank":                {" \n", Office{}},
		"null":                 {"null", Office{}},
	}
	for name, c := range cases {
		got, err := ParseOffice([]byte(c.json))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", name, got, c.want)
		}
	}
	if _, err := ParseOffice([]byte(`{"name":`)); err == nil || !strings.Contains(err.Error(), "office details") {
		t.Errorf("broken JSON: %v", err)
	}
	if _, err := ParseOffice([]byte(`{"logo":"not base64!"}`)); err == nil {
		t.Error("a logo that is not base64: no error")
	}
}

// One form is written from now on: the logo under "logo", nothing empty.
func TestOfficeJSONWritesOneForm(t *testing.T) {
	o := Office{Name: "Ured", Municipality: "Bihać", Address: "Bosanska 1", Email: "ured@bihac.org", Phone: "+38737000000",
		Website: "https://bihac.org", Region: "BA", Logo: []byte{0x89, 'P', 'N', 'G'}, Foreword: "Dragi naši", About: "Ured"}
	b, err := o.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"name", "municipality", "address", "email", "phone", "website", "region", "logo", "foreword", "about"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("%s missing from %s", k, b)
		}
	}
	if len(keys) != 10 {
		t.Errorf("keys %v", keys)
	}
	back, err := ParseOffice(b)
	if err != nil || !reflect.DeepEqual(back, o) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if b, _ := (Office{Name: "Ured"}).JSON(); string(b) != `{"name":"Ured"}` {
		t.Errorf("empty fields written: %s", b)
	}
}

// Whatever ParseOffice accepts, writing it and reading it back gives the
// same office.
func FuzzParseOffice(f *testing.F) {
	f.Add([]byte(`{"name":"Ured","logo":"iVBORw0KGgo="}`))
	f.Add([]byte(`{"logo_png":"iVBORw0KGgo=","region":"XK"}`))
	f.Add([]byte(`{"logo":null,"logo_png":"AA=="}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := ParseOffice(b)
		if err != nil {
			return
		}
		j, err := o.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(j, []byte("logo_png")) {
			t.Fatalf("wrote the old key: %s", j)
		}
		back, err := ParseOffice(j)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, o) && !(len(back.Logo) == 0 && len(o.Logo) == 0) {
			t.Fatalf("%+v became %+v", o, back)
		}
	})
}
