package search

import (
	"strings"

	"registar/data"
	"registar/data/fold"
)

// Best match first. With Query.Order ByRelevance a search with text orders
// its hits by how well each of the query's words matched (the sum over the
// words, Hit.Rank), ties in title order:
//
//	RankName        a whole word of the name (the title: given and family name)
//	RankNamePrefix  the start of a word of the name
//	RankOtherName   another name of the record: a parent's name, a contact
//	RankOther       any other field: city, profession, e-mail, tags, …
//
// The index keeps the folded title of every doc, so the first two are read
// from it. For the third DocOf adds a hidden facet (rankFacet) per word of
// those name fields, carrying the field and its value as written, so that the
// hit can say "parent's name: Đorđe" without reading the record. What matched
// in any other field is found in the record by MatchOf (Explain), for the few
// rows a screen or a command shows.

// Order says how Search orders its hits.
type Order int

// Orders. The zero value is title order.
const (
	ByTitle     Order = iota // folded title, then ID
	ByRelevance              // best match first (Hit.Rank), then by title; ByTitle when there is no text
)

// How a query word matched a doc; a hit's Rank is the sum over the words.
const (
	RankName       = 0 // a whole word of the name
	RankNamePrefix = 1 // the start of a word of the name
	RankOtherName  = 2 // a word of another name field (parent's name, contact person)
	RankOther      = 3 // any other field
)

// Match is the field of a record a search matched, when it was not the name.
type Match struct {
	// Field is the record's field, by its JSON name ("parent_name",
	// "city"); its label is the catalogue's "field.<Field>". "" when the
	// name matched, or when the index could not tell (see Explain).
	Field string
	// Value is the field's value as the record has it ("Đorđe").
	Value string
}

// rankFacet is the hidden facet of the words of a record's other names:
// value "<folded word>\x00<field>\x00<value as written>". FacetNames does not
// list it, so no query filters by it; the ranking reads its prefix ranges.
const rankFacet = "~name"

// Classes of the fields a record's text comes from.
const (
	className      = RankName      // the title's fields
	classOtherName = RankOtherName // other names
	classOther     = RankOther     // the rest
)

// fieldText is one text of a record the index finds it by.
type fieldText struct {
	field string // JSON name
	text  string // what is folded into words
	shown string // the value as the record shows it
	class int
}

// textFields are the texts whose words find a record, each with its field:
// the one list DocOf indexes and MatchOf explains.
func textFields(r data.Record) []fieldText {
	var fs []fieldText
	add := func(class int, field string, values ...string) {
		for _, v := range values {
			if strings.TrimSpace(v) != "" {
				fs = append(fs, fieldText{field: field, text: v, shown: v, class: class})
			}
		}
	}
	phone := func(p string) {
		if d := digits(p); d != "" {
			fs = append(fs, fieldText{field: "phone", text: d, shown: p, class: classOther})
		}
	}
	switch v := r.(type) {
	case *data.Person:
		add(className, "given_name", v.GivenName)
		add(className, "family_name", v.FamilyName)
		add(classOtherName, "parent_name", v.ParentName)
		add(classOther, "city", v.City)
		add(classOther, "profession", v.Profession)
		add(classOther, "email", v.Email)
		phone(v.Phone)
		add(classOther, "home_municipality", v.HomeMunicipality)
		add(classOther, "tags", v.Tags...)
		add(classOther, "need_tags", v.NeedTags...)
	case *data.Business:
		add(className, "name", v.Name)
		add(classOther, "city", v.City)
		add(classOther, "sector", v.Sector)
		add(classOther, "email", v.Email)
		phone(v.Phone)
		add(classOther, "registration_no", v.RegistrationNo)
		add(classOther, "tags", v.Tags...)
	case *data.Organisation:
		add(className, "name", v.Name)
		add(classOther, "city", v.City)
		add(classOtherName, "contact_person", v.ContactPerson)
		add(classOther, "email", v.Email)
		phone(v.Phone)
		add(classOther, "registration_no", v.RegistrationNo)
		add(classOther, "legal_form", v.LegalForm)
		add(classOther, "areas", v.Areas...)
		add(classOther, "tags", v.Tags...)
	case *data.Locality:
		add(className, "name", v.Name)
		add(classOther, "municipality", v.Municipality)
		add(classOtherName, "council_contact", v.CouncilContact)
		add(classOther, "email", v.Email)
		phone(v.Phone)
	case *data.Communication:
		add(className, "subject", v.Subject)
		add(classOther, "audience", v.Audience)
	case *data.Activity:
		add(className, "title", v.Name)
		add(classOther, "city", v.Place.City)
		add(classOther, "address", v.Place.Address)
		add(classOther, "description", v.Description)
		add(classOther, "tags", v.Tags...)
		if c := v.Consultation; c != nil {
			add(classOther, "draft_title", c.DraftTitle)
			add(classOther, "reference", c.Reference)
			add(classOther, "issuing_body", c.IssuingBody)
		}
		// A participation has no text: it is found by its facets only.
	}
	return fs
}

// MatchOf says which field of r the search text matched, when it was not
// the name: for the first word of the text that no word of the title starts
// with, the first field with such a word, other names before the rest (the
// order the ranking uses). Filters in text ("country:DE") are ignored. The
// zero Match when the name matched every word.
func MatchOf(r data.Record, text string) Match {
	words := queryWords(ParseQuery(text).Text)
	if len(words) == 0 || r == nil {
		return Match{}
	}
	title := fold.Words(r.Title())
	fields := textFields(r)
	for _, w := range words {
		if anyPrefix(title, w) {
			continue
		}
		for _, class := range []int{classOtherName, classOther} {
			for _, f := range fields {
				if f.class == class && anyPrefix(fold.Words(f.text), w) {
					return Match{Field: f.field, Value: strings.TrimSpace(f.shown)}
				}
			}
		}
	}
	return Match{}
}

// Explain is what a screen or a command shows beside a hit of a search for
// text, r being the hit's record: the hit's own Matched when the index knew
// it, else MatchOf(r, text). The zero Match when the name matched.
func Explain(h Hit, r data.Record, text string) Match {
	if h.Matched.Field != "" {
		return h.Matched
	}
	return MatchOf(r, text)
}

func anyPrefix(words []string, prefix string) bool {
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

// titleClass is how the folded query word w meets a folded title key
// (words joined by single spaces): RankName, RankNamePrefix or RankOther.
func titleClass(key, w string) int {
	best := RankOther
	for len(key) >= len(w) {
		if key[0] == w[0] && key[:len(w)] == w {
			if len(key) == len(w) || key[len(w)] == ' ' {
				return RankName
			}
			best = RankNamePrefix
		}
		i := strings.IndexByte(key, ' ')
		if i < 0 {
			break
		}
		key = key[i+1:]
	}
	return best
}

// docKey is doc n's folded title. The caller holds the read lock.
func (ix *Index) docKey(n uint32) string {
	if v := ix.fz; v != nil {
		return v.docStr(n, 2)
	}
	return ix.docs[n].key
}

// maxRankWords is how many of a query's words rank its hits (each has a
// bit in scratch.other and scratch.named); any further words must match
// too but do not change the order.
const maxRankWords = 16

// ranked returns the page [offset, offset+limit) of the matches, best match
// first, ties in title order. It ranks every match: a page's best can be
// anywhere in title order.
func (ix *Index) ranked(sc *scratch, ms matchSet, words []string, total, offset, limit int) []Hit {
	offset = max(offset, 0)
	need := total
	if limit > 0 && offset+limit < total {
		need = offset + limit
	}
	if offset >= need {
		return nil
	}
	words = words[:min(len(words), maxRankWords)]
	all := ix.inOrder(sc, ms, total)
	rank := sc.rank[:0]
	if cap(rank) < len(all) {
		rank = make([]uint16, len(all))
	}
	rank = rank[:len(all)]
	clear(rank)
	// Title classes: one scan of each match's key per word. other marks,
	// for each word, the matches whose title lacks it.
	other := sc.other[:0]
	if cap(other) < len(all) {
		other = make([]uint16, len(all))
	}
	other = other[:len(all)]
	clear(other)
	anyOther := false
	for j, w := range words {
		for i, n := range all {
			c := titleClass(ix.docKey(n), w)
			rank[i] += uint16(c)
			if c == RankOther {
				other[i] |= 1 << j
				anyOther = true
			}
		}
	}
	sc.other = other
	named := sc.named[:0] // the words each match's other names have
	if cap(named) < len(all) {
		named = make([]uint16, len(all))
	}
	named = named[:len(all)]
	clear(named)
	sc.named = named
	// Other names: the docs in the postings of the word's hidden facet terms
	// move up from RankOther.
	for j, w := range words {
		if !anyOther {
			break
		}
		lo, hi := ix.termRange(facetTerm(rankFacet, w))
		if lo == hi {
			continue
		}
		set := sc.bitsB
		clear(set)
		for i := lo; i < hi; i++ {
			for _, n := range ix.postings(ix.termID(i)) {
				setBit(set, n)
			}
		}
		for i, n := range all {
			if other[i]&(1<<j) != 0 && hasBit(set, n) {
				rank[i] -= RankOther - RankOtherName
				named[i] |= 1 << j
			}
		}
	}
	sc.rank = rank
	// A counting sort by rank keeps title order within a rank.
	top := RankOther * len(words)
	counts := make([]int, top+2)
	for _, r := range rank {
		counts[int(r)+1]++
	}
	for r := 1; r < len(counts); r++ {
		counts[r] += counts[r-1]
	}
	page := sc.page[:0] // positions in all
	if cap(page) < need {
		page = make([]uint32, need)
	}
	page = page[:need]
	for i := range all {
		r := int(rank[i])
		if p := counts[r]; p < need {
			page[p] = uint32(i)
		}
		counts[r]++
	}
	sc.page = page
	out := make([]Hit, 0, need-offset)
	for _, i := range page[offset:] {
		n := all[i]
		h := ix.hitOf(n)
		h.Rank = int(rank[i])
		if h.Rank >= RankOtherName {
			// The first word the title lacks says what matched; the
			// index knows its value when it was another name.
			for j, w := range words {
				if other[i]&(1<<j) == 0 {
					continue
				}
				if named[i]&(1<<j) != 0 {
					h.Matched = ix.otherName(n, w)
				}
				break
			}
		}
		out = append(out, h)
	}
	return out
}

// otherName is the other name of doc n that has a word starting with w,
// read from the doc's hidden facet terms; the zero Match if none has.
func (ix *Index) otherName(n uint32, w string) Match {
	prefix := facetTerm(rankFacet, w)
	for _, t := range ix.docTerms(n) {
		rest, ok := strings.CutPrefix(ix.term(t), prefix)
		if !ok {
			continue
		}
		// rest: the word's remaining letters, then field and value.
		_, fv, _ := strings.Cut(rest, "\x00")
		if field, value, ok := strings.Cut(fv, "\x00"); ok {
			return Match{Field: ix.own(field), Value: ix.own(value)}
		}
	}
	return Match{}
}
