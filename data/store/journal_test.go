package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"registar/data"
	"registar/data/search"
)

// The index after a step holds what a rebuild from the stored records
// would: the entries made before encoding match the records written.
func TestStepIndexMatchesStoredRecords(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{Region: "BA"})
	var recs []data.Record
	for i, name := range []string{"  Đorđe ", "Амра", "Lejla"} {
		p := person(name, fmt.Sprintf("Hodžić%d", i))
		p.Phone = "061 242 77" + fmt.Sprint(i) // normalised to +387… on the way in
		recs = append(recs, p)
	}
	if _, err := s.Apply(context.Background(), Step{Action: "import"}, recs, nil); err != nil {
		t.Fatal(err)
	}
	var want []search.Doc
	s.Each(data.KindPerson, func(r data.Record) error {
		want = append(want, search.DocOf(r))
		return nil
	})
	rebuilt := search.NewIndex()
	rebuilt.PutAll(want)
	got, exp := s.index.Docs(), rebuilt.Docs()
	slices.SortFunc(got, func(a, b search.Doc) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(exp, func(a, b search.Doc) int { return strings.Compare(a.ID, b.ID) })
	if len(got) != 3 || !reflect.DeepEqual(got, exp) {
		t.Fatalf("index after the step:\n%+v\nrebuilt from the records:\n%+v", got, exp)
	}
	if s.Search(search.Query{Text: "38761"}).Total != 3 {
		t.Fatal("normalised phones not found")
	}
}
