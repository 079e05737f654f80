package reports

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// A year of an office's work: 300 activities with 30,000 participations of
// 6,000 persons (each activity 100 of them, three in four attended).
// Figures are in docs/bench-reports.md.
func activityYear(b *testing.B) (people, acts, parts []data.Record) {
	b.Helper()
	countries := []string{"DE", "AT", "CH", "SE", "US", "SI", "NL", "FR"}
	for i := 0; i < 6000; i++ {
		g := "f"
		if i%2 == 0 {
			g = "m"
		}
		people = append(people, actPerson(fmt.Sprintf("p-%05d", i), fmt.Sprintf("Osoba%05d", i), "Prezimenović", g,
			countries[i%len(countries)], "Grad", 1950+i%55, 1+i%3))
	}
	statuses := []string{"attended", "attended", "attended", "registered"}
	for a := 0; a < 300; a++ {
		act := &data.Activity{Name: fmt.Sprintf("Aktivnost %03d", a), ActivityKind: data.ActivityKinds[a%len(data.ActivityKinds)],
			Start: data.NewDate(2026, time.Month(1+a%12), 1+a%28), Place: data.Place{Country: "BA", City: "Cazin"}, ByOffice: true}
		act.Kind, act.ID = data.KindActivity, fmt.Sprintf("a-%03d", a)
		acts = append(acts, act)
		for k := 0; k < 100; k++ {
			who := fmt.Sprintf("p-%05d", (a*37+k*61)%6000)
			parts = append(parts, part(act.ID, data.KindPerson, who, statuses[k%4], ""))
		}
	}
	return people, acts, parts
}

func benchAnnual(b *testing.B, src Source) {
	var out bytes.Buffer
	var info Info
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Reset()
		var err error
		info, err = Generate(context.Background(), &out, AnnualActivities, src, Options{Lang: i18n.BS, Year: 2026, Office: testOffice(), Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(info.Pages), "pages")
	b.ReportMetric(float64(out.Len())/1e3, "kB")
}

// BenchmarkAnnualActivities300Store: from an open registry (what the app
// and the CLI do).
func BenchmarkAnnualActivities300Store(b *testing.B) {
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	people, acts, parts := activityYear(b)
	ctx := context.Background()
	if _, err := st.Apply(ctx, store.Step{Action: "demo", Source: data.SourceDemo}, append(people, acts...), nil); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Apply(ctx, store.Step{Action: "demo", Source: data.SourceDemo}, parts, nil); err != nil {
		b.Fatal(err)
	}
	benchAnnual(b, st)
}

// BenchmarkAnnualActivities300Records: from records in memory.
func BenchmarkAnnualActivities300Records(b *testing.B) {
	people, acts, parts := activityYear(b)
	var rs Records
	rs = append(append(append(rs, people...), acts...), parts...)
	benchAnnual(b, rs)
}

// BenchmarkActivityReport2000Store: the report of one activity of 2,000.
func BenchmarkActivityReport2000Store(b *testing.B) {
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var rest, parts []data.Record
	for _, r := range bigActivity(2000) {
		if _, ok := r.(*data.Participation); ok {
			parts = append(parts, r)
		} else {
			rest = append(rest, r)
		}
	}
	ctx := context.Background()
	if _, err := st.Apply(ctx, store.Step{Action: "demo", Source: data.SourceDemo}, rest, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Apply(ctx, store.Step{Action: "demo", Source: data.SourceDemo}, parts, nil); err != nil {
		b.Fatal(err)
	}
	for _, pub := range []Publication{ActivityReport, Attendance} {
		b.Run(string(pub), func(b *testing.B) {
			var out bytes.Buffer
			var info Info
			for i := 0; i < b.N; i++ {
				out.Reset()
				var err error
				if info, err = Generate(ctx, &out, pub, st, Options{Lang: i18n.BS, Activity: "a-big", Now: testNow}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(info.Pages), "pages")
			b.ReportMetric(float64(out.Len())/1e3, "kB")
		})
	}
}
