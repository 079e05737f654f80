package search

import (
	"testing"

	"registar/data"
)

func activityIndex() *Index {
	ix := NewIndex()
	add := func(id, title, kind string, start data.Date, orgs []string, byOffice bool) {
		a := &data.Activity{Name: title, ActivityKind: kind, Start: start, OrganiserIDs: orgs, ByOffice: byOffice,
			Place: data.Place{Country: "AT", City: "Beč"}, Description: "Program za drugu generaciju"}
		a.ID = id
		ix.Put(DocOf(a))
	}
	add("a1", "Ljetna škola maternjeg jezika", "summer_school", data.NewDate(2026, 7, 1), nil, true)
	add("a2", "Đurđevdanski sabor", "cultural", data.NewDate(2025, 5, 6), []string{"o1"}, false)
	add("a3", "Javne konsultacije o strategiji", "consultation", data.NewDate(2026, 3, 1), []string{"o1"}, true)
	ix.Put(person("p1", "Škola", "Jezik"))
	p := &data.Participation{ActivityID: "a1", ParticipantKind: data.KindPerson, ParticipantID: "p1", Status: "attended"}
	p.ID = "0193a4b2-aaaa-8bbb-8ccc-ddddeeeeffff"
	ix.Put(DocOf(p))
	return ix
}

func TestActivitySearch(t *testing.T) {
	ix := activityIndex()
	cases := []struct {
		name string
		q    Query
		want []string
	}{
		{"title, script-blind", Query{Text: "љетна школа"}, []string{"a1"}},
		{"title without diacritics", Query{Text: "djurdjevdanski"}, []string{"a2"}},
		{"city", Query{Kind: data.KindActivity, Text: "Bec"}, []string{"a1", "a2", "a3"}},
		{"kind", Query{Kind: data.KindActivity, Filters: []Facet{{FacetActivityKind, "consultation"}}}, []string{"a3"}},
		{"year", Query{Kind: data.KindActivity, Filters: []Facet{{FacetYear, "2026"}}}, []string{"a1", "a3"}},
		{"organiser", Query{Kind: data.KindActivity, Filters: []Facet{{FacetOrganiser, "o1"}}}, []string{"a2", "a3"}},
		{"by the office", Query{Kind: data.KindActivity, Filters: []Facet{{FacetOrganiser, OrganiserOffice}}}, []string{"a1", "a3"}},
		{"parsed filters", ParseQuery("kind:activity year:2025"), []string{"a2"}},
		{"participation by facet", Query{Filters: []Facet{{FacetActivity, "a1"}, {FacetStatus, "attended"}}}, []string{"0193a4b2-aaaa-8bbb-8ccc-ddddeeeeffff"}},
	}
	for _, c := range cases {
		got := ids(ix.Search(c.q))
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
	// A plain text search never returns a participation: it has no words.
	for _, text := range []string{"škola", "0193", "a1", "p1", "attended", "aaaa"} {
		for _, h := range ix.Search(Query{Text: text}).Hits {
			if h.Kind == data.KindParticipation {
				t.Errorf("text %q found participation %s", text, h.ID)
			}
		}
	}
}

// activity:consultation filters by the kind of activity, in any language,
// while activity:<ID> stays the participations' facet.
func TestParseActivityKindFilter(t *testing.T) {
	q := ParseQuery("activity:konsultacije budget")
	if len(q.Filters) != 1 || q.Filters[0] != (Facet{FacetActivityKind, "consultation"}) {
		t.Fatalf("filters %v", q.Filters)
	}
	id := "0190a0b2-0000-7000-8000-000000000001"
	q = ParseQuery("activity:" + id)
	if len(q.Filters) != 1 || q.Filters[0] != (Facet{FacetActivity, id}) {
		t.Fatalf("filters %v", q.Filters)
	}
}

// Searching activities by text finds those an organisation whose name
// matches organised, after the direct matches, saying which organiser.
func TestActivitySearchFindsTheOrganiser(t *testing.T) {
	ix := activityIndex()
	org := &data.Organisation{Name: "Bošnjačka zajednica kulture Preporod"}
	org.ID = "o1"
	ix.Put(DocOf(org))
	res := ix.Search(Query{Kind: data.KindActivity, Text: "препород"})
	if got := ids(res); len(got) != 2 || got[0] != "a2" || got[1] != "a3" || res.Total != 2 {
		t.Fatalf("activities of Preporod: %v (total %d)", got, res.Total)
	}
	if m := res.Hits[0].Matched; m.Field != "organiser_ids" || m.Value != org.Name {
		t.Errorf("matched %+v", m)
	}
	// A word in an activity's own text comes first; the organiser's after.
	res = ix.Search(Query{Kind: data.KindActivity, Text: "sabor", Limit: 1})
	if got := ids(res); len(got) != 1 || got[0] != "a2" || res.Total != 1 {
		t.Fatalf("sabor: %v (total %d)", got, res.Total)
	}
	// Filters still hold for the activities found through the organiser.
	res = ix.Search(Query{Kind: data.KindActivity, Text: "preporod", Filters: []Facet{{FacetYear, "2026"}}})
	if got := ids(res); len(got) != 1 || got[0] != "a3" {
		t.Fatalf("preporod in 2026: %v", got)
	}
}
