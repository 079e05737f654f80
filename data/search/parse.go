package search

import (
	"slices"
	"strings"
	"unicode"

	"registar/data"
)

// ParseQuery reads what a user types in the search bar:
//
//	petrovic country:DE interest:invest kind:person
//
// becomes Text "petrovic", Kind person and the two filters. A "name:value"
// token is a filter when name is one of FacetNames (any case); a value may
// be quoted (city:"Bad Ischl") and may list alternatives with commas
// (country:DE,AT matches either). "kind:" takes what data.ParseKind takes
// (kind:persons, kind:org); two different kinds become "kind" filters.
// "trash:only", "trash:include" (or "trash:all") and "trash:exclude" set
// Trash. Any other token, an unknown "x:y" included, stays text.
func ParseQuery(s string) Query {
	var q Query
	var text []string
	var kinds []data.Kind
	for _, tok := range tokens(s) {
		name, value, ok := strings.Cut(tok, ":")
		if !ok || name == "" {
			text = append(text, tok)
			continue
		}
		name = FacetName(name)
		var values []string
		for v := range strings.SplitSeq(unquote(value), ",") {
			if v = strings.TrimSpace(v); v != "" {
				values = append(values, v)
			}
		}
		if !filterToken(&q, &kinds, name, values) {
			text = append(text, tok)
		}
	}
	q.Text = strings.Join(text, " ")
	switch len(kinds) {
	case 0:
	case 1:
		q.Kind = kinds[0]
	default:
		for _, k := range kinds {
			q.Filters = append(q.Filters, Facet{FacetKind, string(k)})
		}
	}
	return q
}

// filterToken applies name:values to q, or reports false if it is not a
// filter.
func filterToken(q *Query, kinds *[]data.Kind, name string, values []string) bool {
	if len(values) == 0 {
		return false
	}
	switch {
	case name == "trash":
		if len(values) != 1 {
			return false
		}
		switch strings.ToLower(values[0]) {
		case "only", "yes":
			q.Trash = TrashOnly
		case "include", "all", "any":
			q.Trash = TrashInclude
		case "exclude", "no":
			q.Trash = TrashExclude
		default:
			return false
		}
		return true
	case name == FacetKind:
		var ks []data.Kind
		for _, v := range values {
			k, err := data.ParseKind(v)
			if err != nil {
				return false
			}
			ks = append(ks, k)
		}
		for _, k := range ks {
			if !slices.Contains(*kinds, k) {
				*kinds = append(*kinds, k)
			}
		}
		return true
	case name == FacetActivity && isActivityKind(values):
		// activity:consultation is the kind of activity; "activity" is
		// otherwise the facet of participations, holding activity IDs.
		for _, v := range values {
			code, _ := data.ParseValue(data.GroupActivityKind, v)
			q.Filters = append(q.Filters, Facet{FacetActivityKind, code})
		}
		return true
	case slices.Contains(FacetNames, name):
		for _, v := range values {
			q.Filters = append(q.Filters, Facet{name, v})
		}
		return true
	}
	return false
}

// isActivityKind tells whether every value names a kind of activity.
func isActivityKind(values []string) bool {
	for _, v := range values {
		if _, ok := data.ParseValue(data.GroupActivityKind, v); !ok {
			return false
		}
	}
	return true
}

// tokens splits s at white space, keeping a double-quoted stretch (which
// may hold spaces) in its token.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// unquote removes the double quotes of a value.
func unquote(v string) string {
	return strings.ReplaceAll(v, `"`, "")
}
