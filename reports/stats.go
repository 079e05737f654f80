package reports

import (
	"context"
	"strings"

	"registar/data"
	"registar/data/fold"
)

// GenderCount counts persons by gender: women, men and not stated.
type GenderCount struct{ F, M, U int }

// Total is everyone counted.
func (g GenderCount) Total() int { return g.F + g.M + g.U }

func (g *GenderCount) add(gender string) {
	switch gender {
	case "f":
		g.F++
	case "m":
		g.M++
	default:
		g.U++
	}
}

func (g *GenderCount) plus(o GenderCount) { g.F, g.M, g.U = g.F+o.F, g.M+o.M, g.U+o.U }

// Named is a count under a name as written in the records (a city, a
// profession, a sector): spellings that fold to the same key ("Wien",
// "WIEN") are counted together under the most frequent one.
type Named struct {
	Name string
	GenderCount
	spellings map[string]int
}

// Stats are the numbers of the brochure and the statistics report. Keys
// are codes (ISO countries, education and interest codes, generation 1–3
// with 0 for not stated, years with 0 for not stated, locality IDs with ""
// for not stated); folded text keys for cities, professions and sectors.
type Stats struct {
	Persons, Businesses, Organisations, Localities int

	Gender       GenderCount
	ByCountry    map[string]*GenderCount
	ByCity       map[string]*Named // key: country + "/" + folded city
	CityCountry  map[string]string // key of ByCity → country code
	ByLocality   map[string]*GenderCount
	LocalityName map[string]string // locality ID → name
	ByProfession map[string]*Named
	ByEducation  map[string]*GenderCount
	ByGeneration map[int]*GenderCount
	ByEmigration map[int]*GenderCount // by decade: 1990 for 1990–1999
	ByInterest   map[string]*GenderCount
	AnyInterest  GenderCount
	Contact      GenderCount // persons who consented to be contacted
	Publish      GenderCount // persons who consented to publication

	BusinessBySector  map[string]*Named // GenderCount.U holds the count
	BusinessByCountry map[string]int
	BusinessPublish   int
	BusinessInvest    int
	Employees         int

	OrgByKind    map[string]int
	OrgByCountry map[string]int
	Members      int
}

func newStats() *Stats {
	return &Stats{
		ByCountry: map[string]*GenderCount{}, ByCity: map[string]*Named{}, CityCountry: map[string]string{},
		ByLocality: map[string]*GenderCount{}, LocalityName: map[string]string{},
		ByProfession: map[string]*Named{}, ByEducation: map[string]*GenderCount{},
		ByGeneration: map[int]*GenderCount{}, ByEmigration: map[int]*GenderCount{},
		ByInterest: map[string]*GenderCount{}, BusinessBySector: map[string]*Named{},
		BusinessByCountry: map[string]int{}, OrgByKind: map[string]int{}, OrgByCountry: map[string]int{},
	}
}

// CollectStats counts the records of the source (the trash left out).
// progress, if not nil, gets the records read out of the total when the
// source can count them (*store.Store can). A source that is Indexed has
// its persons counted from the index, without reading them.
func CollectStats(ctx context.Context, src Source, progress func(done, total int)) (*Stats, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	st := newStats()
	kinds := []data.Kind{data.KindLocality, data.KindPerson, data.KindBusiness, data.KindOrganisation}
	indexed, fromIndex := src.(Indexed)
	if fromIndex {
		kinds = []data.Kind{data.KindLocality, data.KindBusiness, data.KindOrganisation}
	}
	rd := newReader(ctx, src, kinds, progress)
	folds := map[string]string{} // raw text → fold key: the same few values repeat
	key := func(s string) string {
		k, ok := folds[s]
		if !ok {
			k = fold.Key(s)
			folds[s] = k
		}
		return k
	}
	named := func(m map[string]*Named, k, raw string) *Named {
		n := m[k]
		if n == nil {
			n = &Named{spellings: map[string]int{}}
			m[k] = n
		}
		n.spellings[raw]++
		return n
	}
	gc := func(m map[string]*GenderCount, k string) *GenderCount {
		g := m[k]
		if g == nil {
			g = &GenderCount{}
			m[k] = g
		}
		return g
	}
	gi := func(m map[int]*GenderCount, k int) *GenderCount {
		g := m[k]
		if g == nil {
			g = &GenderCount{}
			m[k] = g
		}
		return g
	}
	err := rd.each(data.KindLocality, func(r data.Record) {
		l := r.(*data.Locality)
		st.Localities++
		st.LocalityName[l.ID] = l.Name
	})
	if err != nil {
		return nil, err
	}
	addPerson := func(r data.Record) {
		p := r.(*data.Person)
		g := p.Gender
		st.Persons++
		st.Gender.add(g)
		country := strings.ToUpper(p.Country)
		gc(st.ByCountry, country).add(g)
		city := strings.TrimSpace(p.City)
		ck := country + "/" + key(city)
		named(st.ByCity, ck, city).add(g)
		st.CityCountry[ck] = country
		gc(st.ByLocality, p.LocalityID).add(g)
		prof := strings.TrimSpace(p.Profession)
		named(st.ByProfession, key(prof), prof).add(g)
		gc(st.ByEducation, p.Education).add(g)
		gi(st.ByGeneration, p.Generation).add(g)
		gi(st.ByEmigration, max(0, p.EmigrationYear)/10*10).add(g)
		seen := 0
		for _, in := range p.Interests {
			bit := 0
			for i, c := range data.Interests {
				if c == in {
					bit = 1 << i
				}
			}
			if bit == 0 || seen&bit != 0 {
				continue // unknown or repeated
			}
			seen |= bit
			gc(st.ByInterest, in).add(g)
		}
		if seen != 0 {
			st.AnyInterest.add(g)
		}
		if p.ConsentContact.Given {
			st.Contact.add(g)
		}
		if p.ConsentPublish.Given {
			st.Publish.add(g)
		}
	}
	if fromIndex {
		err = personsFromIndex(ctx, indexed, st)
	} else {
		err = rd.each(data.KindPerson, addPerson)
	}
	if err != nil {
		return nil, err
	}
	err = rd.each(data.KindBusiness, func(r data.Record) {
		b := r.(*data.Business)
		st.Businesses++
		sector := strings.TrimSpace(b.Sector)
		named(st.BusinessBySector, key(sector), sector).U++
		st.BusinessByCountry[strings.ToUpper(b.Country)]++
		if b.ConsentPublish.Given {
			st.BusinessPublish++
		}
		if b.InvestAtHome {
			st.BusinessInvest++
		}
		st.Employees += max(0, b.Employees)
	})
	if err != nil {
		return nil, err
	}
	err = rd.each(data.KindOrganisation, func(r data.Record) {
		o := r.(*data.Organisation)
		st.Organisations++
		st.OrgByKind[o.OrgKind]++
		st.OrgByCountry[strings.ToUpper(o.Country)]++
		st.Members += max(0, o.MemberCount)
	})
	if err != nil {
		return nil, err
	}
	for _, m := range []map[string]*Named{st.ByCity, st.ByProfession, st.BusinessBySector} {
		for k, n := range m {
			if n.spellings == nil {
				continue // named from the index
			}
			best, c := "", -1
			for s, sc := range n.spellings {
				if sc > c || (sc == c && s < best) {
					best, c = s, sc
				}
			}
			n.Name = best
			if k == "" {
				n.Name = ""
			}
			n.spellings = nil
		}
	}
	if progress != nil && rd.total > 0 {
		progress(rd.total, rd.total)
	}
	return st, nil
}

// Countries is the number of countries persons, businesses or
// organisations live or work in.
func (s *Stats) Countries() int {
	seen := map[string]bool{}
	for c := range s.ByCountry {
		seen[c] = true
	}
	for c := range s.BusinessByCountry {
		seen[c] = true
	}
	for c := range s.OrgByCountry {
		seen[c] = true
	}
	delete(seen, "")
	return len(seen)
}
