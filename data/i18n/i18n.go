// Package i18n holds Registar's languages and the one catalogue of
// user-visible strings that the model, the GUI, the reports and the CLI share.
//
// Each language has JSON files in catalog/, one per domain
// (catalog/<domain>.<lang>.json: fields, validation, ui, reports, …), so that
// people working on different screens do not edit the same file. Serbian
// Latin has no files: it is derived from Serbian Cyrillic by transliteration,
// so the two scripts can never drift apart. English is the fallback.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"registar/data/script"
)

// Lang is one of the interface and publication languages.
type Lang string

// The six languages.
const (
	EN     Lang = "en"      // English
	BS     Lang = "bs"      // Bosnian
	HR     Lang = "hr"      // Croatian
	SR     Lang = "sr"      // Serbian, Cyrillic script
	SRLatn Lang = "sr-Latn" // Serbian, Latin script
	SQ     Lang = "sq"      // Albanian
)

// All lists the languages in the order a picker shows them.
var All = []Lang{BS, HR, SR, SRLatn, SQ, EN}

// Name is the language's own name for itself, for pickers.
func (l Lang) Name() string {
	switch l {
	case BS:
		return "Bosanski"
	case HR:
		return "Hrvatski"
	case SR:
		return "Српски (ћирилица)"
	case SRLatn:
		return "Srpski (latinica)"
	case SQ:
		return "Shqip"
	}
	return "English"
}

// Parse reads a language from a flag, a preference or an OS locale:
// "bs", "sr_Latn_RS", "sr-Latn", "sr_RS@latin", "sq_XK.UTF-8", "C". Locales it
// does not know (C, POSIX, de_DE…) give English with ok=false, never an error
// the user has to see.
func Parse(s string) (l Lang, ok bool) {
	s = strings.TrimSpace(s)
	latin := strings.Contains(strings.ToLower(s), "latn") || strings.Contains(strings.ToLower(s), "@latin")
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	base := ""
	if parts := strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' }); len(parts) > 0 {
		base = strings.ToLower(parts[0])
	}
	switch base {
	case "en":
		return EN, true
	case "bs":
		return BS, true
	case "hr":
		return HR, true
	case "sq", "al":
		return SQ, true
	case "sr", "sh":
		if latin || base == "sh" {
			return SRLatn, true
		}
		return SR, true
	}
	return EN, false
}

//go:embed catalog/*.json
var catalogFS embed.FS

var (
	loadOnce sync.Once
	catalogs map[Lang]map[string]string
	loadErr  error
)

func load() {
	catalogs = map[Lang]map[string]string{}
	entries, err := catalogFS.ReadDir("catalog")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		dot := strings.LastIndex(name, ".")
		if dot < 0 {
			loadErr = fmt.Errorf("catalog file %s: want <domain>.<lang>.json", e.Name())
			return
		}
		lang := Lang(name[dot+1:])
		b, err := catalogFS.ReadFile(path.Join("catalog", e.Name()))
		if err != nil {
			loadErr = err
			return
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			loadErr = fmt.Errorf("catalog file %s: %w", e.Name(), err)
			return
		}
		if catalogs[lang] == nil {
			catalogs[lang] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := catalogs[lang][k]; dup {
				loadErr = fmt.Errorf("catalog file %s: key %q is defined in two files", e.Name(), k)
				return
			}
			catalogs[lang][k] = v
		}
	}
	latn := map[string]string{}
	for k, v := range catalogs[SR] {
		latn[k] = script.ToLatin(v)
	}
	catalogs[SRLatn] = latn
}

// Check returns an error if the catalogue files do not load; tests call it.
func Check() error {
	loadOnce.Do(load)
	return loadErr
}

// Catalog returns every key and text of a language (a copy).
func Catalog(l Lang) map[string]string {
	loadOnce.Do(load)
	out := make(map[string]string, len(catalogs[l]))
	for k, v := range catalogs[l] {
		out[k] = v
	}
	return out
}

// Keys returns the keys of the English catalogue, sorted.
func Keys() []string {
	loadOnce.Do(load)
	keys := make([]string, 0, len(catalogs[EN]))
	for k := range catalogs[EN] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the language itself (not the English fallback) has the key.
func Has(l Lang, key string) bool {
	loadOnce.Do(load)
	_, ok := catalogs[l][key]
	return ok
}

// T returns the text for key in language l, falling back to English and then
// to the key itself. Placeholders {name} are filled from args given as
// name, value pairs: T(BS, "validate.min", "field", "Ime", "param", "2").
func T(l Lang, key string, args ...string) string {
	loadOnce.Do(load)
	s, ok := catalogs[l][key]
	if !ok {
		if s, ok = catalogs[EN][key]; !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
