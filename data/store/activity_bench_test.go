package store

import (
	"testing"

	"registar/data"
)

// benchActivity is a registry of 10,000 persons with an activity of 2,000
// participants, half of whom attended.
func benchActivity(b *testing.B) (*Store, *data.Activity, []string) {
	b.Helper()
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ids := people(b, s, 10000)
	a := activity("Dani dijaspore")
	if err := s.Save(a); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Invite(a.ID, data.KindPerson, ids[:2000], "registered"); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Invite(a.ID, data.KindPerson, ids[:2000], "registered"); err != nil {
		b.Fatal(err)
	}
	for _, id := range ids[:1000] {
		if _, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: id, Status: "attended"}); err != nil {
			b.Fatal(err)
		}
	}
	return s, a, ids
}

// Opening an activity's page: its participants in title order and the
// counts at the top (issue 14: ≤ 200 ms for 2,000 participants).
func BenchmarkOpenActivity2000(b *testing.B) {
	s, a, _ := benchActivity(b)
	b.ResetTimer()
	for b.Loop() {
		ps, err := s.Participations(a.ID)
		if err != nil || len(ps) != 2000 {
			b.Fatalf("%d %v", len(ps), err)
		}
		c, err := s.ParticipationCounts(a.ID)
		if err != nil || c.ByStatus["attended"] != 1000 {
			b.Fatalf("%+v %v", c, err)
		}
	}
}

// One click of "attended" (issue 14: ≤ 20 ms).
func BenchmarkSetParticipation(b *testing.B) {
	s, a, ids := benchActivity(b)
	statuses := []string{"attended", "absent"}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		id := ids[1000+i%1000]
		if _, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: id, Status: statuses[i/1000%2]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
