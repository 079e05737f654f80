package exchange

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// BenchmarkPrepareSignIn2000: a typed-up sign-in sheet of 2,000 names in
// Cyrillic against a registry of 5,000 persons in Latin.
func BenchmarkPrepareSignIn2000(b *testing.B) {
	st := memStore(b)
	var recs []data.Record
	for i := 0; i < 5000; i++ {
		recs = append(recs, &data.Person{GivenName: "Đorđe", FamilyName: fmt.Sprintf("Petrović%d", i),
			BirthDate: data.Date{Year: 1950 + i%50, Month: time.Month(1 + i%12), Day: 1 + i%28}, Country: "AT"})
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "bench"}, recs, nil); err != nil {
		b.Fatal(err)
	}
	a := addActivity(b, st, &data.Activity{Name: "Dan dijaspore", ActivityKind: "cultural", Start: data.Date{Year: 2026, Month: 8, Day: 1}})
	var sb strings.Builder
	sb.WriteString("Р. бр.;Име и презиме;Потпис\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "%d;Ђорђе Петровић%d;\n", i+1, i)
	}
	sh := readText(b, sb.String())
	m, err := Recognise(sh, data.KindParticipation)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := PrepareParticipants(context.Background(), st, sh, m, a.ID, Options{Lang: i18n.SR})
		if err != nil || p.Counts.Added != 2000 {
			b.Fatalf("%v %+v", err, p.Counts)
		}
	}
}
