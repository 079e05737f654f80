package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"registar/data"
)

const benchN = 100_000

var (
	benchOnce sync.Once
	benchDocs []Doc
	benchIx   *Index
)

// bench100k is 100,000 generated persons and an index over them, built once.
func bench100k() ([]Doc, *Index) {
	benchOnce.Do(func() {
		benchDocs = genDocs(1, benchN)
		benchIx = NewIndex()
		benchIx.PutAll(benchDocs)
	})
	return benchDocs, benchIx
}

var (
	benchDumpOnce sync.Once
	benchDumpB    []byte
)

// benchDump100k is the dump of bench100k's index, made once.
func benchDump100k(b *testing.B) []byte {
	_, ix := bench100k()
	benchDumpOnce.Do(func() {
		var err error
		if benchDumpB, err = ix.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	})
	return benchDumpB
}

// benchQueries are what people type: one or two word prefixes in any
// script, with and without diacritics, sometimes a filter.
var benchQueries = []string{
	"petr", "petrovic", "marko petr", "djordje", "đorđe", "Ђорђе", "dorde pet", "Петровић", "hodz", "hodžić",
	"krasniqi", "gjil", "celik", "Çelik", "am", "ana jov", "münchen", "inž", "lejla beg", "selma",
	"arben gashi", "xhev", "shk", "Љиљана", "ljilj", "ivana ni", "emir", "mujić", "zürich", "beč",
	"petr country:DE", "kind:person interest:invest", "country:AT gender:f", "amra city:wien", "m",
	"s", "ha", "dž", "ni", "ko",
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

func BenchmarkPutAll100k(b *testing.B) {
	docs, _ := bench100k()
	before := heapMB()
	var ix *Index
	b.ResetTimer()
	for b.Loop() {
		ix = NewIndex()
		ix.PutAll(docs)
	}
	b.StopTimer()
	b.ReportMetric(heapMB()-before, "heap-MB")
	runtime.KeepAlive(ix)
}

// BenchmarkSearch100k runs the queries on the index in both its forms: as
// PutAll built it (what a session has after its first write) and answering
// in place from its dump (what an open gives until then).
func BenchmarkSearch100k(b *testing.B) {
	_, built := bench100k()
	inPlace := NewIndex()
	if err := inPlace.LoadInPlace(benchDump100k(b), nil); err != nil {
		b.Fatal(err)
	}
	b.Run("built", func(b *testing.B) { benchSearch(b, built) })
	b.Run("in-place", func(b *testing.B) { benchSearch(b, inPlace) })
}

func benchSearch(b *testing.B, ix *Index) {
	qs := make([]Query, len(benchQueries))
	for i, s := range benchQueries {
		qs[i] = ParseQuery(s)
		qs[i].Limit = 50
	}
	b.Run("mixed", func(b *testing.B) {
		i := 0
		for b.Loop() {
			ix.Search(qs[i%len(qs)])
			i++
		}
		// The figures the product asks for: the median of one query, and
		// 1,000 queries in all.
		times := make([]time.Duration, 0, 1000)
		start := time.Now()
		for i := range 1000 {
			t := time.Now()
			ix.Search(qs[i%len(qs)])
			times = append(times, time.Since(t))
		}
		total := time.Since(start)
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Microseconds()), "median-µs")
		b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(total.Milliseconds()), "1000q-ms")
	})
	for _, s := range []string{"petr", "marko petr", "Ђорђе", "m", "kind:person interest:invest", "country:AT gender:f"} {
		q := ParseQuery(s)
		q.Limit = 50
		b.Run(fmt.Sprintf("%q", s), func(b *testing.B) {
			for b.Loop() {
				ix.Search(q)
			}
		})
	}
	b.Run("all-limit50", func(b *testing.B) {
		for b.Loop() {
			ix.Search(Query{Limit: 50})
		}
	})
	b.Run("all-nolimit", func(b *testing.B) {
		for b.Loop() {
			ix.Search(Query{})
		}
	})
	b.Run("count-petr", func(b *testing.B) {
		for b.Loop() {
			ix.Count(Query{Text: "petr"})
		}
	})
	b.Run("facetcounts-country", func(b *testing.B) {
		q := Query{Kind: data.KindPerson}
		for b.Loop() {
			ix.FacetCounts(q, FacetCountry)
		}
	})
	b.Run("facetcounts-gender-of-petr", func(b *testing.B) {
		q := Query{Text: "petr"}
		for b.Loop() {
			ix.FacetCounts(q, FacetGender)
		}
	})
}

func BenchmarkPut(b *testing.B) {
	docs, _ := bench100k()
	ix := NewIndex()
	ix.PutAll(docs)
	changed := genDocs(2, benchN) // same IDs, other content
	edited := make([]Doc, benchN) // one field changed, as when a record is saved
	for i, d := range docs {
		d.Text = slices.Clone(d.Text)
		d.Text[len(d.Text)-1] += " Kladuša"
		edited[i] = d
	}
	b.Run("edit", func(b *testing.B) {
		i := 0
		for b.Loop() {
			ix.Put(edited[i%benchN])
			i++
		}
	})
	b.Run("replace", func(b *testing.B) {
		i := 0
		for b.Loop() {
			ix.Put(changed[i%benchN])
			i++
		}
	})
	fresh := make([]Doc, benchN) // other IDs
	r := rand.New(rand.NewPCG(3, 3))
	for i := range fresh {
		fresh[i] = DocOf(genPerson(r, benchN+i))
	}
	b.Run("new", func(b *testing.B) {
		i := 0
		for b.Loop() {
			ix.Put(fresh[i%benchN])
			i++
		}
	})
	b.Run("remove", func(b *testing.B) {
		i := 0
		for b.Loop() {
			d := changed[i%benchN]
			ix.Remove(d.ID)
			b.StopTimer()
			ix.Put(d) // back, so that every Remove removes
			b.StartTimer()
			i++
		}
	})
}

// BenchmarkLoadInPlace100k is the open of a store with a saved index: the
// dump of 100,000 persons checked and answered from where it lies.
func BenchmarkLoadInPlace100k(b *testing.B) {
	dump := benchDump100k(b)
	b.SetBytes(int64(len(dump)))
	for b.Loop() {
		if err := NewIndex().LoadInPlace(dump, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshal100k is the dump of 100,000 persons copied into the
// mutable form: what the first write after an open pays (the thaw).
func BenchmarkUnmarshal100k(b *testing.B) {
	dump := benchDump100k(b)
	b.SetBytes(int64(len(dump)))
	for b.Loop() {
		if err := NewIndex().UnmarshalBinary(dump); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchRanked100k is best match first (Query.Order ByRelevance)
// against title order, for the same queries: what a keystroke in the search
// bar costs with a page of 50 and with every hit (the GUI's list).
func BenchmarkSearchRanked100k(b *testing.B) {
	_, built := bench100k()
	inPlace := NewIndex()
	if err := inPlace.LoadInPlace(benchDump100k(b), nil); err != nil {
		b.Fatal(err)
	}
	for _, form := range []struct {
		name string
		ix   *Index
	}{{"built", built}, {"in-place", inPlace}} {
		for _, order := range []struct {
			name string
			o    Order
		}{{"title", ByTitle}, {"ranked", ByRelevance}} {
			b.Run(form.name+"/"+order.name+"/mixed-limit50", func(b *testing.B) {
				qs := make([]Query, len(benchQueries))
				for i, s := range benchQueries {
					qs[i] = ParseQuery(s)
					qs[i].Limit, qs[i].Order = 50, order.o
				}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu := threadCPU()
				i := 0
				for b.Loop() {
					form.ix.Search(qs[i%len(qs)])
					i++
				}
				if cpu >= 0 {
					b.ReportMetric(float64(threadCPU()-cpu)/float64(b.N)/1e3, "cpu-µs/op")
				}
			})
			for _, s := range []string{"djordje", "marko petr", "m", "a", "s"} {
				for _, limit := range []int{50, 0} {
					q := ParseQuery(s)
					q.Limit, q.Order = limit, order.o
					b.Run(fmt.Sprintf("%s/%s/%q/limit%d", form.name, order.name, s, limit), func(b *testing.B) {
						runtime.LockOSThread()
						defer runtime.UnlockOSThread()
						cpu := threadCPU()
						for b.Loop() {
							form.ix.Search(q)
						}
						if cpu >= 0 {
							b.ReportMetric(float64(threadCPU()-cpu)/float64(b.N)/1e3, "cpu-µs/op")
						}
					})
				}
			}
		}
	}
}
