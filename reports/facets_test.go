package reports

import (
	"context"
	"io"
	"os"
	"testing"

	"registar/data"
	"registar/data/demo"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/store"
)

// eachOnly hides everything of a store but Each, so that statistics are
// counted by reading every record.
type eachOnly struct{ st *store.Store }

func (e eachOnly) Each(k data.Kind, fn func(data.Record) error) error { return e.st.Each(k, fn) }

var _ Indexed = (*store.Store)(nil)

// Counting from the index and counting by reading every record give the
// same statistics.
func TestStatsFromIndexMatchRecords(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var recs []data.Record
	if err := demo.Generate(demo.Options{Persons: 1500, Businesses: 80, Organisations: 20, Seed: 11, Now: testNow}, func(r data.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	fromIndex, err := CollectStats(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromRecords, err := CollectStats(context.Background(), eachOnly{st}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := fromIndex, fromRecords
	if a.Persons != 1500 || a.Persons != b.Persons || a.Gender != b.Gender || a.Contact != b.Contact || a.Publish != b.Publish || a.AnyInterest != b.AnyInterest {
		t.Fatalf("totals differ:\nindex   %d %+v %+v %+v %+v\nrecords %d %+v %+v %+v %+v",
			a.Persons, a.Gender, a.Contact, a.Publish, a.AnyInterest, b.Persons, b.Gender, b.Contact, b.Publish, b.AnyInterest)
	}
	sameCodes := func(what string, x, y map[string]*GenderCount) {
		t.Helper()
		if len(x) != len(y) {
			t.Errorf("%s: %d values from the index, %d from the records", what, len(x), len(y))
		}
		for k, g := range y {
			if x[k] == nil || *x[k] != *g {
				t.Errorf("%s %q: index %+v, records %+v", what, k, x[k], g)
			}
		}
	}
	sameInts := func(what string, x, y map[int]*GenderCount) {
		t.Helper()
		if len(x) != len(y) {
			t.Errorf("%s: %d values from the index, %d from the records", what, len(x), len(y))
		}
		for k, g := range y {
			if x[k] == nil || *x[k] != *g {
				t.Errorf("%s %d: index %+v, records %+v", what, k, x[k], g)
			}
		}
	}
	sameNamed := func(what string, x, y map[string]*Named) {
		t.Helper()
		if len(x) != len(y) {
			t.Errorf("%s: %d values from the index, %d from the records", what, len(x), len(y))
		}
		for k, n := range y {
			if x[k] == nil || x[k].GenderCount != n.GenderCount {
				t.Errorf("%s %q: index %+v, records %+v", what, k, x[k], n)
				continue
			}
			if fold.Key(x[k].Name) != fold.Key(n.Name) {
				t.Errorf("%s %q: named %q from the index, %q from the records", what, k, x[k].Name, n.Name)
			}
		}
	}
	sameCodes("country", a.ByCountry, b.ByCountry)
	sameCodes("locality", a.ByLocality, b.ByLocality)
	sameCodes("education", a.ByEducation, b.ByEducation)
	sameCodes("interest", a.ByInterest, b.ByInterest)
	sameInts("generation", a.ByGeneration, b.ByGeneration)
	sameInts("emigration", a.ByEmigration, b.ByEmigration)
	sameNamed("city", a.ByCity, b.ByCity)
	sameNamed("profession", a.ByProfession, b.ByProfession)
	if a.Businesses != b.Businesses || a.Organisations != b.Organisations || a.Localities != b.Localities || a.Employees != b.Employees {
		t.Errorf("businesses, organisations or localities differ")
	}
}

// BenchmarkStatisticsFromStore makes the statistics report from a real
// registry, already open as in the app: set REPORTS_BENCH_DB to one made
// with `registar-cli --db DIR demo --persons 100000`.
func BenchmarkStatisticsFromStore(b *testing.B) {
	dir := os.Getenv("REPORTS_BENCH_DB")
	if dir == "" {
		b.Skip("set REPORTS_BENCH_DB to a registry folder")
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(context.Background(), io.Discard, Statistics, st, Options{Lang: i18n.SR}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(st.Counts()[data.KindPerson]), "persons")
}

// BenchmarkStatisticsFromStoreReadingAll is the same, reading every person
// (the path of a Source that is not Indexed).
func BenchmarkStatisticsFromStoreReadingAll(b *testing.B) {
	dir := os.Getenv("REPORTS_BENCH_DB")
	if dir == "" {
		b.Skip("set REPORTS_BENCH_DB to a registry folder")
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(context.Background(), io.Discard, Statistics, eachOnly{st}, Options{Lang: i18n.SR}); err != nil {
			b.Fatal(err)
		}
	}
}

// The pocket book read through the index lists what reading every record lists.
func TestPocketBookFromIndexMatchesRecords(t *testing.T) {
	needPoppler(t)
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var recs []data.Record
	demo.Generate(demo.Options{Persons: 400, Businesses: 30, Organisations: 8, Seed: 5, Now: testNow}, func(r data.Record) error {
		recs = append(recs, r)
		return nil
	})
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{}, {Countries: []string{"AT", "DE"}, Kinds: []data.Kind{data.KindPerson, data.KindBusiness}}} {
		a, ia := generate(t, PocketBook, st, opt)
		b, ib := generate(t, PocketBook, eachOnly{st}, opt)
		if ia != ib || ia.Entries == 0 {
			t.Fatalf("index: %+v, records: %+v", ia, ib)
		}
		// gofpdf's font subsets are not byte for byte reproducible: compare the text
		if pdfText(t, writeTemp(t, a), 0, 0) != pdfText(t, writeTemp(t, b), 0, 0) {
			t.Errorf("%+v: the two pocket books differ", opt)
		}
	}
}
