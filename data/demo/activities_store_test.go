package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"registar/data"
	"registar/data/search"
	"registar/data/store"
)

// The demo year lands in a registry as the CLI writes a demo (steps of a
// few thousand records), and every activity shows figures: participants
// by status and those who attended by gender.
func TestActivitiesInARegistry(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true, User: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	opt := Options{Persons: 3000, Businesses: 150, Organisations: 60, Seed: 7, Now: testNow, Activities: true}
	var batch []data.Record
	flush := func() error {
		_, err := st.Apply(context.Background(), store.Step{Action: store.StepDemo, Source: data.SourceDemo}, batch, nil)
		batch = batch[:0]
		return err
	}
	err = Generate(opt, func(r data.Record) error {
		if batch = append(batch, r); len(batch) >= 2000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		t.Fatal(err)
	}
	res := st.Search(search.Query{Kind: data.KindActivity})
	if res.Total != len(actDefs) {
		t.Fatalf("%d activities in the registry, want %d", res.Total, len(actDefs))
	}
	var lines []string
	withComments := 0
	for _, h := range res.Hits {
		c, err := st.ParticipationCounts(h.ID)
		if err != nil {
			t.Fatal(err)
		}
		r, err := st.Get(h.ID)
		if err != nil {
			t.Fatal(err)
		}
		a := r.(*data.Activity)
		if c.Total == 0 {
			t.Errorf("%q: no participants", a.Name)
		}
		if a.Start.Time().Before(testNow) && a.ActivityKind != "consultation" && c.ByStatus["attended"] > 20 &&
			(c.AttendedByGender["f"] == 0 || c.AttendedByGender["m"] == 0) {
			t.Errorf("%q: attended by gender %v", a.Name, c.AttendedByGender)
		}
		if a.Consultation != nil && len(a.Consultation.Comments) > 0 {
			withComments++
		}
		lines = append(lines, fmt.Sprintf("%s %-14s %-55s %v f=%d m=%d", a.Start, a.ActivityKind, a.Name, c.ByStatus,
			c.AttendedByGender["f"], c.AttendedByGender["m"]))
	}
	if withComments != 1 {
		t.Errorf("%d consultations with comments, want 1", withComments)
	}
	sort.Strings(lines)
	t.Log("\n" + strings.Join(lines, "\n"))
}
