package data

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"registar/data/i18n"
)

// A record's history in words. The audit log keeps, for each change, the
// record as it was before (AuditEntry.Before in data/store); the record as
// the change left it is the next change's Before, or the record as it is
// now. FieldChanges compares two such versions and says, field by field,
// what the clerk would have read on the form before and after: country
// names in the language, dates as 12.03.1985., labels for codes, the local
// community's name rather than its ID, phones with spaces.

// FieldChange is one field a change touched, in words.
type FieldChange struct {
	Field string // the field's JSON name, e.g. "city"
	Label string // its label in the language, e.g. "Grad"
	Old   string // the value before as a person reads it; "" when it was empty
	New   string // the value after; "" when it was emptied
}

// TitleFunc gives the name of a linked record (a local community, an owner,
// an umbrella organisation) by its ID; it returns "" for an ID it does not
// know, and the ID is then shown.
type TitleFunc func(id string) string

// HistoryStep is one entry of a record's history, as HistoryChanges needs it.
type HistoryStep struct {
	// Before is the record as it was before the step; nil when the log kept
	// none (a creation, a trash, or an entry whose data was erased).
	Before []byte
	// NoValues marks a step that changed no field (moving to the trash and
	// back) or whose values must not be shown (an erasure): it is passed
	// over when pairing the other steps with what they left behind.
	NoValues bool
}

// StepChanges says what one step of a history did.
type StepChanges struct {
	// Known is false when the values before or after the step were not
	// kept: the caller falls back to the field names the log lists.
	Known bool
	// Created is true for the step that brought the record in: Fields
	// then lists its first values, each with Old empty.
	Created bool
	Fields  []FieldChange
}

// historyTextMax is how many characters of a value a history shows; longer
// texts (notes, needs, addresses) end in an ellipsis.
const historyTextMax = 60

// HistoryChanges says what each step of a record's history did, field by
// field. steps are oldest first; current is the record as it is now (nil
// if it is gone). A step that is NoValues gets an empty, Known result.
func HistoryChanges(kind Kind, steps []HistoryStep, current []byte, lang i18n.Lang, title TitleFunc) []StepChanges {
	out := make([]StepChanges, len(steps))
	// after is the record as the steps from i on found it: walking back
	// from now, each step's Before is what the step before it left.
	after, known := current, current != nil
	for i := len(steps) - 1; i >= 0; i-- {
		st := steps[i]
		if st.NoValues {
			out[i] = StepChanges{Known: true}
			continue
		}
		created := st.Before == nil && i == firstValueStep(steps)
		if known && (st.Before != nil || created) {
			out[i] = StepChanges{Known: true, Created: created, Fields: FieldChanges(kind, st.Before, after, lang, title)}
		}
		after, known = st.Before, st.Before != nil
	}
	return out
}

// firstValueStep is the index of the first step that may carry values.
func firstValueStep(steps []HistoryStep) int {
	for i, st := range steps {
		if !st.NoValues {
			return i
		}
	}
	return -1
}

// FieldChanges lists the fields whose values differ between two encoded
// versions of a record of kind, in the order the form shows them, with the
// values as a person reads them in lang. before nil is a creation: every
// field the record was created with, Old empty. Meta (versions, times,
// users, trash) is left out.
func FieldChanges(kind Kind, before, after []byte, lang i18n.Lang, title TitleFunc) []FieldChange {
	a, b := historyFields(kind, before), historyFields(kind, after)
	var out []FieldChange
	for _, f := range historyOrder(kind, a, b) {
		ra, rb := a[f], b[f]
		if bytes.Equal(ra, rb) || (isEmptyJSON(ra) && isEmptyJSON(rb)) {
			continue
		}
		old := fieldText(kind, f, ra, lang, title)
		nw := fieldText(kind, f, rb, lang, title)
		if old == nw && !isText(kind, f) {
			continue // e.g. an ID pointing to the same name: nothing to read
		}
		old, nw = shortenPair(old, nw)
		out = append(out, FieldChange{Field: f, Label: FieldLabel(f, lang), Old: old, New: nw})
	}
	return out
}

// FieldValue is one field's encoded value as a person reads it in lang:
// FieldValue(KindPerson, "country", `"DE"`, BS, nil) is "Njemačka". An empty
// value is "". Long texts are shortened with an ellipsis.
func FieldValue(kind Kind, field string, raw json.RawMessage, lang i18n.Lang, title TitleFunc) string {
	return shorten(fieldText(kind, field, raw, lang, title), historyTextMax)
}

// historyFields decodes a version into its fields by JSON name, Meta left
// out. The bytes go through Decode and Encode first so that a version
// written by an older schema compares field for field with today's.
func historyFields(kind Kind, b []byte) map[string]json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if r, err := Decode(kind, b); err == nil {
		if nb, err := Encode(r); err == nil {
			b = nb
		}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	for _, f := range metaJSONNames() {
		delete(m, f)
	}
	return m
}

// metaJSONNames are the JSON names of Meta's fields.
func metaJSONNames() []string {
	var out []string
	for _, sf := range reflect.VisibleFields(reflect.TypeOf(Meta{})) {
		if n, _, _ := strings.Cut(sf.Tag.Get("json"), ","); n != "" && n != "-" {
			out = append(out, n)
		}
	}
	return out
}

// recordType is the struct type of a kind, nil for an unknown kind.
func recordType(kind Kind) reflect.Type {
	r, err := New(kind)
	if err != nil {
		return nil
	}
	return reflect.TypeOf(r).Elem()
}

// historyOrder lists the field names of a and b: the kind's own fields in
// the order they are declared (the form's order), then any others sorted.
func historyOrder(kind Kind, a, b map[string]json.RawMessage) []string {
	seen := map[string]bool{}
	var out []string
	if t := recordType(kind); t != nil {
		for _, sf := range reflect.VisibleFields(t) {
			if sf.Anonymous || len(sf.Index) > 1 || !sf.IsExported() {
				continue // Meta and what it promotes
			}
			n, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if _, inA := a[n]; !inA {
				if _, inB := b[n]; !inB {
					continue
				}
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	var rest []string
	for _, m := range []map[string]json.RawMessage{a, b} {
		for n := range m {
			if !seen[n] {
				seen[n] = true
				rest = append(rest, n)
			}
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// fieldType is the Go type of a kind's field, nil when it has none.
func fieldType(kind Kind, field string) reflect.Type {
	if sf, ok := FieldByJSON(recordType(kind), field); ok {
		return sf.Type
	}
	return nil
}

// isText reports whether a field is free text, whose shortened forms may
// read the same although the texts differ.
func isText(kind Kind, field string) bool {
	t := fieldType(kind, field)
	return t != nil && t.Kind() == reflect.String && fieldGroups[field] == "" && !linkFields[field] &&
		field != "country" && field != "phone"
}

// fieldGroups are the fields stored as codes of a value group.
var fieldGroups = map[string]string{
	"gender":        GroupGender,
	"education":     GroupEducation,
	"generation":    GroupGeneration,
	"interests":     GroupInterest,
	"org_kind":      GroupOrgKind,
	"locality_kind": GroupLocalityKind,
	"activity_kind": GroupActivityKind,
	"status":        GroupParticipation,
	"role":          GroupRole,
}

// linkFields hold IDs of other records.
var linkFields = map[string]bool{"locality_id": true, "umbrella_id": true, "member_ids": true,
	"organiser_ids": true, "activity_id": true, "participant_id": true, "represented_by": true}

var (
	historyDateType    = reflect.TypeOf(Date{})
	historyConsentType = reflect.TypeOf(Consent{})
	historyOwnersType  = reflect.TypeOf([]Owner{})
	historyPlaceType   = reflect.TypeOf(Place{})
	historyConsultType = reflect.TypeOf(&Consultation{})
)

// fieldText is a field's value in words, not shortened.
func fieldText(kind Kind, field string, raw json.RawMessage, lang i18n.Lang, title TitleFunc) string {
	t := fieldType(kind, field)
	switch {
	case t == historyConsentType:
		// A consent is never just empty: "No" says it was not given.
		var c Consent
		_ = json.Unmarshal(raw, &c)
		if !c.Given {
			return i18n.T(lang, "value.no")
		}
		parts := []string{i18n.T(lang, "value.yes")}
		if !c.Date.IsZero() {
			parts = append(parts, c.Date.Local())
		}
		if c.How != "" {
			parts = append(parts, ValueLabel(GroupConsentHow, c.How, lang))
		}
		return strings.Join(parts, ", ")
	case t != nil && t.Kind() == reflect.Bool:
		var v bool
		_ = json.Unmarshal(raw, &v)
		if v {
			return i18n.T(lang, "value.yes")
		}
		return i18n.T(lang, "value.no")
	}
	if isEmptyJSON(raw) {
		return ""
	}
	switch {
	case t == historyDateType:
		var d Date
		if json.Unmarshal(raw, &d) == nil {
			return d.Local()
		}
	case t == historyOwnersType:
		var owners []Owner
		_ = json.Unmarshal(raw, &owners)
		out := make([]string, len(owners))
		for i, o := range owners {
			out[i] = linkTitle(o.PersonID, title) + " (" + ValueLabel(GroupShare, o.Share, lang) + ")"
		}
		return strings.Join(out, ", ")
	case t == historyPlaceType:
		var p Place
		_ = json.Unmarshal(raw, &p)
		return placeText(p, lang, title)
	case t == historyConsultType:
		var c Consultation
		_ = json.Unmarshal(raw, &c)
		return consultationText(c, lang)
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	switch v := v.(type) {
	case string:
		switch {
		case field == "country":
			return CountryName(v, lang)
		case field == "phone":
			return FormatPhone(v)
		case linkFields[field]:
			return linkTitle(v, title)
		case fieldGroups[field] != "":
			return ValueLabel(fieldGroups[field], v, lang)
		}
		return strings.Join(strings.Fields(v), " ") // a note's line breaks read as spaces
	case float64:
		n := strconv.FormatFloat(v, 'f', -1, 64)
		if g := fieldGroups[field]; g != "" {
			return ValueLabel(g, n, lang)
		}
		return n
	case bool:
		if v {
			return i18n.T(lang, "value.yes")
		}
		return i18n.T(lang, "value.no")
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				b, _ := json.Marshal(e)
				s = string(b)
			}
			switch {
			case linkFields[field]:
				s = linkTitle(s, title)
			case fieldGroups[field] != "":
				s = ValueLabel(fieldGroups[field], s, lang)
			}
			out = append(out, s)
		}
		return strings.Join(out, ", ")
	}
	return string(raw)
}

// linkTitle is a linked record's name, or its ID when it has none.
func linkTitle(id string, title TitleFunc) string {
	if title != nil {
		if t := strings.TrimSpace(title(id)); t != "" {
			return t
		}
	}
	return id
}

// isEmptyJSON reports whether an encoded value says nothing: absent, null,
// "", 0, false, [], {} or an object of such values (a consent not given).
func isEmptyJSON(raw json.RawMessage) bool {
	if len(bytes.TrimSpace(raw)) == 0 {
		return true
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	return EmptyValue(v)
}

// EmptyValue reports whether a value decoded from a record's JSON holds
// nothing: null, blank text, zero, false, an empty list, or an object
// whose values are all empty (a consent not given). History, the bundle
// conflict grid and duplicate matching all ask it.
func EmptyValue(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case float64:
		return v == 0
	case bool:
		return !v
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, e := range v {
			if !EmptyValue(e) {
				return false
			}
		}
		return true
	}
	return false
}

// shorten cuts s to max characters, ending in an ellipsis.
func shorten(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:max-1]), " ,.;") + "…"
}

// shortenPair shortens two versions of a text. When both begin alike
// beyond what is shown, both start a little before their first difference,
// so that a change deep inside a long note can still be read.
func shortenPair(old, nw string) (string, string) {
	ro, rn := []rune(old), []rune(nw)
	if len(ro) <= historyTextMax && len(rn) <= historyTextMax {
		return old, nw
	}
	same := 0
	for same < len(ro) && same < len(rn) && ro[same] == rn[same] {
		same++
	}
	const lead = 15 // characters of context before the difference
	if same > historyTextMax-lead && len(ro) > 0 && len(rn) > 0 {
		from := same - lead
		for back := from; back > 0 && from-back < 2*lead; back-- {
			if ro[back-1] == ' ' { // start at a word
				from = back
				break
			}
		}
		return "…" + shorten(string(ro[from:]), historyTextMax-1), "…" + shorten(string(rn[from:]), historyTextMax-1)
	}
	return shorten(old, historyTextMax), shorten(nw, historyTextMax)
}

// placeText is where an activity happens, in words: "Beč, Austrija",
// a local community, an address, online and its address.
func placeText(p Place, lang i18n.Lang, title TitleFunc) string {
	var parts []string
	for _, s := range []string{p.Address, p.City} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if p.Country != "" {
		parts = append(parts, CountryName(p.Country, lang))
	}
	if p.LocalityID != "" {
		parts = append(parts, linkTitle(p.LocalityID, title))
	}
	if p.Online {
		parts = append(parts, i18n.T(lang, "field.online"))
	}
	if p.URL != "" {
		parts = append(parts, p.URL)
	}
	return strings.Join(parts, ", ")
}

// consultationText is a consultation in a line: the draft, its period and
// how many comments it has.
func consultationText(c Consultation, lang i18n.Lang) string {
	parts := []string{strings.TrimSpace(c.DraftTitle)}
	if c.Reference != "" {
		parts = append(parts, c.Reference)
	}
	if !c.From.IsZero() || !c.To.IsZero() {
		parts = append(parts, strings.TrimSpace(c.From.Local()+" – "+c.To.Local()))
	}
	if n := len(c.Comments); n > 0 {
		parts = append(parts, i18n.T(lang, "field.comments")+": "+strconv.Itoa(n))
	}
	return strings.Join(parts, ", ")
}
