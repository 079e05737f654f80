package app

import (
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"registar/app/localeenv"
	"registar/data/i18n"
	"registar/widgets"
)

func TestSystemLangFromLocale(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the locale comes from the OS there")
	}
	cases := []struct {
		lcAll, lang, language string
		want                  i18n.Lang
	}{
		{"", "C", "", i18n.EN},
		{"", "POSIX", "", i18n.EN},
		{"", "C.UTF-8", "", i18n.EN},
		{"", "", "", i18n.EN},
		{"", "bs_BA.UTF-8", "", i18n.BS},
		{"", "sr_RS@latin", "", i18n.SRLatn},
		{"", "sr_RS.UTF-8", "", i18n.SR},
		{"sq_XK.UTF-8", "bs_BA.UTF-8", "", i18n.SQ},
		{"", "hr_HR.UTF-8", "sq:hr", i18n.SQ},
		{"", "C.UTF-8", "en", i18n.EN},
		{"", "de_DE.UTF-8", "", i18n.EN},
	}
	localeenv.Forget()
	for _, c := range cases {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		t.Setenv("LANGUAGE", c.language)
		if got := systemLang(); got != c.want {
			t.Errorf("LC_ALL=%q LANG=%q LANGUAGE=%q: %s, want %s", c.lcAll, c.lang, c.language, got, c.want)
		}
	}
}

func TestQuietCLocaleSetsLanguageOnly(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("no C locale there")
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LANGUAGE", "")
	quietCLocale()
	if got := lang.SystemLocale().LanguageString(); got != "en" {
		t.Fatalf("Fyne sees %q", got)
	}
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "bs_BA.UTF-8")
	localeenv.Forget()
	quietCLocale()
	if got := lang.SystemLocale().LanguageString(); got != "bs-BA" {
		t.Fatalf("a real locale was changed: Fyne sees %q", got)
	}
	t.Setenv("LANG", "sr_RS.UTF-8@latin")
	quietCLocale()
	if got := lang.SystemLocale().LanguageString(); got != "sr-RS" {
		t.Fatalf("Fyne sees %q for sr_RS@latin", got)
	}
	if got := systemLang(); got != i18n.SRLatn {
		t.Fatalf("Serbian Latin lost: %s", got)
	}
	localeenv.Forget()
}

// Fyne's own strings (dialog buttons, file dialog, calendar) follow the
// chosen language, whatever the OS locale, in every language.
func TestFyneStringsFollowChosenLanguage(t *testing.T) {
	for _, osLocale := range []string{"C.UTF-8", "de_DE.UTF-8", "bs_BA.UTF-8", "sr_RS@latin", "en_GB.UTF-8"} {
		t.Run(osLocale, func(t *testing.T) { testFyneStrings(t, osLocale) })
	}
}

func testFyneStrings(t *testing.T, osLocale string) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", osLocale)
	test.NewTempApp(t)
	want := map[i18n.Lang][3]string{
		i18n.EN: {"Cancel", "Mon", "March 1985"}, i18n.BS: {"Odustani", "Pon", "Mart 1985"},
		i18n.HR: {"Odustani", "Pon", "Ožujak 1985"}, i18n.SR: {"Одустани", "Пон", "Март 1985"},
		i18n.SRLatn: {"Odustani", "Pon", "Mart 1985"}, i18n.SQ: {"Anulo", "Hën", "Mars 1985"},
	}
	for l, w := range want {
		installFyneStrings(l)
		if got := lang.L("Cancel"); got != w[0] {
			t.Errorf("%s: Cancel is %q", l, got)
		}
		if got := lang.X("monday.short", "Mon"); got != w[1] {
			t.Errorf("%s: monday.short is %q", l, got)
		}
		// the date picker's month, which Fyne's own calendar writes in English
		cal := widgets.NewCalendar(time.Date(1985, 3, 12, 0, 0, 0, 0, time.Local), nil)
		if got := cal.MonthTitle(); got != w[2] {
			t.Errorf("%s: the calendar shows %q", l, got)
		}
	}
	installFyneStrings(i18n.EN)
}

// Every Fyne key is in the catalogue (the i18n test checks every language).
func TestFyneKeysInCatalogue(t *testing.T) {
	for _, k := range fyneKeys {
		if !i18n.Has(i18n.EN, "fyne."+k) {
			t.Errorf("fyne.%s missing from the catalogue", k)
		}
	}
}

func FuzzTopField(f *testing.F) {
	for _, s := range []string{"owners[0].person_id", "consent_publish.how", "interests[2]", "email", "", "[", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := topField(s)
		if len(got) > len(s) {
			t.Fatalf("topField(%q) = %q", s, got)
		}
	})
}

func FuzzDisplayFolded(f *testing.F) {
	for _, s := range []string{"banja luka", "", " x ", "ǆ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { displayFolded(s) })
}
