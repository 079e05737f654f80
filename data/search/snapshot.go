package search

import "strings"

// Docs returns every indexed doc, rebuilt from what the index keeps: the
// folded words as Text and the facets. PutAll of the result builds the same
// index (folding is idempotent), which is how the store saves the index at
// close and loads it at open without decoding every record.
func (ix *Index) Docs() []Doc {
	ix.PrepareForWrites() // the docs are built from the mutable form
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]Doc, 0, ix.live)
	for i := range ix.docs {
		r := &ix.docs[i]
		if !r.live {
			continue
		}
		d := Doc{ID: r.id, Kind: r.kind, Title: r.title, Trashed: r.trashed}
		for _, tid := range r.terms {
			t := ix.terms[tid]
			switch {
			case strings.HasPrefix(t, facetMark):
				name, value, _ := strings.Cut(t[len(facetMark):], "\x00")
				if name != FacetKind {
					d.Facets = append(d.Facets, Facet{name, value})
				}
			case t == trashTerm:
			default:
				d.Text = append(d.Text, t)
			}
		}
		out = append(out, d)
	}
	return out
}
