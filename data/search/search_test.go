package search

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"registar/data"
)

func person(id, given, family string) Doc {
	p := &data.Person{GivenName: given, FamilyName: family, Country: "DE"}
	p.ID = id
	return DocOf(p)
}

// rulesIndex is a small registry with the names the acceptance rules use.
func rulesIndex(t *testing.T) *Index {
	t.Helper()
	ix := NewIndex()
	ix.Put(person("p1", "Đorđe", "Petrović"))
	ix.Put(person("p2", "Марко", "Петровић"))
	ix.Put(person("p3", "Marko", "Petrović"))
	ix.Put(person("p4", "Marko", "Jovanović"))
	ix.Put(person("p5", "Ayşe", "Çelik"))
	ix.Put(person("p6", "Arben", "Krasniqi"))
	ix.Put(person("p7", "Djordje", "Nikolić"))
	l := &data.Locality{Name: "Gjilan", Municipality: "Gjilan"}
	l.ID = "l1"
	ix.Put(DocOf(l))
	b := &data.Business{Name: "Petrovac d.o.o.", Country: "AT", City: "Wien", Sector: "Građevina"}
	b.ID = "b1"
	ix.Put(DocOf(b))
	return ix
}

func ids(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func TestSearchRules(t *testing.T) {
	ix := rulesIndex(t)
	cases := []struct {
		query string
		want  []string
	}{
		{"djordje", []string{"p1", "p7"}},
		{"dordje", []string{"p1", "p7"}},
		{"đorđe", []string{"p1", "p7"}},
		{"Ђорђе", []string{"p1", "p7"}},
		{"ĐORĐE", []string{"p1", "p7"}},
		{"petrovic", []string{"p1", "p2", "p3"}},
		{"Петровић", []string{"p1", "p2", "p3"}},
		{"PETROVIĆ", []string{"p1", "p2", "p3"}},
		{"celik", []string{"p5"}},
		{"Çelik", []string{"p5"}},
		{"ayse", []string{"p5"}},
		{"gjilan", []string{"l1"}},
		{"Gjilan", []string{"l1"}},
		{"petr", []string{"b1", "p1", "p2", "p3"}},
		{"Петр", []string{"b1", "p1", "p2", "p3"}},
		{"marko petr", []string{"p2", "p3"}},
		{"petr marko", []string{"p2", "p3"}},
		{"marko", []string{"p2", "p3", "p4"}},
		{"marko jov", []string{"p4"}},
		{"marko nikolic", nil},
		{"  Marko,   Petrović!  ", []string{"p2", "p3"}},
		{"zzz", nil},
		{"wien", []string{"b1"}},
		{"gradevina", []string{"b1"}},
	}
	for _, c := range cases {
		got := ids(ix.Search(Query{Text: c.query}))
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.query, got, c.want)
		}
		if n := ix.Count(Query{Text: c.query}); n != len(c.want) {
			t.Errorf("Count(%q) = %d, want %d", c.query, n, len(c.want))
		}
	}
}

func TestEmptyTextWithFilters(t *testing.T) {
	ix := rulesIndex(t)
	got := ids(ix.Search(Query{Filters: []Facet{{FacetCountry, "DE"}}}))
	if want := []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}; !slices.Equal(got, want) {
		t.Fatalf("country DE: %v, want %v", got, want)
	}
	// Values are canonicalised: "de" is DE, "Beč"/"bec"/"Беч" one city.
	if n := ix.Count(Query{Filters: []Facet{{"Country", " de "}}}); n != 7 {
		t.Fatalf("country de: %d", n)
	}
	if got := ids(ix.Search(Query{Kind: data.KindBusiness})); !slices.Equal(got, []string{"b1"}) {
		t.Fatalf("kind business: %v", got)
	}
	// Several values of one name: any; several names: all.
	q := Query{Filters: []Facet{{FacetCountry, "AT"}, {FacetCountry, "DE"}}}
	if n := ix.Count(q); n != 8 {
		t.Fatalf("AT or DE: %d", n)
	}
	q.Filters = append(q.Filters, Facet{FacetSector, "GRAĐEVINA"})
	if got := ids(ix.Search(q)); !slices.Equal(got, []string{"b1"}) {
		t.Fatalf("(AT or DE) and sector: %v", got)
	}
	if n := ix.Count(Query{Filters: []Facet{{FacetCountry, "FR"}}}); n != 0 {
		t.Fatalf("FR: %d", n)
	}
	if n := ix.Count(Query{Filters: []Facet{{"nosuchfacet", "x"}}}); n != 0 {
		t.Fatalf("unknown facet: %d", n)
	}
	if n := ix.Count(Query{}); n != 9 {
		t.Fatalf("everything: %d", n)
	}
}

func TestCityFolded(t *testing.T) {
	ix := NewIndex()
	for i, city := range []string{"Beč", "Bec", "Беч", "BEČ", "Wien"} {
		p := &data.Person{GivenName: "A", FamilyName: "B", Country: "AT", City: city}
		p.ID = string(rune('a' + i))
		ix.Put(DocOf(p))
	}
	for _, v := range []string{"Beč", "bec", "Беч"} {
		if n := ix.Count(Query{Filters: []Facet{{FacetCity, v}}}); n != 4 {
			t.Errorf("city %q: %d, want 4", v, n)
		}
	}
	got := ix.FacetCounts(Query{}, FacetCity)
	if want := map[string]int{"bec": 4, "wien": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("FacetCounts city = %v", got)
	}
}

func TestTrash(t *testing.T) {
	ix := rulesIndex(t)
	d := person("p3", "Marko", "Petrović")
	d.Trashed = true
	ix.Put(d)
	if got := ids(ix.Search(Query{Text: "marko"})); !slices.Equal(got, []string{"p2", "p4"}) {
		t.Fatalf("exclude: %v", got)
	}
	if got := ids(ix.Search(Query{Text: "marko", Trash: TrashOnly})); !slices.Equal(got, []string{"p3"}) {
		t.Fatalf("only: %v", got)
	}
	if got := ids(ix.Search(Query{Text: "marko", Trash: TrashInclude})); !slices.Equal(got, []string{"p2", "p3", "p4"}) {
		t.Fatalf("include: %v", got)
	}
	if n := ix.Count(Query{}); n != 8 {
		t.Fatalf("everything but the trash: %d", n)
	}
	if n := ix.Count(Query{Trash: TrashOnly}); n != 1 {
		t.Fatalf("the trash: %d", n)
	}
	if ix.Len() != 9 {
		t.Fatalf("Len counts the trash too: %d", ix.Len())
	}
	d.Trashed = false // restored
	ix.Put(d)
	if n := ix.Count(Query{Trash: TrashOnly}); n != 0 {
		t.Fatalf("restored, the trash: %d", n)
	}
}

func TestReplaceAndRemove(t *testing.T) {
	ix := rulesIndex(t)
	ix.Put(person("p3", "Marko", "Marić")) // p3 changed family name
	if got := ids(ix.Search(Query{Text: "petrovic"})); !slices.Equal(got, []string{"p1", "p2"}) {
		t.Fatalf("old words still match: %v", got)
	}
	if got := ids(ix.Search(Query{Text: "maric"})); !slices.Equal(got, []string{"p3"}) {
		t.Fatalf("new words: %v", got)
	}
	if ix.Len() != 9 {
		t.Fatalf("Len after replace: %d", ix.Len())
	}
	ix.Remove("p3")
	ix.Remove("nobody")
	if got := ids(ix.Search(Query{Text: "marko"})); !slices.Equal(got, []string{"p2", "p4"}) {
		t.Fatalf("after remove: %v", got)
	}
	if _, ok := ix.Kind("p3"); ok || ix.Len() != 8 {
		t.Fatalf("p3 still known, Len %d", ix.Len())
	}
	if k, ok := ix.Kind("l1"); !ok || k != data.KindLocality {
		t.Fatalf("Kind(l1) = %q %v", k, ok)
	}
	// A removed number is reused; nothing of the old doc leaks.
	ix.Put(person("p9", "Zora", "Zorić"))
	if got := ids(ix.Search(Query{Text: "z"})); !slices.Equal(got, []string{"p9"}) {
		t.Fatalf("reuse: %v", got)
	}
	if got := ids(ix.Search(Query{Text: "marko"})); !slices.Equal(got, []string{"p2", "p4"}) {
		t.Fatalf("after reuse: %v", got)
	}
}

func TestHitsSortedByFoldedTitle(t *testing.T) {
	ix := NewIndex()
	for _, d := range []Doc{
		{ID: "5", Kind: data.KindPerson, Title: "Zoran Živković"},
		{ID: "4", Kind: data.KindPerson, Title: "Ćamil Ćehajić"},
		{ID: "3", Kind: data.KindPerson, Title: "Čedomir Ilić"},
		{ID: "2", Kind: data.KindPerson, Title: "Đorđe Petrović"},
		{ID: "1", Kind: data.KindPerson, Title: "Ђорђе Петровић"},
		{ID: "0", Kind: data.KindPerson, Title: "Ana Đukić"},
		{ID: "6", Kind: data.KindPerson, Title: "dorde petrovic"},
	} {
		ix.Put(d)
	}
	// folded: ana dukic; camil cehajic; cedomir ilic; dorde petrovic ×3 by ID; zoran zivkovic
	var got []string
	for _, h := range ix.Search(Query{}).Hits {
		got = append(got, h.ID)
	}
	if want := []string{"0", "4", "3", "1", "2", "6", "5"}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Pages.
	r := ix.Search(Query{Limit: 2, Offset: 2})
	if r.Total != 7 || len(r.Hits) != 2 || r.Hits[0].ID != "3" || r.Hits[1].ID != "1" {
		t.Fatalf("page: %+v", r)
	}
	if r := ix.Search(Query{Limit: 5, Offset: 7}); r.Total != 7 || len(r.Hits) != 0 {
		t.Fatalf("past the end: %+v", r)
	}
	if r := ix.Search(Query{Text: "dorde", Limit: 1, Offset: 2}); r.Total != 3 || len(r.Hits) != 1 || r.Hits[0].ID != "6" {
		t.Fatalf("last page: %+v", r)
	}
	if h := ix.Search(Query{Text: "ana"}).Hits; len(h) != 1 || h[0] != (Hit{ID: "0", Kind: data.KindPerson, Title: "Ana Đukić"}) {
		t.Fatalf("hit: %+v", h)
	}
}

func TestFacetCounts(t *testing.T) {
	ix := NewIndex()
	mk := func(id, country, gender string, trashed bool) {
		p := &data.Person{GivenName: "X", FamilyName: id, Country: country, Gender: gender}
		p.ID = id
		if trashed {
			now := time.Now()
			p.TrashedAt = &now
		}
		ix.Put(DocOf(p))
	}
	mk("a", "DE", "f", false)
	mk("b", "DE", "m", false)
	mk("c", "AT", "f", false)
	mk("d", "CH", "f", true)
	if got, want := ix.FacetCounts(Query{}, FacetCountry), map[string]int{"DE": 2, "AT": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("by country: %v, want %v", got, want)
	}
	// kind:person is every doc here, trashed d too: it must still leave d out.
	if got, want := ix.FacetCounts(Query{Kind: data.KindPerson}, FacetCountry), map[string]int{"DE": 2, "AT": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("persons by country: %v, want %v", got, want)
	}
	if n := ix.Count(Query{Kind: data.KindPerson, Trash: TrashOnly}); n != 1 {
		t.Errorf("persons in the trash: %d", n)
	}
	if got, want := ix.FacetCounts(Query{Filters: []Facet{{FacetGender, "f"}}}, FacetCountry), map[string]int{"DE": 1, "AT": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("women by country: %v, want %v", got, want)
	}
	if got, want := ix.FacetCounts(Query{Trash: TrashInclude}, FacetGender), map[string]int{"f": 3, "m": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("by gender with trash: %v, want %v", got, want)
	}
	if got, want := ix.FacetCounts(Query{}, FacetKind), map[string]int{"person": 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("by kind: %v, want %v", got, want)
	}
	if got := ix.FacetCounts(Query{Text: "nobody"}, FacetCountry); len(got) != 0 {
		t.Errorf("no match: %v", got)
	}
}

func TestDocOf(t *testing.T) {
	p := &data.Person{
		GivenName: "Đorđe", FamilyName: "Petrović", ParentName: "Milan", Gender: "m",
		HomeMunicipality: "Bihać", LocalityID: "loc1", Country: "AT", City: "Beč",
		Email: "djordje@example.com", Phone: "+43 660 1234567", Profession: "Inženjer",
		Education: "master", EmigrationYear: 1994, Generation: 1,
		Interests: []string{"invest", "return"}, NeedTags: []string{"Kredit"}, Tags: []string{"IT"},
		ConsentPublish: data.Consent{Given: true},
	}
	p.ID = "p1"
	p.CreatedAt = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	d := DocOf(p)
	if d.ID != "p1" || d.Kind != data.KindPerson || d.Title != "Đorđe Petrović" || d.Trashed {
		t.Fatalf("doc: %+v", d)
	}
	want := []Facet{
		{"created", "2026-03"}, {"country", "AT"}, {"city", "bec"}, {"locality", "loc1"},
		{"profession", "inzenjer"}, {"interest", "invest"}, {"interest", "return"}, {"consent", "publish"},
		{"tag", "it"}, {"tag", "kredit"}, {"gender", "m"}, {"generation", "1"}, {"education", "master"},
		{"emigration_decade", "1990"}, {"municipality", "bihac"}, {"has", "email"}, {"has", "postal"},
	}
	if !slices.Equal(visibleFacets(d.Facets), want) {
		t.Errorf("facets\n got %v\nwant %v", visibleFacets(d.Facets), want)
	}
	ix := NewIndex()
	ix.Put(d)
	for _, q := range []string{"milan", "bec", "inz", "djordje@example", "436601234567", "43660", "bihac", "kredit", "petrovic"} {
		if ix.Count(Query{Text: q}) != 1 {
			t.Errorf("%q does not find the person", q)
		}
	}

	b := &data.Business{Name: "Čelik Bau GmbH", Country: "DE", City: "München", Sector: "Građevina",
		RegistrationNo: "HRB 12345", Phone: "+49891234", Email: "info@celik.de", InvestAtHome: true,
		ConsentContact: data.Consent{Given: true}}
	b.ID = "b1"
	db := DocOf(b)
	wantB := []Facet{{"country", "DE"}, {"city", "munchen"}, {"sector", "gradevina"}, {"interest", "invest"}, {"consent", "contact"}, {"has", "email"}, {"has", "postal"}}
	if db.Kind != data.KindBusiness || !slices.Equal(visibleFacets(db.Facets), wantB) {
		t.Errorf("business: %+v", db)
	}
	o := &data.Organisation{Name: "Udruženje Bosanaca", OrgKind: "diaspora_association", Country: "SE",
		City: "Malmö", ContactPerson: "Amra Hodžić", RegistrationNo: "802-1", Tags: []string{"Kultura"}}
	o.ID = "o1"
	do := DocOf(o)
	wantO := []Facet{{"country", "SE"}, {"city", "malmo"}, {"org_kind", "diaspora_association"}, {"has", "postal"}, {"tag", "kultura"}}
	if do.Kind != data.KindOrganisation || !slices.Equal(visibleFacets(do.Facets), wantO) {
		t.Errorf("organisation: %+v", do)
	}
	l := &data.Locality{Name: "Ćoralići", Municipality: "Cazin", CouncilContact: "Mujo Mujić"}
	l.ID = "l1"
	dl := DocOf(l)
	if dl.Kind != data.KindLocality || !slices.Equal(visibleFacets(dl.Facets), []Facet{{"municipality", "cazin"}}) {
		t.Errorf("locality: %+v", dl)
	}
	ix.PutAll([]Doc{db, do, dl})
	for q, want := range map[string]string{"hrb 12345": "b1", "amra hodzic": "o1", "coralici": "l1", "mujic": "l1", "802": "o1", "celik bau": "b1"} {
		if got := ids(ix.Search(Query{Text: q})); !slices.Equal(got, []string{want}) {
			t.Errorf("%q: %v, want %s", q, got, want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in   string
		want Query
	}{
		{"petrovic country:DE interest:invest kind:person", Query{Text: "petrovic", Kind: data.KindPerson,
			Filters: []Facet{{"country", "DE"}, {"interest", "invest"}}}},
		{"", Query{}},
		{"  marko   petr ", Query{Text: "marko petr"}},
		{"x:y petrovic", Query{Text: "x:y petrovic"}},
		{"Country:de,at", Query{Filters: []Facet{{"country", "de"}, {"country", "at"}}}},
		{`city:"Bad Ischl" ana`, Query{Text: "ana", Filters: []Facet{{"city", "Bad Ischl"}}}},
		{"kind:persons", Query{Kind: data.KindPerson}},
		{"kind:org kind:b", Query{Filters: []Facet{{"kind", "organisation"}, {"kind", "business"}}}},
		{"kind:nonsense", Query{Text: "kind:nonsense"}},
		{"country: ana", Query{Text: "country: ana"}},
		{":x", Query{Text: ":x"}},
		{"trash:only marko", Query{Text: "marko", Trash: TrashOnly}},
		{"trash:all", Query{Trash: TrashInclude}},
		{"trash:maybe", Query{Text: "trash:maybe"}},
		{"consent:publish tag:IT created:2026-03", Query{Filters: []Facet{{"consent", "publish"}, {"tag", "IT"}, {"created", "2026-03"}}}},
		{"Ђорђе emigration_decade:1990", Query{Text: "Ђорђе", Filters: []Facet{{"emigration_decade", "1990"}}}},
	}
	for _, c := range cases {
		if got := ParseQuery(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
	// And the parsed query searches as meant.
	ix := rulesIndex(t)
	if got := ids(ix.Search(ParseQuery("petr kind:person country:de"))); !slices.Equal(got, []string{"p1", "p2", "p3"}) {
		t.Errorf("parsed search: %v", got)
	}
	if got := ids(ix.Search(ParseQuery("kind:business kind:locality"))); !slices.Equal(got, []string{"b1", "l1"}) {
		t.Errorf("two kinds: %v", got)
	}
}
