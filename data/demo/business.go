package demo

import (
	"strings"

	"registar/data"
	"registar/data/fold"
)

// bizNotes[lang] are notes offices write on businesses.
var bizNotes = [nLangs][]string{
	langBS: {"Zainteresovani za ulaganje u poslovnu zonu.", "Traže radnike iz domovine.", "Učestvovali na Forumu dijaspore.", "Žele saradnju s lokalnim dobavljačima."},
	langHR: {"Zainteresirani za ulaganje u poduzetničku zonu.", "Traže radnike iz domovine.", "Sudjelovali na Forumu iseljeništva.", "Žele suradnju s lokalnim dobavljačima."},
	langSR: {"Zainteresovani za ulaganje u industrijsku zonu.", "Traže radnike iz otadžbine.", "Učestvovali na Forumu dijaspore.", "Žele saradnju sa lokalnim dobavljačima."},
	langSQ: {"Të interesuar për investim në zonën ekonomike.", "Kërkojnë punëtorë nga vendlindja.", "Morën pjesë në Forumin e Diasporës.", "Duan bashkëpunim me furnitorë vendorë."},
}

var mailboxes = []string{"info", "office", "kontakt", "mail"}

// legalForms are the business forms for a city: multilingual countries
// use the form of the city's language.
func legalForms(c *country, ct *city) []ws {
	switch c.code + "/" + ct.lang {
	case "CH/fr":
		return []ws{{"Sàrl", 6}, {"SA", 3}}
	case "CH/it":
		return []ws{{"Sagl", 6}, {"SA", 3}}
	case "BE/nl":
		return []ws{{"BV", 7}, {"NV", 2}}
	case "BE/":
		return []ws{{"SRL", 7}, {"SA", 2}}
	}
	return c.bizForms
}

func (g *gen) business() *data.Business {
	r := g.r
	b := &data.Business{}
	var owners []*personRef
	cm := community(g.pickCum(g.communityCum))
	after := int64(0)
	if len(g.persons) > 0 {
		o := &g.persons[r.IntN(len(g.persons))]
		owners = append(owners, o)
		cm = o.cm
		if r.IntN(10) < 3 {
			pool := g.byCC[o.cm][o.country]
			if len(pool) < 2 {
				pool = g.byComm[o.cm]
			}
			for try := 0; try < 3 && len(pool) > 1; try++ {
				if c := &g.persons[pool[r.IntN(len(pool))]]; c != o {
					owners = append(owners, c)
					break
				}
			}
		}
		for _, o := range owners {
			after = max(after, o.created)
		}
	}
	created := g.regTimeAfter(after)
	t := unixTime(created)
	reg := data.DateOf(t)

	// Where: mostly where the owner lives, a fifth at home.
	var c *country
	var ct *city
	home := false
	switch {
	case len(owners) > 0 && r.IntN(5) == 0:
		home = true
		c = &countries[*homeCountry[cm]]
		ci := c.cityIndex(munis[owners[0].muni].name)
		if ci < 0 {
			ci = g.pickCum(c.cumCity)
		}
		ct = &c.cities[ci]
	case len(owners) > 0:
		c = &countries[owners[0].country]
		ct = &c.cities[owners[0].city]
	default:
		c = &countries[g.pickCum(residence[cm])]
		ct = &c.cities[g.pickCum(c.cumCity)]
	}
	b.Country, b.City = c.code, ct.name
	lang := residenceLang(c, ct)
	cyr := home && c.code == "RS" && len(owners) > 0 && owners[0].cyr

	sec := g.pickWSi(sectors)
	b.Sector = sectors[sec].s
	var surnames []string
	if len(owners) == 0 {
		surnames = []string{names[cm].family[r.IntN(len(names[cm].family))].lat}
	}
	for _, o := range owners {
		s := o.familyName().lat
		if len(surnames) == 0 || surnames[0] != s {
			surnames = append(surnames, s)
		}
	}
	core, form := g.bizName(cm, lang, sec, surnames, c, ct)
	name := core
	if form != "" {
		name += " " + form
	}
	if cyr {
		core, name = toCyrillic(core), toCyrillic(name)
	}
	// Unique as duplicate detection sees names: folded, whatever the script.
	for k := 2; ; k++ {
		if !g.dup(fnv64([]byte("b:" + fold.Key(name)))) {
			break
		}
		name = core + " " + ct.name
		if k > 2 {
			name += " " + itoa(k)
		}
		if form != "" {
			name += " " + form
		}
	}
	b.Name = name

	for _, o := range owners {
		share := "owner"
		if len(owners) > 1 {
			share = "co-owner"
		}
		b.Owners = append(b.Owners, data.Owner{PersonID: o.id.String(), Share: share})
	}

	// Size: most are small.
	switch x := r.IntN(100); {
	case x < 60:
		b.Employees = 1 + r.IntN(5)
	case x < 88:
		b.Employees = 6 + r.IntN(15)
	case x < 98:
		b.Employees = 21 + r.IntN(80)
	default:
		b.Employees = 101 + r.IntN(300)
	}
	if r.IntN(100) < 85 {
		b.RegistrationNo = g.fill(g.pickS(c.bizReg))
	}
	if r.IntN(100) < 90 {
		b.Address = g.address(c, ct)
	}
	dom := ""
	if r.IntN(100) < 45 {
		dom = domainSlug(core, '-', 32) + "." + c.tld
		b.Website = "https://www." + dom
	}
	if r.IntN(100) < 85 {
		if dom != "" {
			b.Email = g.email(g.pickS(mailboxes), dom)
		} else {
			b.Email = g.email(domainSlug(core, '.', 30), g.pickWS(c.mail))
		}
	}
	if r.IntN(100) < 90 {
		b.Phone = g.mobile(c, ct)
	}
	b.InvestAtHome = r.IntN(100) < 30
	b.ConsentContact, b.ConsentPublish = g.consents(reg, 80, 66, 10)
	if r.IntN(10) == 0 {
		l := langBS
		if len(owners) > 0 {
			l = communityLang[owners[0].cm]
		}
		b.Notes = g.pickS(bizNotes[l])
	}
	b.Meta = g.meta(data.KindBusiness, t, g.newID().String())
	return b
}

// bizName is the name of a business without and with its legal form.
func (g *gen) bizName(cm community, lang string, sec int, surnames []string, c *country, ct *city) (core, form string) {
	r := g.r
	words := sectorWords[lang]
	if words == nil {
		words = sectorWords["en"]
	}
	forms := legalForms(c, ct)
	form = g.pickWS(forms)
	sur := surnames[0]
	switch {
	case sec == secGastro && r.IntN(10) < 6:
		vw := venueWords[lang]
		if vw == nil {
			vw = venueWords["en"]
		}
		core = g.pickS(vw) + " " + g.pickS(venueNames[cm])
		if r.IntN(10) < 6 {
			form = "" // a restaurant is known by its sign
		}
	case len(surnames) > 1 && r.IntN(2) == 0:
		core = surnames[0] + " & " + surnames[1] + " " + words[sec]
	case isBCS(lang) && r.IntN(2) == 0:
		core = words[sec] + " " + sur
	default:
		core = sur + " " + words[sec]
	}
	return core, form
}

func isBCS(lang string) bool {
	return lang == "bs" || lang == "hr" || lang == "sr" || lang == "sl" || lang == "sq"
}

// hasNonSerbianLetters reports letters the Serbian alphabets lack (q, w, x,
// y), which a Cyrillic spelling cannot carry.
func hasNonSerbianLetters(s string) bool {
	return strings.ContainsAny(s, "qwxyQWXYäöüÄÖÜßéèàçëÇË")
}
