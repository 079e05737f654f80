package data

import "registar/data/fold"

// LocalityLabels is what lists, sheets and phone forms call each local
// community: its name, or "Name (Municipality)" when another one's name is
// the same word (blind to case, diacritics and script). Exports write it,
// imports and phone forms read it back.
// The labels are in the order of locs.
func LocalityLabels(locs []*Locality) []string {
	count := map[string]int{}
	for _, l := range locs {
		count[fold.Key(l.Name)]++
	}
	labels := make([]string, len(locs))
	for i, l := range locs {
		labels[i] = l.Name
		if count[fold.Key(l.Name)] > 1 {
			labels[i] = l.Name + " (" + l.Municipality + ")"
		}
	}
	return labels
}
