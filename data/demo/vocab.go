package demo

import (
	"strconv"
	"strings"
)

// prof is a profession with the range of education (indexes into
// data.Educations) that goes with it.
type prof struct {
	name, cyr string
	lo, hi    int
}

// profList is a weighted list of professions.
type profList struct {
	items []prof
	cum   []int
	// skilled holds the indexes of professions that need a degree.
	skilled []int
}

// professions[lang][gender]; gender 0 is female, 1 male (as in genders).
var professions [nLangs][2]profList

// retired and student[lang][gender].
var retired, student [nLangs][2]prof

// Education indexes: primary 0, secondary 1, vocational 2, bachelor 3,
// master 4, doctorate 5 (the order of data.Educations).
var profText = [nLangs][2]string{
	langBS: {
		"medicinska sestra/1/3/6; njegovateljica/1/2/7; čistačica/0/1/5; kuharica/1/2/3; konobarica/1/1/2; frizerka/1/2/3; prodavačica/1/1/4; ekonomistica/3/4/2; računovođa/1/3/2; IT stručnjakinja/3/4/2; programerka/3/4/1; ljekarka/4/5/1; stomatologinja/4/4/1; profesorica/3/4/2; odgajateljica/3/3/2; farmaceutkinja/4/4/1; radnica u proizvodnji/0/1/4; poduzetnica/1/4/1; arhitektica/4/4/1; krojačica/1/2/1; domaćica/0/1/3",
		"zidar/0/2/6; tesar/1/2/3; keramičar/1/2/3; moler/1/2/2; električar/1/2/4; vodoinstalater/1/2/3; zavarivač/1/2/4; automehaničar/1/2/4; vozač kamiona/1/2/6; vozač autobusa/1/2/2; bravar/1/2/2; kuhar/1/2/3; konobar/1/1/2; skladištar/0/1/3; radnik u proizvodnji/0/1/5; inženjer građevine/3/4/2; inženjer mašinstva/3/4/2; IT stručnjak/3/4/3; programer/3/4/2; ljekar/4/5/1; stomatolog/4/4/1; ekonomista/3/4/2; poduzetnik/1/4/3; medicinski tehničar/1/3/2; profesor/3/4/1; mesar/1/2/1; pekar/1/2/1; arhitekt/4/4/1",
	},
	langHR: {
		"medicinska sestra/1/3/6; njegovateljica/1/2/7; čistačica/0/1/5; kuharica/1/2/3; konobarica/1/1/2; frizerka/1/2/3; prodavačica/1/1/4; ekonomistica/3/4/2; računovođa/1/3/2; informatičarka/3/4/2; programerka/3/4/1; liječnica/4/5/1; stomatologinja/4/4/1; profesorica/3/4/2; odgojiteljica/3/3/2; farmaceutkinja/4/4/1; radnica u proizvodnji/0/1/4; poduzetnica/1/4/1; arhitektica/4/4/1; krojačica/1/2/1; kućanica/0/1/3",
		"zidar/0/2/6; tesar/1/2/3; keramičar/1/2/3; soboslikar/1/2/2; električar/1/2/4; vodoinstalater/1/2/3; zavarivač/1/2/4; automehaničar/1/2/4; vozač kamiona/1/2/6; vozač autobusa/1/2/2; bravar/1/2/2; kuhar/1/2/3; konobar/1/1/2; skladištar/0/1/3; radnik u proizvodnji/0/1/5; inženjer građevinarstva/3/4/2; inženjer strojarstva/3/4/2; informatičar/3/4/3; programer/3/4/2; liječnik/4/5/1; stomatolog/4/4/1; ekonomist/3/4/2; poduzetnik/1/4/3; medicinski tehničar/1/3/2; profesor/3/4/1; stolar/1/2/2; arhitekt/4/4/1",
	},
	langSR: {
		"medicinska sestra/1/3/6; negovateljica/1/2/7; čistačica/0/1/5; kuvarica/1/2/3; konobarica/1/1/2; frizerka/1/2/3; prodavačica/1/1/4; ekonomistkinja/3/4/2; računovođa/1/3/2; IT stručnjakinja/3/4/2; programerka/3/4/1; lekarka/4/5/1; stomatolog/4/4/1; profesorka/3/4/2; vaspitačica/3/3/2; farmaceutkinja/4/4/1; radnica u proizvodnji/0/1/4; preduzetnica/1/4/1; arhitekta/4/4/1; krojačica/1/2/1; domaćica/0/1/3",
		"zidar/0/2/6; tesar/1/2/3; keramičar/1/2/3; moler/1/2/2; električar/1/2/4; vodoinstalater/1/2/3; zavarivač/1/2/4; automehaničar/1/2/4; vozač kamiona/1/2/6; vozač autobusa/1/2/2; bravar/1/2/2; kuvar/1/2/3; konobar/1/1/2; magacioner/0/1/3; radnik u proizvodnji/0/1/5; građevinski inženjer/3/4/2; mašinski inženjer/3/4/2; IT stručnjak/3/4/3; programer/3/4/2; lekar/4/5/1; stomatolog/4/4/1; ekonomista/3/4/2; preduzetnik/1/4/3; medicinski tehničar/1/3/2; profesor/3/4/1; stolar/1/2/2; arhitekta/4/4/1",
	},
	langSQ: {
		"infermiere/1/3/6; kujdestare/1/2/6; pastruese/0/1/5; kuzhiniere/1/2/3; kameriere/1/1/2; floktare/1/2/3; shitëse/1/1/4; ekonomiste/3/4/2; kontabiliste/1/3/2; informaticiene/3/4/2; programuese/3/4/1; mjeke/4/5/1; stomatologe/4/4/1; mësuese/3/4/2; edukatore/3/3/2; farmaciste/4/4/1; punëtore në prodhim/0/1/4; sipërmarrëse/1/4/1; arkitekte/4/4/1; rrobaqepëse/1/2/1; amvise/0/1/3",
		"murator/0/2/6; marangoz/1/2/2; pllakashtrues/1/2/3; elektricist/1/2/4; hidraulik/1/2/3; saldator/1/2/3; mekanik automjetesh/1/2/4; shofer kamioni/1/2/6; shofer autobusi/1/2/2; kuzhinier/1/2/3; kamerier/1/1/3; magazinier/0/1/3; punëtor në prodhim/0/1/5; inxhinier ndërtimi/3/4/2; inxhinier mekanik/3/4/2; informaticien/3/4/3; programues/3/4/2; mjek/4/5/1; stomatolog/4/4/1; ekonomist/3/4/2; sipërmarrës/1/4/3; infermier/1/3/2; mësues/3/4/1; arkitekt/4/4/1; furrtar/1/2/1",
	},
}

var retiredText = [nLangs][2]string{langBS: {"penzionerka", "penzioner"}, langHR: {"umirovljenica", "umirovljenik"}, langSR: {"penzionerka", "penzioner"}, langSQ: {"pensioniste", "pensionist"}}
var studentText = [nLangs][2]string{langBS: {"studentica", "student"}, langHR: {"studentica", "student"}, langSR: {"studentkinja", "student"}, langSQ: {"studente", "student"}}

func initProfessions() {
	for l := range profText {
		for g := range profText[l] {
			pl := &professions[l][g]
			sum := 0
			for _, item := range strings.Split(profText[l][g], ";") {
				f := strings.Split(strings.TrimSpace(item), "/")
				lo, _ := strconv.Atoi(f[1])
				hi, _ := strconv.Atoi(f[2])
				w, _ := strconv.Atoi(f[3])
				p := prof{name: f[0], lo: lo, hi: hi}
				if l == langSR {
					p.cyr = toCyrillic(p.name)
				}
				if lo >= 3 {
					pl.skilled = append(pl.skilled, len(pl.items))
				}
				sum += w
				pl.items = append(pl.items, p)
				pl.cum = append(pl.cum, sum)
			}
			retired[l][g] = prof{name: retiredText[l][g], lo: 0, hi: 2}
			student[l][g] = prof{name: studentText[l][g], lo: 1, hi: 3}
			if l == langSR {
				retired[l][g].cyr = toCyrillic(retired[l][g].name)
				student[l][g].cyr = toCyrillic(student[l][g].name)
			}
		}
	}
	for l := range needText {
		for i := range needText[l] {
			if l == langSR {
				needCyr[i] = toCyrillic(needText[l][i])
			}
		}
	}
	for i, n := range noteText[langSR] {
		noteCyr[i] = toCyrillic(n)
	}
	sum := 0
	for _, t := range needTags {
		sum += t.w
		needCum = append(needCum, sum)
	}
}

// needTags are the tags of what people ask the office for, with weights.
var needTags = []ws{
	{"documents", 20}, {"property", 18}, {"investment", 10}, {"pension", 10}, {"health_insurance", 8},
	{"citizenship", 6}, {"schooling", 8}, {"tax", 6}, {"customs", 5}, {"business_registration", 5},
	{"employment", 4}, {"summer_school", 5}, {"return", 4},
}

var needCum []int

// needText[lang][tag] is the sentence a person writes for the need.
var needText = [nLangs][13]string{
	langBS: {
		"Pomoć oko vađenja ličnih dokumenata i izvoda iz matičnih knjiga.",
		"Rješavanje imovinsko-pravnih odnosa i uknjižba zemljišta.",
		"Informacije o poticajima za ulaganje i poslovnim zonama.",
		"Ostvarivanje prava na penziju iz inostranstva.",
		"Zdravstveno osiguranje tokom boravka u domovini.",
		"Pitanja državljanstva za djecu rođenu u inostranstvu.",
		"Dopunska nastava na bosanskom jeziku za djecu.",
		"Porezne obaveze za prihode ostvarene u inostranstvu.",
		"Carinske olakšice pri povratku i uvozu opreme.",
		"Registracija firme u općini.",
		"Zaposlenje po povratku u domovinu.",
		"Ljetna škola jezika i kulture za mlade iz dijaspore.",
		"Informacije o povratku i stambenom zbrinjavanju.",
	},
	langHR: {
		"Pomoć oko vađenja osobnih dokumenata i izvoda iz matičnih knjiga.",
		"Rješavanje imovinsko-pravnih odnosa i upis u zemljišne knjige.",
		"Informacije o poticajima za ulaganja i poduzetničkim zonama.",
		"Ostvarivanje prava na mirovinu iz inozemstva.",
		"Zdravstveno osiguranje tijekom boravka u domovini.",
		"Pitanja državljanstva za djecu rođenu u inozemstvu.",
		"Dopunska nastava na hrvatskom jeziku za djecu.",
		"Porezne obveze za prihode ostvarene u inozemstvu.",
		"Carinske olakšice pri povratku i uvozu opreme.",
		"Registracija tvrtke u općini.",
		"Zaposlenje po povratku u domovinu.",
		"Ljetna škola jezika i kulture za mlade iz iseljeništva.",
		"Informacije o povratku i stambenom zbrinjavanju.",
	},
	langSR: {
		"Pomoć oko vađenja ličnih dokumenata i izvoda iz matičnih knjiga.",
		"Rešavanje imovinsko-pravnih odnosa i upis u katastar.",
		"Informacije o podsticajima za ulaganje i industrijskim zonama.",
		"Ostvarivanje prava na penziju iz inostranstva.",
		"Zdravstveno osiguranje tokom boravka u otadžbini.",
		"Pitanja državljanstva za decu rođenu u inostranstvu.",
		"Dopunska nastava na srpskom jeziku za decu.",
		"Poreske obaveze za prihode ostvarene u inostranstvu.",
		"Carinske olakšice pri povratku i uvozu opreme.",
		"Registracija firme u opštini.",
		"Zaposlenje po povratku u otadžbinu.",
		"Letnja škola jezika i kulture za mlade iz dijaspore.",
		"Informacije o povratku i stambenom zbrinjavanju.",
	},
	langSQ: {
		"Ndihmë për nxjerrjen e dokumenteve personale dhe ekstrakteve të gjendjes civile.",
		"Zgjidhja e çështjeve pronësore dhe regjistrimi i tokës në kadastër.",
		"Informata për lehtësirat për investime dhe zonat ekonomike.",
		"Realizimi i së drejtës për pension nga jashtë.",
		"Sigurimi shëndetësor gjatë qëndrimit në vendlindje.",
		"Çështje të shtetësisë për fëmijët e lindur jashtë vendit.",
		"Mësimi plotësues në gjuhën shqipe për fëmijët.",
		"Detyrimet tatimore për të ardhurat e realizuara jashtë.",
		"Lehtësime doganore gjatë kthimit dhe importit të pajisjeve.",
		"Regjistrimi i biznesit në komunë.",
		"Punësimi pas kthimit në vendlindje.",
		"Shkolla verore e gjuhës dhe kulturës për të rinjtë nga diaspora.",
		"Informata për kthimin dhe strehimin.",
	},
}

var needCyr [13]string

// noteText[lang] are the notes an office adds to some records.
var noteText = [nLangs][5]string{
	langBS: {"Upis na Danima dijaspore.", "Podaci potvrđeni telefonom.", "Upis putem obrasca na terenu.", "Želi primati obavještenja o javnim pozivima.", "Kontakt preko udruženja iz dijaspore."},
	langHR: {"Upis na Danima iseljeništva.", "Podaci potvrđeni telefonom.", "Upis putem obrasca na terenu.", "Želi primati obavijesti o natječajima.", "Kontakt preko udruge iz iseljeništva."},
	langSR: {"Upis na Danima dijaspore.", "Podaci potvrđeni telefonom.", "Upis putem obrasca na terenu.", "Želi da prima obaveštenja o konkursima.", "Kontakt preko udruženja iz dijaspore."},
	langSQ: {"Regjistruar gjatë Ditëve të Diasporës.", "Të dhënat u konfirmuan me telefon.", "Regjistrim me formular në terren.", "Dëshiron të marrë njoftime për thirrjet publike.", "Kontakt përmes shoqatës në diasporë."},
}

var noteCyr [5]string

// sectors of businesses, in Bosnian as the offices' forms list them, with
// weights. sectorWords gives the word a business name uses in each language.
var sectors = []ws{
	{"građevina", 24}, {"transport", 14}, {"ugostiteljstvo", 12}, {"trgovina", 10}, {"IT", 8},
	{"autoservis", 6}, {"čišćenje", 6}, {"zdravstvo i njega", 5}, {"proizvodnja", 4},
	{"poljoprivreda", 3}, {"turizam", 3}, {"računovodstvo", 3}, {"nekretnine", 2},
}

const secGastro = 2 // index of ugostiteljstvo

var sectorWords = map[string][]string{
	"de": {"Bau", "Transport", "Gastro", "Handel", "IT-Service", "Kfz-Service", "Gebäudereinigung", "Pflegedienst", "Metallbau", "Agrar", "Reisen", "Buchhaltung", "Immobilien"},
	"en": {"Construction", "Trucking", "Catering", "Trading", "IT Solutions", "Auto Repair", "Cleaning Services", "Home Care", "Manufacturing", "Farms", "Travel", "Accounting", "Realty"},
	"fr": {"Construction", "Transports", "Restauration", "Commerce", "Informatique", "Garage", "Nettoyage", "Soins à domicile", "Métallerie", "Agri", "Voyages", "Fiduciaire", "Immobilier"},
	"it": {"Costruzioni", "Trasporti", "Ristorazione", "Commercio", "Informatica", "Autofficina", "Pulizie", "Assistenza", "Carpenteria", "Agricola", "Viaggi", "Contabilità", "Immobiliare"},
	"sv": {"Bygg", "Transport", "Restaurang", "Handel", "IT-konsult", "Bilverkstad", "Städ", "Omsorg", "Smide", "Lantbruk", "Resor", "Redovisning", "Fastigheter"},
	"da": {"Byg", "Transport", "Restaurant", "Handel", "IT", "Autoværksted", "Rengøring", "Omsorg", "Smedje", "Landbrug", "Rejser", "Regnskab", "Ejendomme"},
	"no": {"Bygg", "Transport", "Restaurant", "Handel", "IT", "Bilverksted", "Renhold", "Omsorg", "Sveis", "Landbruk", "Reiser", "Regnskap", "Eiendom"},
	"nl": {"Bouw", "Transport", "Horeca", "Handel", "IT", "Autoservice", "Schoonmaak", "Thuiszorg", "Metaal", "Agro", "Reizen", "Administratie", "Vastgoed"},
	"sl": {"Gradnje", "Transport", "Gostinstvo", "Trgovina", "IT", "Avtoservis", "Čiščenje", "Nega", "Kovinarstvo", "Kmetijstvo", "Turizem", "Računovodstvo", "Nepremičnine"},
	"hr": {"Gradnja", "Transport", "Ugostiteljstvo", "Trgovina", "IT", "Autoservis", "Čišćenje", "Njega", "Metal", "Agro", "Turizam", "Računovodstvo", "Nekretnine"},
	"bs": {"Gradnja", "Transport", "Ugostiteljstvo", "Trgovina", "IT", "Autoservis", "Čišćenje", "Njega", "Metal", "Agro", "Turizam", "Računovodstvo", "Nekretnine"},
	"sr": {"Gradnja", "Transport", "Ugostiteljstvo", "Trgovina", "IT", "Auto servis", "Čišćenje", "Nega", "Metal", "Agro", "Turizam", "Računovodstvo", "Nekretnine"},
	"tr": {"İnşaat", "Nakliyat", "Restoran", "Ticaret", "Bilişim", "Oto Servis", "Temizlik", "Bakım", "Metal", "Tarım", "Turizm", "Muhasebe", "Emlak"},
	"sq": {"Ndërtim", "Transport", "Gastronomi", "Tregti", "IT", "Autoservis", "Pastrim", "Kujdes", "Metal", "Agro", "Turizëm", "Kontabilitet", "Patundshmëri"},
}

// venueWords and venueNames make the names of restaurants and cafés.
var venueWords = map[string][]string{
	"de": {"Restaurant", "Grill", "Café", "Bistro"},
	"en": {"Restaurant", "Grill", "Café", "Bakery"},
	"fr": {"Restaurant", "Grill", "Café", "Brasserie"},
	"it": {"Ristorante", "Pizzeria", "Bar", "Griglieria"},
	"sv": {"Restaurang", "Grill", "Café", "Pizzeria"},
	"tr": {"Restoran", "Kebap", "Kafe", "Pastane"},
	"bs": {"Restoran", "Ćevabdžinica", "Caffe bar", "Buregdžinica"},
	"hr": {"Restoran", "Grill", "Caffe bar", "Pizzeria"},
	"sr": {"Restoran", "Roštilj", "Kafana", "Pekara"},
	"sq": {"Restorant", "Qebaptore", "Kafe", "Pastiçeri"},
}

var venueNames = [nCommunities][]string{
	bosniakUSK:     {"Una", "Sarajevo", "Bosna", "Krajina", "Ljiljan", "Baščaršija", "Behar", "Cazin", "Bihać", "Sevdah"},
	bosniakSandzak: {"Sandžak", "Pazar", "Bosna", "Sarajevo", "Behar", "Tutin"},
	bosniakTravnik: {"Vlašić", "Travnik", "Bosna", "Lašva", "Sarajevo"},
	albanian:       {"Dardania", "Iliria", "Gjilani", "Prishtina", "Karadaku", "Shqiponja", "Besa", "Kosova"},
	serbian:        {"Šumadija", "Beograd", "Morava", "Srbija", "Balkan", "Dunav", "Zlatibor"},
	croatian:       {"Dalmacija", "Lašva", "Vlašić", "Jadran", "Zagreb", "Travnik"},
}
