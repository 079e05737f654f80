package app

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
)

// entryWithText is the first text input of the window showing text.
func entryWithText(t *testing.T, w fyne.Window, text string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	walk(w.Content(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && e.Text == text && found == nil {
			found = e
		}
	})
	if found == nil {
		t.Fatalf("no input shows %q", text)
	}
	return found
}

// The office as older versions stored it, under either key of the logo and
// with texts the Settings do not show, goes through the Settings screen
// whole: a changed municipality is saved, the logo and the rest stay, and
// the setting is written in the one form.
func TestSettingsKeepTheOfficeWhole(t *testing.T) {
	logo := []byte("\x89PNG\r\n\x1a\n the office's logo")
	enc := base64.StdEncoding.EncodeToString(logo)
	for name, stored := range map[string]string{
		"the app's key":          `{"name":"Ured za dijasporu","municipality":"Cazin","region":"BA","logo":"` + enc + `"}`,
		"the publications' key":  `{"name":"Ured za dijasporu","municipality":"Cazin","region":"BA","logo_png":"` + enc + `"}`,
		"with the brochure text": `{"name":"Ured za dijasporu","municipality":"Cazin","region":"BA","website":"https://cazin.ba","foreword":"Dragi naši","about":"Ured vodi registar.","logo":"` + enc + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s, w := newTestShell(t)
			if err := s.store.SetSetting(data.OfficeSetting, []byte(stored)); err != nil {
				t.Fatal(err)
			}
			s.loadOffice()
			if !bytes.Equal(s.office.Logo, logo) {
				t.Fatalf("loaded logo: %q", s.office.Logo)
			}
			before, _ := data.ParseOffice([]byte(stored))

			s.show("settings")
			if !hasText(w.Content(), s.T("ui.office.haslogo")) {
				t.Errorf("the Settings do not say a logo is set")
			}
			municipality := entryWithText(t, w, "Cazin")
			municipality.SetText("")
			test.Type(municipality, "Grad Cazin")
			save := findButton(w.Content(), s.T("fyne.Save"))
			if save == nil {
				t.Fatal("no Save button")
			}
			test.Tap(save)

			b, err := s.store.Setting(data.OfficeSetting)
			if err != nil {
				t.Fatal(err)
			}
			got, err := data.ParseOffice(b)
			if err != nil {
				t.Fatal(err)
			}
			want := before
			want.Municipality = "Grad Cazin"
			if got.Name != want.Name || got.Municipality != want.Municipality || got.Region != want.Region ||
				got.Website != want.Website || got.Foreword != want.Foreword || got.About != want.About {
				t.Errorf("saved %+v\nwant %+v", got, want)
			}
			if !bytes.Equal(got.Logo, logo) {
				t.Errorf("the logo was lost: %q", got.Logo)
			}
			if strings.Contains(string(b), "logo_png") {
				t.Errorf("written with the old key: %.200s", b)
			}
			if s.office.Municipality != "Grad Cazin" || !bytes.Equal(s.office.Logo, logo) {
				t.Errorf("the shell's office: %+v", s.office)
			}
		})
	}
}
