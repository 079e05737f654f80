package app

import (
	"encoding/json"
	"os"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"registar/app/localeenv"
	"registar/data/i18n"
)

// Fyne's lang package follows the OS locale only, drops the script and has
// no strings of its own in bs, hr, sr or sq. Registar's languages come from
// its own catalogue (data/i18n), chosen in Settings; Fyne's built-in strings
// (dialog buttons, file dialog, entry menu, calendar days) are in the
// catalogue too, under "fyne.<Fyne's key>", and are handed to lang under
// every locale lang may settle on, so its dialogs speak the chosen language.

// prefLang is the preference holding the chosen language ("" = the system's).
const prefLang = "lang"

// fyneKeys are the keys of Fyne 2.7's own strings
// (fyne.io/fyne/v2/lang/translations/base.en.json).
var fyneKeys = []string{
	"Advanced", "Cancel", "Confirm", "Copy", "Create Folder", "Cut", "Enter filename",
	"Error", "Favourites", "File", "Folder", "New Folder", "No", "OK", "Open", "Paste",
	"Quit", "Redo", "Save", "Select all", "Show Hidden Files", "Undo", "Yes",
	"file.name", "file.parent",
	"monday", "monday.short", "tuesday", "tuesday.short", "wednesday", "wednesday.short",
	"thursday", "thursday.short", "friday", "friday.short", "saturday", "saturday.short",
	"sunday", "sunday.short",
	// not Fyne's: the month names and "year" of widgets.Calendar, handed to
	// lang the same way so that widgets need no catalogue of their own
	"month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7",
	"month.8", "month.9", "month.10", "month.11", "month.12", "year",
}

// quietCLocale covers the locale look-ups after start (see localeenv).
func quietCLocale() { localeenv.Quiet() }

// systemLang is the language of the OS locale, English when it is none of
// ours (C, POSIX, de_DE…), without logging anything.
func systemLang() i18n.Lang {
	var loc string
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		loc = lang.SystemLocale().String()
	} else {
		if s := os.Getenv("LANGUAGE"); s != "" && !localeenv.SetHere() && !localeenv.IsC(localeenv.UnixLocale()) {
			loc, _, _ = strings.Cut(s, ":")
		} else {
			loc = localeenv.UnixLocale()
		}
		if localeenv.IsC(loc) {
			return i18n.EN
		}
	}
	l, _ := i18n.Parse(loc)
	return l
}

// chosenLang is the language from the preferences, or the system's.
func chosenLang(p fyne.Preferences) i18n.Lang {
	if s := p.String(prefLang); s != "" {
		if l, ok := i18n.Parse(s); ok {
			return l
		}
	}
	return systemLang()
}

// installFyneStrings gives Fyne's lang the chosen language's texts for its
// own keys, under English (lang's fallback, used on a C locale) and under
// the OS locale's language and region, which lang matches first.
func installFyneStrings(l i18n.Lang) {
	quietCLocale()
	msgs := make(map[string]string, len(fyneKeys))
	for _, k := range fyneKeys {
		msgs[k] = i18n.T(l, "fyne."+k)
	}
	b, err := json.Marshal(msgs)
	if err != nil {
		fyne.LogError("encoding Fyne's strings", err)
		return
	}
	// Fyne's lang settles on the closest of its languages to the OS locale
	// (region included); the chosen language's texts go under each tag it
	// may settle on, so that whichever it picks speaks the chosen language.
	locales := []fyne.Locale{"en"}
	if sys := lang.SystemLocale().LanguageString(); sys != "" && sys != "en" {
		if base, _, ok := strings.Cut(sys, "-"); ok && base != "en" {
			locales = append(locales, fyne.Locale(base))
		}
		locales = append(locales, fyne.Locale(sys))
	}
	for _, loc := range locales {
		if err := lang.AddTranslationsForLocale(b, loc); err != nil {
			fyne.LogError("adding Fyne's strings for "+string(loc), err)
		}
	}
}
