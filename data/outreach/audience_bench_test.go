package outreach

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"registar/data"
	"registar/data/search"
)

// BenchmarkAudienceCount100k is what the Outreach screen does after each
// change of the filter: the counts of an audience of 100,000 persons for
// e-mail (four facet counts on the index). Target ≤ 100 ms.
func BenchmarkAudienceCount100k(b *testing.B) {
	ix := search.NewIndex()
	rng := rand.New(rand.NewPCG(1, 2))
	countries := []string{"AT", "DE", "CH", "SE", "US"}
	cities := []string{"Beč", "Graz", "München", "Zürich", "Malmö", "Chicago"}
	docs := make([]search.Doc, 0, 100_000)
	for i := range 100_000 {
		p := &data.Person{GivenName: fmt.Sprintf("Ime%d", i), FamilyName: fmt.Sprintf("Prezime%d", i%977),
			Country: countries[rng.IntN(len(countries))], City: cities[rng.IntN(len(cities))],
			Interests: []string{data.Interests[rng.IntN(len(data.Interests))]}}
		if rng.IntN(3) > 0 {
			p.Email = fmt.Sprintf("p%d@example.org", i)
		}
		p.ConsentContact.Given = rng.IntN(4) > 0
		p.ID = fmt.Sprintf("id%06d", i)
		p.Kind = data.KindPerson
		docs = append(docs, search.DocOf(p))
	}
	ix.PutAll(docs)
	for _, query := range []string{"", "country:AT interest:invest", "ime1"} {
		b.Run(fmt.Sprintf("query=%q", query), func(b *testing.B) {
			a := Audience{Query: query}
			var c Counts
			for b.Loop() {
				c = countIndex(ix, a, NeedEmail)
			}
			if c.Matched == 0 {
				b.Fatal("nothing matched")
			}
		})
	}
}
