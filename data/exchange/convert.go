package exchange

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
)

// cellError is a cell that could not be read as its field's value. Its
// message is in the user's language and quotes the cell.
type cellError struct {
	field   string
	message string
	// newLocality is set, with no message, when the cell names a local
	// community the registry does not have: the preparer decides whether
	// to create it (see Options.NewLocalities).
	newLocality string
}

// converter reads the cells of one sheet into records.
type converter struct {
	lang       i18n.Lang
	region     string
	xlsx       bool // numbers in date columns are spreadsheet serials
	date1904   bool
	localities *localityIndex
	// rejectNewLocalities: a local community the registry does not have
	// is a bad cell (Options.NewLocalities is RejectLocalities).
	rejectNewLocalities bool
	countries           map[string]string // code → the name an export writes (cache)
	suggestions         sync.Map          // cell → nearest country names; rows are read on all cores
}

// countryName is the country's name in the language, unless it would read
// back as another country (a name two languages give to different
// countries): then the code.
func (c *converter) countryName(code string) string {
	if name, ok := c.countries[code]; ok {
		return name
	}
	name := data.CountryName(code, c.lang)
	if back, ok := data.ParseCountry(name); !ok || back != code {
		name = code
	}
	if c.countries == nil {
		c.countries = map[string]string{}
	}
	c.countries[code] = name
	return name
}

// suggestCountries names the countries nearest to a cell that is none
// ("Austija" → "Austrija"), once per distinct cell: a sheet repeats its
// misspellings, and each search costs ~0.5 ms.
func (c *converter) suggestCountries(cell string) string {
	if v, ok := c.suggestions.Load(cell); ok {
		return v.(string)
	}
	names := strings.Join(data.SuggestCountries(cell, c.lang, 3), ", ")
	c.suggestions.Store(cell, names)
	return names
}

// setCell reads one cell into the record's field. An empty cell leaves the
// field as it is (so an update keeps what the registry has). ok is false,
// with the reason, when the cell cannot be read.
func (c *converter) setCell(r data.Record, f Field, cell string) *cellError {
	if cell == "" {
		return nil
	}
	v := value(r, f.Name)
	bad := func(key string, args ...string) *cellError {
		args = append([]string{"field", f.Label(c.lang), "value", cell}, args...)
		return &cellError{field: f.Name, message: i18n.T(c.lang, key, args...)}
	}
	switch f.typ {
	case typeText:
		v.SetString(strings.Join(strings.Fields(cell), " "))
	case typeLongText:
		v.SetString(strings.ReplaceAll(cell, "\r\n", "\n"))
	case typeID:
		if id, err := uuid.Parse(cell); err == nil {
			v.SetString(id.String())
		}
		// Anything else is not an ID Registar wrote: the row is a new record.
	case typeDate:
		d, ok := c.date(cell)
		if !ok {
			return bad("exchange.reason.date")
		}
		v.Set(reflect.ValueOf(d))
	case typeInt:
		n, ok := parseInt(cell)
		if !ok {
			return bad("exchange.reason.number")
		}
		v.SetInt(int64(n))
	case typeCode:
		code, ok := data.ParseValue(f.group, cell)
		if !ok {
			return bad("exchange.reason.value", "param", allowed(f.group, c.lang))
		}
		if v.Kind() == reflect.Int {
			n, _ := strconv.Atoi(code)
			v.SetInt(int64(n))
		} else {
			v.SetString(code)
		}
	case typeCodes:
		var codes []string
		for _, item := range splitList(cell) {
			code, ok := data.ParseValue(f.group, item)
			if !ok {
				cell = item
				return bad("exchange.reason.value", "param", allowed(f.group, c.lang))
			}
			codes = append(codes, code)
		}
		v.Set(reflect.ValueOf(codes))
	case typeList:
		v.Set(reflect.ValueOf(splitList(cell)))
	case typeYesNo:
		yes, ok := data.ParseYesNo(cell)
		if !ok {
			// A date in a consent column says it was given, and when.
			if d, isDate := c.date(cell); isDate && strings.HasPrefix(f.Name, "consent_") {
				v.SetBool(true)
				value(r, f.Name+".date").Set(reflect.ValueOf(d))
				return nil
			}
			return bad("exchange.reason.yesno")
		}
		v.SetBool(yes)
	case typeCountry:
		code, ok := data.ParseCountry(cell)
		if !ok {
			if names := c.suggestCountries(cell); names != "" {
				return bad("country.reason.suggest", "param", names)
			}
			return bad("exchange.reason.country")
		}
		v.SetString(code)
	case typePhone:
		// data.Normalize puts it into E.164 with the region, once.
		v.SetString(numberText(cell))
	case typeLocality:
		id, found := c.localities.find(cell)
		switch found {
		case 0:
			if c.rejectNewLocalities {
				return bad("exchange.reason.locality")
			}
			return &cellError{field: f.Name, newLocality: cell}
		case 1:
			v.SetString(id)
		default:
			if c.localities.twin(cell) {
				return bad("exchange.reason.locality_twins")
			}
			return bad("exchange.reason.locality_ambiguous")
		}
	}
	return nil
}

// date reads a date cell: a spreadsheet serial (in an .xlsx), or text as
// people type it (12.03.1985., 12.03.1985, 1985-03-12, 12/03/1985), or an
// ISO date-time ("1985-03-12T00:00:00", what some programs write).
func (c *converter) date(cell string) (data.Date, bool) {
	if c.xlsx {
		if f, err := strconv.ParseFloat(cell, 64); err == nil && !strings.HasSuffix(cell, ".") {
			// Serials before 1901 are no birth or consent date; a bare year
			// (1985) is a number too, but as a serial it is 1905: refuse it
			// rather than register a 120-year-old.
			if f < 367 || (f >= 1000 && f <= 2200) || f > 2958465 || math.IsNaN(f) {
				return data.Date{}, false
			}
			t, err := excelize.ExcelDateToTime(f, c.date1904)
			if err != nil {
				return data.Date{}, false
			}
			return data.DateOf(t), true
		}
	}
	s := cell
	if i := strings.IndexAny(s, "T "); i == 10 && strings.Count(s[:10], "-") == 2 {
		s = s[:10]
	}
	d, err := data.ParseDate(s)
	return d, err == nil && !d.IsZero()
}

// parseInt reads a whole number as people type it: 12, 12.0 (a raw
// spreadsheet number), 1.200 or 1,200 or 1 200 (thousands), 1985. (a year
// with the local ordinal dot).
func parseInt(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e12 {
		return int(f), true
	}
	// Thousands separators: groups of three digits after the first.
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' || r == ' ' || r == '\'' || r == '\u00A0' })
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 {
		return 0, false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return 0, false
		}
	}
	n, err := strconv.Atoi(strings.Join(groups, ""))
	return n, err == nil
}

// numberText turns a number a spreadsheet stored in exponent form
// (3.8761242771E+10) back into its digits; other text is left as it is.
func numberText(s string) string {
	if !strings.ContainsAny(s, "eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f > 1e16 {
		return s
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// splitList splits a list cell on semicolons and line breaks, or on commas
// when there are none of those ("Kultura, Sport").
func splitList(s string) []string {
	sep := func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }
	if !strings.ContainsAny(s, ";\n\r") {
		sep = func(r rune) bool { return r == ',' }
	}
	var out []string
	for _, item := range strings.FieldsFunc(s, sep) {
		if item = strings.Join(strings.Fields(item), " "); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// allowed lists a group's values by their labels in the language.
func allowed(group string, lang i18n.Lang) string {
	var labels []string
	for _, code := range data.ValueCodes(group) {
		labels = append(labels, data.ValueLabel(group, code, lang))
	}
	return strings.Join(labels, ", ")
}

// cellValue is what an export writes for a field: a string, a time.Time
// for a date, an int, or nil for nothing.
func (c *converter) cellValue(r data.Record, f Field) any {
	v := value(r, f.Name)
	switch f.typ {
	case typeDate:
		d := v.Interface().(data.Date)
		if d.IsZero() {
			return nil
		}
		return d.Time()
	case typeInt:
		if n := v.Int(); n != 0 {
			return int(n)
		}
		return nil
	case typeCode:
		code := ""
		if v.Kind() == reflect.Int {
			if v.Int() != 0 {
				code = strconv.Itoa(int(v.Int()))
			}
		} else {
			code = v.String()
		}
		if code == "" {
			return nil
		}
		return data.ValueLabel(f.group, code, c.lang)
	case typeCodes:
		codes := v.Interface().([]string)
		labels := make([]string, len(codes))
		for i, code := range codes {
			labels[i] = data.ValueLabel(f.group, code, c.lang)
		}
		return joinList(labels)
	case typeList:
		return joinList(v.Interface().([]string))
	case typeYesNo:
		if v.Bool() {
			return i18n.T(c.lang, "value.yes")
		}
		return i18n.T(c.lang, "value.no")
	case typeCountry:
		if v.String() == "" {
			return nil
		}
		return c.countryName(v.String())
	case typeLocality:
		if v.String() == "" {
			return nil
		}
		return c.localities.label(v.String())
	}
	if s := v.String(); s != "" {
		return s
	}
	return nil
}

func joinList(items []string) any {
	if len(items) == 0 {
		return nil
	}
	return strings.Join(items, "; ")
}

// localityIndex finds a local community by what a sheet says: its name
// (when only one has it), "Name (Municipality)", or its ID.
type localityIndex struct {
	byKey  map[string][]string // fold.Key of name, and of name + municipality → IDs
	labels map[string]string   // ID → the label an export writes
	// twins are the folded names and "name (municipality)" of local
	// communities the registry has twice in one municipality: the same place
	// added on two laptops, which no column of a sheet can tell apart.
	twins map[string]bool
}

func newLocalityIndex(locs []*data.Locality) *localityIndex {
	ix := &localityIndex{byKey: map[string][]string{}, labels: map[string]string{}}
	labels := data.LocalityLabels(locs)
	for i, l := range locs {
		ix.labels[l.ID] = labels[i]
		k := fold.Key(l.Name)
		ix.byKey[k] = append(ix.byKey[k], l.ID)
		full := l.Name + " (" + l.Municipality + ")"
		if fk := fold.Key(full); fk != k {
			ix.byKey[fk] = append(ix.byKey[fk], l.ID)
		}
		ix.byKey[strings.ToLower(l.ID)] = []string{l.ID}
	}
	full := map[string]int{}
	for _, l := range locs {
		full[fold.Key(l.Name+" ("+l.Municipality+")")]++
	}
	for _, l := range locs {
		if full[fold.Key(l.Name+" ("+l.Municipality+")")] > 1 {
			if ix.twins == nil {
				ix.twins = map[string]bool{}
			}
			ix.twins[fold.Key(l.Name)] = true
			ix.twins[fold.Key(l.Name+" ("+l.Municipality+")")] = true
		}
	}
	return ix
}

// twin reports whether the text names a local community the registry has
// twice in the same municipality (by its name or "name (municipality)").
func (ix *localityIndex) twin(s string) bool {
	return ix != nil && ix.twins[fold.Key(s)]
}

// find returns the ID and how many localities the text names.
func (ix *localityIndex) find(s string) (string, int) {
	if ix == nil {
		return "", 0
	}
	ids := ix.byKey[strings.ToLower(strings.TrimSpace(s))]
	if len(ids) == 0 {
		ids = ix.byKey[fold.Key(s)]
	}
	if len(ids) == 1 {
		return ids[0], 1
	}
	return "", len(ids)
}

// label is what an export writes for a locality ID.
func (ix *localityIndex) label(id string) string {
	if ix != nil {
		if l, ok := ix.labels[id]; ok {
			return l
		}
	}
	return id
}

// names lists the labels of every locality, for a template's drop-down.
func (ix *localityIndex) names() []string {
	if ix == nil {
		return nil
	}
	out := make([]string, 0, len(ix.labels))
	for _, l := range ix.labels {
		out = append(out, l)
	}
	return out
}
