package search

import (
	"reflect"
	"testing"

	"registar/data"
)

func TestDocCodecRoundTrip(t *testing.T) {
	p := &data.Person{GivenName: "Ђорђе", FamilyName: "Петровић", Country: "AT", City: "Wien",
		Interests: []string{"invest", "return"}, Tags: []string{"ljeto 2026"}}
	p.ID, p.Kind = "x1", data.KindPerson
	for _, d := range []Doc{DocOf(p), {}, {ID: "a", Trashed: true}} {
		got, err := DecodeDoc(EncodeDoc(d))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", got, d)
		}
	}
}

func FuzzDecodeDoc(f *testing.F) {
	f.Add(EncodeDoc(Doc{ID: "a", Kind: "person", Title: "Amir", Text: []string{"x"}, Facets: []Facet{{"country", "DE"}}}))
	f.Add([]byte{1, 0, 200})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeDoc(b)
		if err == nil {
			if again, err := DecodeDoc(EncodeDoc(d)); err != nil || !reflect.DeepEqual(again, d) {
				t.Fatalf("re-encode differs: %v", err)
			}
		}
	})
}
