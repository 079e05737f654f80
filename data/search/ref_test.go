package search

import (
	"slices"
	"strings"

	"registar/data/fold"
)

// refIndex is the naive reference: a linear scan over every doc, written
// from the rules and nothing of the index's machinery.
type refIndex struct {
	docs map[string]*refDoc
}

type refDoc struct {
	d      Doc
	words  []string
	facets map[string]map[string]bool
	key    string
}

func newRef() *refIndex { return &refIndex{docs: map[string]*refDoc{}} }

func (r *refIndex) put(d Doc) {
	rd := &refDoc{d: d, facets: map[string]map[string]bool{}, key: fold.Key(d.Title)}
	rd.words = fold.Words(d.Title)
	for _, t := range d.Text {
		rd.words = append(rd.words, fold.Words(t)...)
	}
	add := func(name, value string) {
		name = FacetName(name)
		v := FacetValue(name, value)
		if v == "" {
			return
		}
		if rd.facets[name] == nil {
			rd.facets[name] = map[string]bool{}
		}
		rd.facets[name][v] = true
	}
	for _, f := range d.Facets {
		add(f.Name, f.Value)
	}
	add(FacetKind, string(d.Kind))
	r.docs[d.ID] = rd
}

func (r *refIndex) remove(id string) { delete(r.docs, id) }

// refQuery is a query with its words folded and its filters grouped.
type refQuery struct {
	q      Query
	words  []string
	byName map[string][]string
}

func prepRef(q Query) refQuery {
	rq := refQuery{q: q, words: fold.Words(q.Text), byName: map[string][]string{}}
	for _, f := range q.Filters {
		n := FacetName(f.Name)
		rq.byName[n] = append(rq.byName[n], FacetValue(n, f.Value))
	}
	return rq
}

func (r *refIndex) match(rd *refDoc, rq refQuery) bool {
	q := rq.q
	switch q.Trash {
	case TrashExclude:
		if rd.d.Trashed {
			return false
		}
	case TrashOnly:
		if !rd.d.Trashed {
			return false
		}
	}
	for _, w := range rq.words {
		if !slices.ContainsFunc(rd.words, func(dw string) bool { return strings.HasPrefix(dw, w) }) {
			return false
		}
	}
	if q.Kind != "" && !rd.facets[FacetKind][FacetValue(FacetKind, string(q.Kind))] {
		return false
	}
	for n, vs := range rq.byName {
		ok := false
		for _, v := range vs {
			if v != "" && rd.facets[n][v] {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (r *refIndex) matches(q Query) []*refDoc {
	rq := prepRef(q)
	var out []*refDoc
	for _, rd := range r.docs {
		if r.match(rd, rq) {
			out = append(out, rd)
		}
	}
	slices.SortFunc(out, func(a, b *refDoc) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.d.ID, b.d.ID)
	})
	return out
}

func (r *refIndex) search(q Query) Result {
	all := r.matches(q)
	res := Result{Total: len(all)}
	lo := max(q.Offset, 0)
	hi := len(all)
	if q.Limit > 0 {
		hi = min(hi, lo+q.Limit)
	}
	for i := lo; i < hi; i++ {
		d := all[i].d
		res.Hits = append(res.Hits, Hit{ID: d.ID, Kind: d.Kind, Title: d.Title})
	}
	return res
}

func (r *refIndex) facetCounts(q Query, name string) map[string]int {
	out := map[string]int{}
	for _, rd := range r.matches(q) {
		for v := range rd.facets[FacetName(name)] {
			out[v]++
		}
	}
	return out
}
