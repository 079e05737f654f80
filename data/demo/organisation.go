package demo

import (
	"strings"

	"registar/data"
	"registar/data/fold"
)

// orgFamily is the milieu an organisation comes from: a community abroad,
// or the civil society of Una-Sana Canton at home.
type orgFamily uint8

const famUSKCSO = orgFamily(nCommunities)

var orgFamilyCum = cum(32, 5, 3, 20, 20, 8, 12) // the communities in order, then USK CSOs

// Kinds by weight, for associations abroad and for CSOs at home.
var (
	kindsAbroad = []ws{{"diaspora_association", 40}, {"cultural", 12}, {"sports", 10}, {"religious", 8}, {"professional", 6},
		{"humanitarian", 6}, {"youth", 6}, {"women", 6}, {"other", 3}}
	kindsCSO = []ws{{"cso", 40}, {"youth", 12}, {"women", 12}, {"humanitarian", 12}, {"cultural", 8}, {"sports", 6}, {"professional", 6}, {"other", 4}}
)

// uskCities are where Una-Sana Canton's CSOs are registered (in countries[ciBA]).
var uskCities = []string{"Cazin", "Bihać", "Velika Kladuša", "Bosanska Krupa", "Sanski Most", "Bužim", "Ključ", "Bosanski Petrovac"}

// Quoted names associations take.
var (
	quotedBS  = []string{"Behar", "Ljiljan", "Una", "Sevdah", "Krajina", "Bosna", "Mostovi", "Zavičaj", "Korijeni", "Izvor", "Sedef", "Biser", "Sabah", "Nur", "Sloga"}
	quotedCSO = []string{"Una", "Sana", "Glas građana", "Zeleni val", "Most", "Sunce", "Izvor", "Nada", "Korak", "Budućnost", "Zajedno", "Krajiška kuća"}
	quotedSR  = []string{"Kolo", "Šumadija", "Vidovdan", "Morava", "Sloga", "Sveti Sava", "Ćirilica", "Đerdan", "Dunav", "Karađorđe", "Njegoš", "Zavičaj", "Opanak", "Izvor"}
	quotedHR  = []string{"Lašva", "Vlašić", "Hrvatsko srce", "Zavičaj", "Korijeni", "Sloga", "Tomislav", "Matija Gubec", "Lipa"}
	quotedSQ  = []string{"Dardania", "Iliria", "Shqiponja", "Drita", "Rrënjët", "Besa", "Ura", "Atdheu", "Vatra", "Bashkimi", "Agimi", "Karadaku", "Morava", "Anamorava"}
)

// Home towns of the Bosniak associations: demonym (genitive plural) and the
// town in the genitive.
var bosniakTowns = []struct{ dem, gen string }{
	{"Cazinjana", "Cazina"}, {"Cazinjana", "Cazina"}, {"Cazinjana", "Cazina"}, {"Cazinjana", "Cazina"},
	{"Bišćana", "Bihaća"}, {"Bišćana", "Bihaća"}, {"Bišćana", "Bihaća"},
	{"Kladušana", "Velike Kladuše"}, {"Kladušana", "Velike Kladuše"},
}

// areas[lang] are the fields of activity; the indexes are shared.
var areas = [nLangs][]string{
	langBS: {"kultura", "obrazovanje", "dopunska nastava bosanskog jezika", "sport", "humanitarni rad", "integracija", "mladi", "žene", "vjerski život", "ekonomska saradnja", "investicije u domovini", "tradicija i folklor", "povezivanje s domovinom", "zaštita okoliša", "ruralni razvoj", "ljudska prava", "socijalna zaštita", "zdravstvo"},
	langHR: {"kultura", "obrazovanje", "hrvatska nastava u inozemstvu", "sport", "humanitarni rad", "integracija", "mladi", "žene", "vjerski život", "gospodarska suradnja", "ulaganja u domovinu", "tradicija i folklor", "povezivanje s domovinom", "zaštita okoliša", "ruralni razvoj", "ljudska prava", "socijalna skrb", "zdravstvo"},
	langSR: {"kultura", "obrazovanje", "dopunska nastava na srpskom jeziku", "sport", "humanitarni rad", "integracija", "mladi", "žene", "verski život", "privredna saradnja", "ulaganja u otadžbinu", "tradicija i folklor", "povezivanje sa otadžbinom", "zaštita životne sredine", "ruralni razvoj", "ljudska prava", "socijalna zaštita", "zdravstvo"},
	langSQ: {"kultura", "arsimi", "mësimi plotësues i gjuhës shqipe", "sporti", "ndihma humanitare", "integrimi", "të rinjtë", "gratë", "jeta fetare", "bashkëpunimi ekonomik", "investimet në vendlindje", "tradita dhe folklori", "lidhja me vendlindjen", "mbrojtja e mjedisit", "zhvillimi rural", "të drejtat e njeriut", "mbrojtja sociale", "shëndetësia"},
}

var primaryArea = map[string]int{
	"diaspora_association": 12, "cultural": 0, "sports": 3, "religious": 8, "professional": 9,
	"humanitarian": 4, "youth": 6, "women": 7, "other": 2, "umbrella": 12,
}

var secondaryAreas = []int{0, 1, 2, 4, 5, 6, 7, 9, 10, 11}
var csoAreas = []int{13, 14, 15, 16, 17, 6, 7, 1}

var memberRange = map[string][2]int{
	"diaspora_association": {20, 800}, "cultural": {15, 300}, "sports": {20, 250}, "religious": {80, 3000},
	"professional": {15, 400}, "humanitarian": {10, 200}, "youth": {10, 150}, "women": {10, 150},
	"other": {10, 100}, "umbrella": {300, 20000}, "cso": {5, 150},
}

// cyrAreas are the Serbian areas in Cyrillic.
var cyrAreas []string

func initCyrAreas() {
	for _, a := range areas[langSR] {
		cyrAreas = append(cyrAreas, toCyrillic(a))
	}
}

// place is where an association sits, with the phrases its name uses.
type place struct {
	c        *country
	ci       int
	ct       *city
	inCity   string // "u Beču", "në Vjenë"
	inCntry  string // "u Austriji", "në Austri"
	cityName string // the local name: "Wien"
}

func (g *gen) orgPlace(fam orgFamily, lang int) place {
	var p place
	if fam == famUSKCSO {
		p.ci = ciBA
		p.c = &countries[ciBA]
		p.ct = &p.c.cities[p.c.cityIndex(g.pickS(uskCities))]
		p.cityName = p.ct.name
		return p
	}
	p.ci = g.pickCum(residence[fam])
	p.c = &countries[p.ci]
	if len(p.c.hubs) > 0 && g.r.IntN(10) < 8 {
		sum := 0
		for _, h := range p.c.hubs {
			sum += p.c.cities[h].w
		}
		x := g.r.IntN(sum)
		for _, h := range p.c.hubs {
			if x < p.c.cities[h].w {
				p.ct = &p.c.cities[h]
				break
			}
			x -= p.c.cities[h].w
		}
	} else {
		p.ct = &p.c.cities[g.pickCum(p.c.cumCity)]
	}
	p.cityName = p.ct.name
	p.inCntry = p.c.loc[lang]
	switch {
	case p.ct.loc == "":
		p.inCity = p.inCntry
	case lang == langSQ:
		p.inCity = p.ct.sqLoc
	case lang == langHR:
		p.inCity = p.ct.hrLoc
	default:
		p.inCity = p.ct.loc
	}
	return p
}

func quote(s string) string { return "„" + s + "“" }

// orgName is the name of an association of the family, kind and place.
func (g *gen) orgName(fam orgFamily, kind string, p place) string {
	pick := g.pickS
	city, inCity, inC := p.cityName, p.inCity, p.inCntry
	switch fam {
	case famUSKCSO:
		q := quote(pick(quotedCSO))
		switch kind {
		case "umbrella":
			return pick([]string{"Mreža organizacija civilnog društva " + city, "Savez udruženja građana " + city})
		case "youth":
			return pick([]string{"Omladinska organizacija " + q + " " + city, "Centar za mlade " + q + " " + city})
		case "women":
			return "Udruženje žena " + q + " " + city
		case "humanitarian":
			return pick([]string{"Udruženje za pomoć osobama s invaliditetom " + q + " " + city, "Humanitarno udruženje " + q + " " + city})
		case "cultural":
			return "KUD " + q + " " + city
		case "sports":
			return pick([]string{"Planinarsko društvo " + q + " " + city, "Sportsko udruženje " + q + " " + city})
		case "professional":
			return pick([]string{"Udruženje poljoprivrednih proizvođača " + q + " " + city, "Udruženje poduzetnika " + city})
		case "other":
			return "Udruženje građana " + q + " " + city
		}
		return pick([]string{"Udruženje građana " + q + " " + city, "Centar za razvoj lokalne zajednice " + city,
			"Ekološko udruženje " + q + " " + city, "Udruženje za razvoj ruralnih područja " + q + " " + city})
	case orgFamily(bosniakUSK), orgFamily(bosniakTravnik):
		t := bosniakTowns[g.r.IntN(len(bosniakTowns))]
		if fam == orgFamily(bosniakTravnik) {
			t.dem, t.gen = "Travničana", "Travnika"
		}
		q := quote(pick(quotedBS))
		switch kind {
		case "umbrella":
			return pick([]string{"Savez bosanskohercegovačkih udruženja " + inC, "Krovna organizacija " + t.dem + " " + inC, "Savez udruženja Krajišnika " + inC, "Koordinacija bh. udruženja " + inCity})
		case "cultural":
			return pick([]string{"Bosanskohercegovački kulturni centar " + q + " " + city, "KUD " + q + " " + city, "Bošnjačka kulturna zajednica " + q + " " + inCity})
		case "sports":
			return pick([]string{"NK Bosna ", "NK Krajina ", "KK Una ", "FK Zmaj "}) + city
		case "religious":
			return pick([]string{"Džemat " + city, "Džemat " + q + " " + city, "Islamski kulturni centar Bošnjaka " + inCity})
		case "professional":
			return pick([]string{"Udruženje bh. ljekara ", "Udruženje bh. inženjera ", "Mreža bh. poduzetnika ", "Udruženje bh. akademika "}) + inC
		case "humanitarian":
			return pick([]string{"Humanitarno udruženje " + q + " " + city, "Fondacija " + q + " " + city})
		case "youth":
			return pick([]string{"Omladinski klub " + q + " " + city, "Udruženje mladih iz Krajine " + inCity})
		case "women":
			return pick([]string{"Udruženje žena " + q + " " + city, "Udruženje Bosanki i Hercegovki " + inCity})
		case "other":
			return pick([]string{"Udruženje prijatelja " + t.gen + " " + inCity, "Dopunska škola bosanskog jezika " + city})
		}
		return pick([]string{"Udruženje " + t.dem + " " + inCity, "Zavičajno udruženje " + t.dem + " " + q + " " + city,
			"Udruženje građana porijeklom iz " + t.gen + " " + inC, "Klub " + t.dem + " " + city})
	case orgFamily(bosniakSandzak):
		q := quote(pick(quotedBS))
		switch kind {
		case "umbrella":
			return pick([]string{"Savez sandžačkih udruženja " + inC, "Bošnjački savez Sandžaka " + inC})
		case "cultural":
			return pick([]string{"Bošnjački kulturni centar „Sandžak“ " + city, "KUD " + q + " " + city})
		case "sports":
			return "FK Sandžak " + city
		case "religious":
			return pick([]string{"Džemat Sandžak " + city, "Islamski centar " + q + " " + city})
		case "professional":
			return "Udruženje sandžačkih privrednika " + inC
		case "humanitarian":
			return "Humanitarna organizacija " + q + " " + city
		case "youth":
			return "Omladina Sandžaka " + inCity
		case "women":
			return "Udruženje žena Sandžaka " + inCity
		case "other":
			return "Dopunska škola bosanskog jezika „Sandžak“ " + city
		}
		return pick([]string{"Udruženje Sandžaklija " + inCity, "Udruženje Tutinaca " + inCity, "Udruženje Pazaraca " + inCity, "Zavičajni klub „Sandžak“ " + city})
	case orgFamily(albanian):
		q := quote(pick(quotedSQ))
		switch kind {
		case "umbrella":
			return pick([]string{"Lidhja e Shoqatave Shqiptare " + inC, "Trupi Ombrellë i Shoqatave të Gjilanasve " + inC, "Bashkësia Shqiptare " + inC})
		case "cultural":
			return pick([]string{"Shoqëria Kulturore Artistike " + q + " " + city, "Qendra Kulturore Shqiptare " + q + " " + city})
		case "sports":
			return "KF " + pick(quotedSQ) + " " + city
		case "religious":
			return pick([]string{"Bashkësia Islame Shqiptare " + city, "Qendra Kulturore Islame Shqiptare " + city})
		case "professional":
			return pick([]string{"Shoqata e Mjekëve Shqiptarë ", "Rrjeti i Profesionistëve Shqiptarë ", "Shoqata e Bizneseve Shqiptare "}) + inC
		case "humanitarian":
			return "Shoqata Humanitare " + q + " " + city
		case "youth":
			return "Klubi Rinor " + q + " " + city
		case "women":
			return "Shoqata e Grave " + q + " " + city
		case "other":
			return "Mësimi Plotësues Shqip " + q + " " + city
		}
		return pick([]string{"Shoqata Gjilani " + inC, "Shoqata e Gjilanasve " + inCity, "Shoqata Atdhetare " + q + " " + city, "Klubi i Gjilanasve " + city})
	case orgFamily(serbian):
		q := quote(pick(quotedSR))
		switch kind {
		case "umbrella":
			return pick([]string{"Savez Srba ", "Savez srpskih udruženja ", "Krovna organizacija Srba "}) + inC
		case "cultural":
			return pick([]string{"Srpsko kulturno-umetničko društvo " + q + " " + inCity, "Kulturno-umetničko društvo " + q + " " + city})
		case "sports":
			return "FK " + pick([]string{"Srbija", "Obilić", "Sloga", "Dunav", "Morava"}) + " " + city
		case "religious":
			return pick([]string{"Srpska pravoslavna crkvena opština ", "Crkvena opština Svetog Save "}) + inCity
		case "professional":
			return pick([]string{"Udruženje srpskih lekara ", "Mreža srpskih privrednika ", "Udruženje srpskih inženjera "}) + inC
		case "humanitarian":
			return "Humanitarna organizacija " + q + " " + inCity
		case "youth":
			return "Omladina srpske dijaspore " + inCity
		case "women":
			return "Kolo srpskih sestara " + inCity
		case "other":
			return "Srpska dopunska škola " + inCity
		}
		return pick([]string{"Udruženje Srba " + inCity, "Zavičajno udruženje " + q + " " + inCity, "Srpski klub " + q + " " + inCity})
	}
	// croatian
	q := quote(pick(quotedHR))
	switch kind {
	case "umbrella":
		return pick([]string{"Zajednica hrvatskih udruga ", "Savez Hrvata iz BiH "}) + inC
	case "cultural":
		return pick([]string{"Hrvatsko kulturno društvo " + q + " " + city, "HKUD " + q + " " + city})
	case "sports":
		return pick([]string{"NK Croatia ", "HNK Lašva "}) + city
	case "religious":
		return "Hrvatska katolička misija " + city
	case "professional":
		return pick([]string{"Udruga hrvatskih liječnika ", "Udruga hrvatskih poduzetnika "}) + inC
	case "humanitarian":
		return "Humanitarna udruga " + q + " " + city
	case "youth":
		return "Udruga mladih Lašvanske doline " + inCity
	case "women":
		return "Udruga žena " + q + " " + city
	case "other":
		return "Hrvatska dopunska škola " + city
	}
	return pick([]string{"Udruga Travničana " + inCity, "Zavičajna udruga " + q + " " + city, "Udruga Hrvata iz Srednje Bosne " + inCity})
}

func (g *gen) organisation(isUmbrella bool) *data.Organisation {
	r := g.r
	fam := orgFamily(g.pickCum(orgFamilyCum))
	cm := community(fam)
	lang := langBS
	if fam != famUSKCSO {
		lang = communityLang[cm]
	} else {
		cm = bosniakUSK
	}
	kind := "umbrella"
	if !isUmbrella {
		if fam == famUSKCSO {
			kind = g.pickWS(kindsCSO)
		} else {
			kind = g.pickWS(kindsAbroad)
		}
	}
	p := g.orgPlace(fam, lang)
	o := &data.Organisation{OrgKind: kind, Country: p.c.code, City: p.cityName}

	// Umbrella: link to an earlier umbrella body of the same milieu in the
	// same country (umbrella bodies themselves sometimes belong to a wider
	// one abroad).
	after := int64(0)
	linkPct := 55
	if isUmbrella {
		linkPct = 20
	}
	if len(g.umbs) > 0 && r.IntN(100) < linkPct {
		if u := g.pickUmbrella(fam, p.ci, isUmbrella); u != nil {
			o.UmbrellaID = u.id
			after = u.created
		}
	}
	created := g.regTimeAfter(after)
	t := unixTime(created)
	ry := t.Year()

	// Name, unique (drawn again, then numbered); Serbian associations write
	// half their names in Cyrillic, when the name has no foreign city in it.
	// The canton's resource centre of CSOs is the first umbrella at home.
	var base string
	for try := 0; try < 6; try++ {
		base = g.orgName(fam, kind, p)
		if fam == famUSKCSO && kind == "umbrella" && !g.resourceCentre {
			g.resourceCentre = true
			base = "Resursni centar organizacija civilnog društva Unsko-sanskog kantona"
			p.ct = &p.c.cities[p.c.cityIndex("Bihać")]
			p.cityName = p.ct.name
			o.City = p.cityName
		}
		if !g.seenOrg(base) {
			break
		}
	}
	cyr := fam == orgFamily(serbian) && r.IntN(2) == 0 && !hasNonSerbianLetters(base) && !strings.Contains(base, p.cityName)
	if cyr {
		base = toCyrillic(base)
	}
	suffix := ""
	if p.c.code == "DE" && r.IntN(2) == 0 {
		suffix = " e.V." // registered association; the same one without it
	}
	name := base
	for k := 2; g.dup(orgKey(name)); k++ {
		name = base + " (" + itoa(k) + ")"
	}
	name += suffix
	o.Name = name

	o.LegalForm = p.c.orgForm
	if r.IntN(100) < 70 {
		o.RegistrationNo = g.fill(g.pickS(p.c.orgReg))
	}
	switch {
	case kind == "umbrella":
		o.FoundedYear = g.between(1975, 2012)
	case fam == famUSKCSO:
		o.FoundedYear = g.between(1996, ry-1)
	default:
		switch x := r.IntN(100); {
		case x < 60:
			o.FoundedYear = g.between(1993, 2015)
		case x < 85:
			o.FoundedYear = g.between(1970, 1992)
		default:
			o.FoundedYear = g.between(2016, ry)
		}
	}
	o.FoundedYear = min(o.FoundedYear, ry)
	if r.IntN(100) < 85 {
		o.Address = g.address(p.c, p.ct)
	}

	// Areas: the kind's own first, then one to three more.
	var idx []int
	if kind == "cso" || fam == famUSKCSO && kind == "umbrella" {
		idx = append(idx, csoAreas[r.IntN(len(csoAreas))])
	} else {
		idx = append(idx, primaryArea[kind])
	}
	for n := r.IntN(4); n > 0; n-- {
		a := secondaryAreas[r.IntN(len(secondaryAreas))]
		if fam == famUSKCSO {
			a = csoAreas[r.IntN(len(csoAreas))]
		}
		dup := false
		for _, x := range idx {
			dup = dup || x == a
		}
		if !dup {
			idx = append(idx, a)
		}
	}
	for _, a := range idx {
		if cyr {
			o.Areas = append(o.Areas, cyrAreas[a])
		} else {
			o.Areas = append(o.Areas, areas[lang][a])
		}
	}
	mr := memberRange[kind]
	o.MemberCount = mr[0] + (r.IntN(mr[1]-mr[0]+1)+r.IntN(mr[1]-mr[0]+1))/3

	// Members registered here: persons of the milieu, from the same country
	// when there are enough.
	women := kind == "women"
	if len(g.persons) > 0 {
		n := r.IntN(21)
		if isUmbrella {
			n = r.IntN(6) // its members are associations; a few persons join directly
		}
		pool := g.byCC[cm][p.ci]
		if len(pool) < 2*n || r.IntN(10) < 3 {
			pool = g.byComm[cm]
		}
		if len(pool) == 0 {
			pool = nil
			n = min(n, len(g.persons))
		}
		seen := make(map[int32]bool, n)
		for tries := 0; len(o.MemberIDs) < n && tries < 3*n; tries++ {
			var pi int32
			if pool != nil {
				pi = pool[r.IntN(len(pool))]
			} else {
				pi = int32(r.IntN(len(g.persons)))
			}
			if seen[pi] || women && !g.persons[pi].female {
				continue
			}
			seen[pi] = true
			o.MemberIDs = append(o.MemberIDs, g.persons[pi].id.String())
			if len(o.MemberIDs) == 1 && r.IntN(10) < 7 {
				o.ContactPerson = g.persons[pi].displayName()
				if cyr != g.persons[pi].cyr && fam == orgFamily(serbian) {
					o.ContactPerson = "" // chosen below, in the name's script
				}
			}
		}
	}
	if o.ContactPerson == "" && r.IntN(100) < 90 {
		ns := &names[cm]
		given := ns.male
		if women || r.IntN(2) == 0 {
			given = ns.female
		}
		o.ContactPerson = given[r.IntN(len(given))].show(cyr) + " " + ns.family[r.IntN(len(ns.family))].show(cyr)
	}

	// Contacts.
	dom := ""
	if r.IntN(100) < 55 {
		if r.IntN(10) < 3 {
			o.Website = "https://www.facebook.com/" + domainSlug(base, 0, 40)
		} else {
			s := domainSlug(base, '-', 32)
			tld := p.c.tld
			if r.IntN(10) < 3 {
				tld = "org"
			}
			dom = s + "." + tld
			o.Website = "https://www." + dom
		}
	}
	if r.IntN(100) < 85 {
		if dom != "" {
			o.Email = g.email("info", dom)
		} else {
			o.Email = g.email(domainSlug(base, '.', 30), g.pickWS(p.c.mail))
		}
	}
	if r.IntN(100) < 75 {
		o.Phone = g.mobile(p.c, p.ct)
	}
	if r.IntN(100) < 10 {
		o.Notes = g.pickS(orgNotes[lang])
		if cyr {
			o.Notes = toCyrillic(o.Notes)
		}
	}

	id := g.newID().String()
	o.Meta = g.meta(data.KindOrganisation, t, id)
	if isUmbrella {
		g.umbs = append(g.umbs, orgRef{id: id, fam: fam, country: p.ci, created: created})
	}
	return o
}

// orgKey hashes an organisation's name as duplicate detection folds it.
func orgKey(name string) uint64 { return fnv64([]byte("o:" + fold.Key(name))) }

// seenOrg reports whether an organisation's name, in either script, is taken.
func (g *gen) seenOrg(name string) bool {
	_, ok := g.seen[orgKey(name)]
	return ok
}

// pickUmbrella picks an earlier umbrella body of the milieu: for an
// association one in its own country, for an umbrella body a wider one in
// another country. It returns nil when there is none.
func (g *gen) pickUmbrella(fam orgFamily, country int, isUmbrella bool) *orgRef {
	var same, other []int
	for k := range g.umbs {
		if u := &g.umbs[k]; u.fam == fam {
			if u.country == country {
				same = append(same, k)
			} else {
				other = append(other, k)
			}
		}
	}
	pool := other
	if !isUmbrella {
		pool = same
	}
	if len(pool) == 0 {
		return nil
	}
	return &g.umbs[pool[g.r.IntN(len(pool))]]
}

var orgNotes = [nLangs][]string{
	langBS: {"Organizuju Dane dijaspore svakog ljeta.", "Sarađuju s Uredom za dijasporu od osnivanja.", "Vode dopunsku nastavu za djecu."},
	langHR: {"Organiziraju Dane iseljeništva svakog ljeta.", "Surađuju s općinom od osnutka.", "Vode dopunsku nastavu za djecu."},
	langSR: {"Organizuju Dane dijaspore svakog leta.", "Sarađuju sa Kancelarijom za dijasporu od osnivanja.", "Vode dopunsku nastavu za decu."},
	langSQ: {"Organizojnë Ditët e Diasporës çdo verë.", "Bashkëpunojnë me Zyrën për Diasporë që nga themelimi.", "Mbajnë mësimin plotësues për fëmijët."},
}
