package reports

import (
	"context"
	"strconv"

	"registar/data"
	"registar/data/search"
)

// Indexed is what a Source may also offer so that the persons are counted
// from the search index's facets instead of being read one by one:
// *store.Store offers it. Reading and decoding 100,000 persons from the
// store takes seconds; counting them in the index, a fraction of one.
// Businesses, organisations and localities, a few thousand at most, are
// still read (the index lacks employees, members and locality names).
type Indexed interface {
	Source
	Index() *search.Index
	Records(ids []string) ([]data.Record, error)
}

// personsFromIndex fills the persons' part of st from the index.
func personsFromIndex(ctx context.Context, src Indexed, st *Stats) error {
	ix := src.Index()
	persons := search.Query{Kind: data.KindPerson}
	with := func(q search.Query, name, value string) search.Query {
		q.Filters = append(append([]search.Facet(nil), q.Filters...), search.Facet{Name: name, Value: value})
		return q
	}
	byGender := func(q search.Query) GenderCount {
		all := ix.Count(q)
		f, m := ix.Count(with(q, search.FacetGender, "f")), ix.Count(with(q, search.FacetGender, "m"))
		return GenderCount{F: f, M: m, U: all - f - m}
	}
	// cross counts a facet's values by gender; single-valued facets also
	// get "" for the persons without a value.
	cross := func(q search.Query, name string, single bool) map[string]*GenderCount {
		all := ix.FacetCounts(q, name)
		f := ix.FacetCounts(with(q, search.FacetGender, "f"), name)
		m := ix.FacetCounts(with(q, search.FacetGender, "m"), name)
		out := map[string]*GenderCount{}
		var sum GenderCount
		for v, n := range all {
			g := GenderCount{F: f[v], M: m[v], U: n - f[v] - m[v]}
			out[v] = &g
			sum.plus(g)
		}
		if single {
			whole := byGender(q)
			if rest := (GenderCount{F: whole.F - sum.F, M: whole.M - sum.M, U: whole.U - sum.U}); rest.Total() > 0 {
				out[""] = &rest
			}
		}
		return out
	}

	st.Gender = byGender(persons)
	st.Persons = st.Gender.Total()
	st.ByCountry = cross(persons, search.FacetCountry, true)
	for c := range st.ByCountry {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c == "" {
			continue // persons without a country have no city worth a row
		}
		for city, g := range cross(with(persons, search.FacetCountry, c), search.FacetCity, true) {
			k := c + "/" + city
			st.ByCity[k] = &Named{GenderCount: *g}
			st.CityCountry[k] = c
		}
	}
	st.ByLocality = cross(persons, search.FacetLocality, true)
	for v, g := range cross(persons, search.FacetProfession, true) {
		st.ByProfession[v] = &Named{GenderCount: *g}
	}
	st.ByEducation = cross(persons, search.FacetEducation, true)
	for v, g := range cross(persons, search.FacetGeneration, true) {
		n, _ := strconv.Atoi(v)
		st.ByGeneration[n] = g
	}
	for v, g := range cross(persons, search.FacetEmigrationDecade, true) {
		n, _ := strconv.Atoi(v)
		st.ByEmigration[n] = g
	}
	st.ByInterest = cross(persons, search.FacetInterest, false)
	anyInterest := persons
	for _, in := range data.Interests {
		anyInterest = with(anyInterest, search.FacetInterest, in) // values of one name: any of them
	}
	st.AnyInterest = byGender(anyInterest)
	st.Contact = byGender(with(persons, search.FacetConsent, search.ConsentContact))
	st.Publish = byGender(with(persons, search.FacetConsent, search.ConsentPublish))

	// The index keeps cities and professions folded ("wien", "inzenjer"):
	// the name printed is taken from one person with that value.
	return nameFromRecords(ctx, src, func(yield func(n *Named, q search.Query, field func(*data.Person) string)) {
		for k, n := range st.ByCity {
			if key := k[len(st.CityCountry[k])+1:]; key != "" {
				yield(n, with(with(persons, search.FacetCountry, st.CityCountry[k]), search.FacetCity, key),
					func(p *data.Person) string { return p.City })
			}
		}
		for k, n := range st.ByProfession {
			if k != "" {
				yield(n, with(persons, search.FacetProfession, k), func(p *data.Person) string { return p.Profession })
			}
		}
	})
}

// nameFromRecords reads one person for each named count and takes the name
// from it.
func nameFromRecords(ctx context.Context, src Indexed, each func(yield func(*Named, search.Query, func(*data.Person) string))) error {
	type want struct {
		n     *Named
		field func(*data.Person) string
	}
	var ids []string
	wants := map[string][]want{}
	ix := src.Index()
	each(func(n *Named, q search.Query, field func(*data.Person) string) {
		q.Limit = 1
		if hits := ix.Search(q).Hits; len(hits) > 0 {
			id := hits[0].ID
			if _, ok := wants[id]; !ok {
				ids = append(ids, id)
			}
			wants[id] = append(wants[id], want{n, field})
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	recs, err := src.Records(ids)
	if err != nil {
		return err
	}
	for _, r := range recs {
		p, ok := r.(*data.Person)
		if !ok {
			continue
		}
		for _, w := range wants[p.ID] {
			w.n.Name = w.field(p)
		}
	}
	return nil
}
