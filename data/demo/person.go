package demo

import (
	"strconv"
	"time"

	"registar/data"
)

// Emigration waves: guest workers, the eighties, the wars of the nineties,
// the 2000s, and the labour migration since 2013.
var waves = [5][2]int{{1965, 1979}, {1980, 1991}, {1992, 1999}, {2000, 2012}, {2013, 2024}}

var waveWeight = [nCommunities][]int{
	bosniakUSK:     cum(15, 10, 35, 12, 28),
	bosniakSandzak: cum(15, 15, 40, 15, 15),
	bosniakTravnik: cum(12, 8, 45, 12, 23),
	albanian:       cum(10, 20, 40, 12, 18),
	serbian:        cum(30, 15, 20, 15, 20),
	croatian:       cum(20, 10, 45, 10, 15),
}

// generationWeight: first generation (emigrated as adults), second and
// third (born abroad).
var generationWeight = [nCommunities][]int{
	bosniakUSK:     cum(62, 30, 8),
	bosniakSandzak: cum(60, 32, 8),
	bosniakTravnik: cum(60, 32, 8),
	albanian:       cum(58, 34, 8),
	serbian:        cum(50, 35, 15),
	croatian:       cum(52, 35, 13),
}

// consentHow weighs data.ConsentWays (written, verbal, online, form).
var consentHow = []int{30, 10, 20, 40}

func cum(w ...int) []int {
	out := make([]int, len(w))
	s := 0
	for i, x := range w {
		s += x
		out[i] = s
	}
	return out
}

func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// The persons acceptance tests search for, at fixed places in the first hundred.
const (
	specialDjordjeLatin    = 7
	specialDjordjeCyrillic = 19
	specialCelik           = 31
)

func (g *gen) person(i int) *data.Person {
	r := g.r
	cm := community(g.pickCum(g.communityCum))
	female := r.IntN(2) == 0
	cyr := false
	switch i {
	case specialDjordjeLatin, specialDjordjeCyrillic:
		cm, female, cyr = serbian, false, i == specialDjordjeCyrillic
	case specialCelik:
		cm = albanian
	default:
		cyr = cm == serbian && r.IntN(3) == 0
	}
	ns := &names[cm]
	givenList := ns.male
	if female {
		givenList = ns.female
	}
	gi, fi := r.IntN(len(givenList)), r.IntN(len(ns.family))
	switch i {
	case specialDjordjeLatin, specialDjordjeCyrillic:
		gi, fi = idxDjordje, idxPetrovic
	case specialCelik:
		fi = idxCelik
	}
	given, family := givenList[gi], ns.family[fi]
	lang := communityLang[cm]

	created := g.regTime()
	t := unixTime(created)
	reg := data.DateOf(t)
	ry := reg.Year

	// Generation, birth date and emigration year, consistent with each other
	// and making the person 18–85 on the day of registration.
	generation := 1 + g.pickCum(generationWeight[cm])
	by, emig := 0, 0
	if generation == 3 {
		lo, hi := max(1985, ry-84), ry-18
		if lo > hi {
			generation = 2
		} else {
			by = lo + (r.IntN(hi-lo+1)+r.IntN(hi-lo+1))/2
		}
	}
	if generation == 2 {
		lo, hi := max(1966, ry-84), ry-18
		if lo > hi {
			generation = 1
		} else {
			by = lo + (r.IntN(hi-lo+1)+r.IntN(hi-lo+1))/2
		}
	}
	if generation == 1 {
		w := waves[g.pickCum(waveWeight[cm])]
		lo, hi := max(1965, ry-66), min(2024, ry)
		emig = min(max(g.between(w[0], w[1]), lo), hi)
		if lo > hi {
			emig = 0
		}
		span := 45 - 18
		if emig > 0 {
			span = min(45, 84-(ry-emig)) - 18
		}
		ageThen := 18 + (r.IntN(span+1)+r.IntN(span+1))/2
		if emig > 0 {
			by = emig - ageThen
		} else {
			by = ry - ageThen - r.IntN(20)
		}
	}
	bm := time.Month(1 + r.IntN(12))
	birth := data.Date{Year: by, Month: bm, Day: 1 + r.IntN(daysIn(bm, by))}
	if age := birth.AgeOn(reg); age < 18 {
		birth.Year -= 18 - age
	} else if age > 85 {
		birth.Year += age - 85
	}
	if birth.Month == time.February && birth.Day == 29 && daysIn(time.February, birth.Year) == 28 {
		birth.Day = 28
	}
	// Duplicate detection takes the same folded name and date of birth for
	// the same person: another day of the month keeps namesakes apart.
	for try := 0; try < 62; try++ {
		if a := birth.AgeOn(reg); a >= 18 && a <= 85 && !g.dup(g.personKey(given.key, family.key, birth)) {
			break
		}
		birth.Day = birth.Day%daysIn(birth.Month, birth.Year) + 1
	}
	age := birth.AgeOn(reg)
	switch generation {
	case 2: // born abroad; some write the year the parents left
		emig = birth.Year
		if r.IntN(10) < 3 {
			emig = max(1965, birth.Year-g.between(1, 12))
		}
	case 3:
		emig = birth.Year
		if r.IntN(10) < 4 {
			emig = min(birth.Year, g.between(1965, 1985))
		}
	}
	if emig > 2024 {
		emig = 2024
	}

	// Home: a locality of the community's municipalities, or (for Serbs from
	// elsewhere in Serbia) only the municipality.
	var muni int
	locID := ""
	if hp := &homes[cm]; hp.noLocShare > 0 && r.IntN(100) < hp.noLocShare {
		muni = muniIndex[serbianMunis[g.pickCum(hp.cumMuni)].s]
	} else {
		li := hp.loc[g.pickCum(hp.cumLoc)]
		muni, locID = localities[li].muni, g.locIDs[li]
	}

	ci := g.pickCum(residence[cm])
	c := &countries[ci]
	cti := g.pickCum(c.cumCity)
	ct := &c.cities[cti]

	p := &data.Person{
		GivenName:        given.show(cyr),
		FamilyName:       family.show(cyr),
		BirthDate:        birth,
		HomeMunicipality: munis[muni].name,
		LocalityID:       locID,
		Country:          c.code,
		City:             ct.name,
		EmigrationYear:   emig,
		Generation:       generation,
	}
	if female {
		p.Gender = "f"
	} else {
		p.Gender = "m"
	}
	if r.IntN(100) < 85 {
		p.ParentName = ns.male[r.IntN(len(ns.male))].show(cyr)
	}
	if r.IntN(100) < 80 {
		p.Address = g.address(c, ct)
	}

	// Contacts: the young more often give an e-mail.
	pEmail := 82
	if age >= 60 {
		pEmail = 45
	} else if age >= 40 {
		pEmail = 70
	}
	if r.IntN(100) < pEmail {
		p.Email = g.email(g.emailLocal(given.ascii, family.ascii, birth.Year), g.pickWS(c.mail))
	}
	if r.IntN(100) < 85 {
		p.Phone = g.mobile(c, ct)
	}

	// Work and school.
	gx := 1
	if female {
		gx = 0
	}
	var pr prof
	switch {
	case age >= 65 && r.IntN(100) < 75:
		pr = retired[lang][gx]
	case age <= 25 && r.IntN(100) < 45:
		pr = student[lang][gx]
	default:
		pl := &professions[lang][gx]
		if generation > 1 && r.IntN(2) == 0 {
			pr = pl.items[pl.skilled[r.IntN(len(pl.skilled))]]
		} else {
			pr = pl.items[g.pickCum(pl.cum)]
		}
	}
	if r.IntN(100) < 95 {
		p.Profession = pr.name
		if cyr {
			p.Profession = pr.cyr
		}
	}
	if r.IntN(100) < 90 {
		p.Education = data.Educations[g.between(pr.lo, pr.hi)]
	}

	// Ties with home.
	switch generation {
	case 1:
		if r.IntN(20) > 0 {
			p.DaysHomePerYear = min(90, 7+r.IntN(60)+r.IntN(24))
		}
	case 2:
		p.DaysHomePerYear = r.IntN(31) + r.IntN(16)
	default:
		p.DaysHomePerYear = r.IntN(22)
	}
	p.Interests = g.interests(generation, age)
	if r.IntN(100) < 45 {
		n := 1 + r.IntN(2)
		for k := 0; k < n; k++ {
			tag := g.pickCum(needCum)
			if k == 1 && needTags[tag].s == p.NeedTags[0] {
				break
			}
			p.NeedTags = append(p.NeedTags, needTags[tag].s)
			if k == 0 && r.IntN(100) < 60 {
				p.Needs = needText[lang][tag]
				if cyr {
					p.Needs = needCyr[tag]
				}
			}
		}
	}

	// Languages: home, the country's, often English.
	home, res := langCode[lang], residenceLang(c, ct)
	p.Languages = append(make([]string, 0, 3), home)
	if res != home {
		p.Languages = append(p.Languages, res)
	}
	if res != "en" && age < 55 && r.IntN(100) < 35 {
		p.Languages = append(p.Languages, "en")
	}

	p.ConsentContact, p.ConsentPublish = g.consents(reg, 75, 52, 5)
	if r.IntN(100) < 8 {
		k := r.IntN(len(noteText[lang]))
		p.Notes = noteText[lang][k]
		if cyr {
			p.Notes = noteCyr[k]
		}
	}

	idu := g.newID()
	p.Meta = g.meta(data.KindPerson, t, idu.String())
	pi := int32(len(g.persons))
	g.persons = append(g.persons, personRef{id: idu, created: created, given: uint16(gi), family: uint16(fi),
		muni: uint16(muni), city: uint16(cti), country: uint8(ci), cm: cm, female: female, cyr: cyr})
	g.byComm[cm] = append(g.byComm[cm], pi)
	g.byCC[cm][ci] = append(g.byCC[cm][ci], pi)
	return p
}

// personKey hashes what data.MatchKeys compares persons by: the folded
// given and family names and the date of birth.
func (g *gen) personKey(given, family string, d data.Date) uint64 {
	b := append(g.buf[:0], "p:"...)
	b = append(b, given...)
	b = append(b, '|')
	b = append(b, family...)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(d.Year), 10)
	b = append(b, byte('a'+d.Month), byte('a'+d.Day))
	g.buf = b
	return fnv64(b)
}

// emailLocal is the part before @, spelled the ways people do.
func (g *gen) emailLocal(given, family string, birthYear int) string {
	yy := twoDigits[((birthYear%100)+100)%100]
	switch g.r.IntN(10) {
	case 0, 1, 2:
		return given + "." + family
	case 3:
		return given + family
	case 4:
		return given + "." + family + yy
	case 5:
		return given + "_" + family
	case 6:
		return given[:1] + "." + family
	case 7:
		return family + "." + given
	case 8:
		return given + yy
	}
	return given + "." + family + itoa(1+g.r.IntN(99))
}

// interests draws a subset of data.Interests (invest, return, business,
// volunteer, culture), keeping their order.
func (g *gen) interests(generation, age int) []string {
	var pct [5]int
	switch generation {
	case 1:
		pct = [5]int{30, 15, 20, 15, 35}
		if age >= 50 {
			pct[1] = 30
		}
	case 2:
		pct = [5]int{20, 8, 20, 25, 40}
	default:
		pct = [5]int{10, 5, 12, 25, 45}
	}
	var out []string
	for k, p := range pct {
		if g.r.IntN(100) < p {
			if out == nil {
				out = make([]string, 0, 3)
			}
			out = append(out, data.Interests[k])
		}
	}
	return out
}

// consents gives contact with probability pContact; publication with
// pPubIf when contact was given, else pPubElse. Both are dated the day of
// registration and mostly given the same way.
func (g *gen) consents(day data.Date, pContact, pPubIf, pPubElse int) (contact, publish data.Consent) {
	how := data.ConsentWays[g.pickCumSmall(consentHow)]
	given := g.r.IntN(100) < pContact
	if given {
		contact = data.Consent{Given: true, Date: day, How: how}
	}
	pp := pPubElse
	if given {
		pp = pPubIf
	}
	if g.r.IntN(100) < pp {
		if g.r.IntN(5) == 0 {
			how = data.ConsentWays[g.pickCumSmall(consentHow)]
		}
		publish = data.Consent{Given: true, Date: day, How: how}
	}
	return
}

// pickCumSmall picks an index from plain (not cumulative) weights.
func (g *gen) pickCumSmall(w []int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	x := g.r.IntN(sum)
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}
