package odk

import (
	"fmt"
	"io"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

// localities300 is a registry's worth of local communities.
func localities300() []*data.Locality {
	locs := make([]*data.Locality, 300)
	for i := range locs {
		locs[i] = &data.Locality{Name: fmt.Sprintf("Mjesna zajednica Čelić %d", i), Municipality: "Cazin"}
	}
	return locs
}

// BenchmarkWriteBothFiles makes the person form for a registry with 300
// local communities and writes its XLSForm and XForm (target: ≤ 1 s).
func BenchmarkWriteBothFiles(b *testing.B) {
	locs := localities300()
	for b.Loop() {
		f, err := New(data.KindPerson, locs, Options{Lang: i18n.BS})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.WriteXLSForm(io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := f.WriteXForm(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew is the part of the work that builds the form and its version.
func BenchmarkNew(b *testing.B) {
	locs := localities300()
	for b.Loop() {
		if _, err := New(data.KindPerson, locs, Options{Lang: i18n.BS}); err != nil {
			b.Fatal(err)
		}
	}
}
