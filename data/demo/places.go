package demo

import "strings"

// phoneSpec is one range of numbers of a country: the digits after the
// calling code that start the number, and how many random digits follow.
// nanp numbers (US, CA) get a valid exchange (N#N) before the last four.
type phoneSpec struct {
	p    string
	n    int
	nanp bool
	nz   bool // the first random digit is not 0 (Denmark)
}

// ws is a weighted string.
type ws struct {
	s string
	w int
}

// city is a real city of a country, with its postcode patterns (# digit,
// @ capital letter, % small letter) and, for the cities where the diaspora
// has its associations, the locative the names of associations use.
type city struct {
	name    string
	w       int
	pc      []string
	state   string      // US state, Canadian province, Australian state
	area    []string    // NANP area codes
	lang    string      // language spoken, when not the country's
	streets []string    // streets, when not the country's list
	loc     string      // "u Beču" (Bosnian, Serbian Latin)
	hrLoc   string      // Croatian, when it differs from loc
	sqLoc   string      // "në Vjenë"
	phones  []phoneSpec // mobile numbers (NANP cities; others use the country's)
}

// Address styles.
const (
	addrEU = iota // Street 12, 70173 Stuttgart
	addrFR        // 12 rue Victor Hugo, 75011 Paris
	addrUS        // 1234 Main St, St. Louis, MO 63116
	addrGB        // 12 High Street, London E17 4QA
	addrAU        // 12 George Street, Sydney NSW 2000
	addrLU        // 12, rue de la Gare, L-1611 Luxembourg
	addrTR        // Atatürk Caddesi No: 12, 34000 İstanbul
)

// country is a country of residence (or, for BA, RS and XK, home).
type country struct {
	code     string
	cc       string // calling code
	lang     string
	w        [nCommunities]int // how the communities' emigrants are spread
	mobile   []phoneSpec
	cities   []city
	streets  []string
	addr     int
	mail     []ws
	tld      string
	bizForms []ws
	bizReg   []string
	orgForm  string
	orgReg   []string
	loc      [nLangs]string // "u Njemačkoj", …, "në Gjermani"
	cumCity  []int
	hubs     []int // cities with locatives, for associations
}

func mob(n int, prefixes ...string) []phoneSpec {
	out := make([]phoneSpec, len(prefixes))
	for i, p := range prefixes {
		out[i] = phoneSpec{p: p, n: n}
	}
	return out
}

func nonZero(specs []phoneSpec) []phoneSpec {
	for i := range specs {
		specs[i].nz = true
	}
	return specs
}

func pcs(s string) []string { return strings.Split(s, ",") }

var (
	streetsCHfr = []string{"Rue du Rhône", "Rue de Lausanne", "Avenue de la Gare", "Rue du Marché", "Chemin des Vignes", "Rue de Genève", "Avenue de France", "Rue Centrale", "Rue des Alpes", "Avenue de Morges"}
	streetsCHit = []string{"Via Cantonale", "Via Nassa", "Via San Gottardo", "Via Trevano", "Via Besso", "Corso Elvezia", "Via Pretorio"}
	streetsBEnl = []string{"Kerkstraat", "Stationsstraat", "Molenstraat", "Nieuwstraat", "Dorpsstraat", "Kapelstraat", "Schoolstraat", "Turnhoutsebaan", "Brusselsesteenweg"}
	streetsBEfr = []string{"Rue de la Station", "Rue de l'Église", "Chaussée de Louvain", "Rue Haute", "Avenue Louise", "Rue du Midi", "Rue de la Loi", "Chaussée d'Ixelles", "Rue Neuve"}
	streetsFR   = []string{"rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue de la Gare", "rue Pasteur", "boulevard Voltaire", "rue du Général de Gaulle", "rue de Paris", "avenue de la Liberté", "rue des Écoles", "rue Nationale", "rue du Moulin"}
)

// countries is every country the generator uses. The weights follow the real
// diaspora of each community (Germany and Austria for Bosniaks and Serbs,
// Switzerland and Germany for Gjilan's Albanians, Croatia and Germany for
// Travnik's Croats, Luxembourg and Turkey for Sandžak).
var countries = []country{
	{code: "DE", cc: "49", lang: "de", w: [nCommunities]int{25, 20, 30, 28, 25, 35},
		mobile: append(mob(8, "151", "152", "157", "159", "176", "177", "178", "179"), mob(7, "160", "162", "163", "170", "171", "172", "173", "174", "175")...),
		cities: []city{
			{name: "Berlin", w: 8, pc: pcs("10###,12###,13###"), loc: "u Berlinu", sqLoc: "në Berlin"},
			{name: "München", w: 10, pc: pcs("80###,81###"), loc: "u Minhenu", hrLoc: "u Münchenu", sqLoc: "në Mynih"},
			{name: "Stuttgart", w: 10, pc: pcs("70###"), loc: "u Štutgartu", hrLoc: "u Stuttgartu", sqLoc: "në Shtutgart"},
			{name: "Frankfurt am Main", w: 8, pc: pcs("60###"), loc: "u Frankfurtu", sqLoc: "në Frankfurt"},
			{name: "Hamburg", w: 6, pc: pcs("20###,22###"), loc: "u Hamburgu", sqLoc: "në Hamburg"},
			{name: "Köln", w: 5, pc: pcs("50###,51###"), loc: "u Kelnu", hrLoc: "u Kölnu", sqLoc: "në Këln"},
			{name: "Düsseldorf", w: 5, pc: pcs("40###"), loc: "u Diseldorfu", hrLoc: "u Düsseldorfu", sqLoc: "në Dyseldorf"},
			{name: "Dortmund", w: 4, pc: pcs("44###"), loc: "u Dortmundu", sqLoc: "në Dortmund"},
			{name: "Essen", w: 3, pc: pcs("45###")},
			{name: "Nürnberg", w: 4, pc: pcs("90###"), loc: "u Nirnbergu", hrLoc: "u Nürnbergu", sqLoc: "në Nuremberg"},
			{name: "Augsburg", w: 3, pc: pcs("86###"), loc: "u Augsburgu", sqLoc: "në Augsburg"},
			{name: "Ulm", w: 3, pc: pcs("89###")},
			{name: "Mannheim", w: 3, pc: pcs("68###")},
			{name: "Hannover", w: 3, pc: pcs("30###"), loc: "u Hanoveru", sqLoc: "në Hanover"},
			{name: "Offenbach am Main", w: 2, pc: pcs("63###")},
			{name: "Wiesbaden", w: 2, pc: pcs("65###")},
			{name: "Ludwigsburg", w: 2, pc: pcs("71###")},
			{name: "Heilbronn", w: 3, pc: pcs("74###")},
			{name: "Sindelfingen", w: 2, pc: pcs("71###")},
			{name: "Bielefeld", w: 2, pc: pcs("33###")},
			{name: "Regensburg", w: 2, pc: pcs("93###")},
			{name: "Ingolstadt", w: 2, pc: pcs("85###")},
		},
		streets: []string{"Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenstraße", "Gartenstraße", "Kirchstraße", "Bergstraße", "Friedrichstraße", "Mozartstraße", "Ringstraße", "Wilhelmstraße", "Königstraße", "Schulstraße", "Industriestraße", "Feldstraße", "Rosenstraße", "Waldstraße"},
		addr:    addrEU,
		mail:    []ws{{"gmx.de", 20}, {"web.de", 18}, {"gmail.com", 30}, {"t-online.de", 8}, {"outlook.de", 6}, {"hotmail.de", 6}, {"yahoo.de", 3}, {"icloud.com", 3}},
		tld:     "de", bizForms: []ws{{"GmbH", 5}, {"UG (haftungsbeschränkt)", 2}, {"e.K.", 2}, {"GmbH & Co. KG", 1}},
		bizReg: []string{"HRB ######", "HRB #####", "HRA #####"}, orgForm: "eingetragener Verein (e.V.)", orgReg: []string{"VR ####", "VR #####"},
		loc: [nLangs]string{"u Njemačkoj", "u Njemačkoj", "u Nemačkoj", "në Gjermani"}},
	{code: "AT", cc: "43", lang: "de", w: [nCommunities]int{20, 15, 15, 6, 22, 15},
		mobile: append(mob(7, "664", "660", "676", "650", "680", "688"), phoneSpec{p: "699", n: 8}),
		cities: []city{
			{name: "Wien", w: 40, pc: pcs("1010,1020,1030,1040,1050,1060,1070,1080,1090,1100,1110,1120,1130,1140,1150,1160,1170,1180,1190,1200,1210,1220,1230"), loc: "u Beču", sqLoc: "në Vjenë"},
			{name: "Linz", w: 10, pc: pcs("4020,4030,4040"), loc: "u Lincu", hrLoc: "u Linzu", sqLoc: "në Linc"},
			{name: "Graz", w: 8, pc: pcs("8010,8020,8053"), loc: "u Gracu", hrLoc: "u Grazu", sqLoc: "në Grac"},
			{name: "Salzburg", w: 8, pc: pcs("5020"), loc: "u Salcburgu", hrLoc: "u Salzburgu", sqLoc: "në Salzburg"},
			{name: "Innsbruck", w: 5, pc: pcs("6020"), loc: "u Insbruku", hrLoc: "u Innsbrucku", sqLoc: "në Insbruk"},
			{name: "Wels", w: 4, pc: pcs("4600")},
			{name: "Steyr", w: 3, pc: pcs("4400")},
			{name: "Klagenfurt", w: 3, pc: pcs("9020")},
			{name: "Dornbirn", w: 3, pc: pcs("6850")},
			{name: "Bregenz", w: 2, pc: pcs("6900")},
			{name: "St. Pölten", w: 4, pc: pcs("3100")},
			{name: "Villach", w: 2, pc: pcs("9500")},
			{name: "Wiener Neustadt", w: 3, pc: pcs("2700")},
		},
		streets: []string{"Hauptstraße", "Bahnhofstraße", "Kirchengasse", "Schulgasse", "Linzer Straße", "Grazer Straße", "Lindengasse", "Mühlgasse", "Gartengasse", "Feldgasse", "Rosengasse", "Salzburger Straße", "Dorfstraße", "Schillerstraße", "Brunnengasse"},
		addr:    addrEU,
		mail:    []ws{{"gmx.at", 20}, {"gmail.com", 35}, {"aon.at", 10}, {"hotmail.com", 10}, {"outlook.com", 8}, {"a1.net", 6}, {"icloud.com", 3}, {"chello.at", 3}},
		tld:     "at", bizForms: []ws{{"GmbH", 6}, {"e.U.", 3}, {"OG", 1}},
		bizReg: []string{"FN ######%"}, orgForm: "Verein", orgReg: []string{"ZVR #########"},
		loc: [nLangs]string{"u Austriji", "u Austriji", "u Austriji", "në Austri"}},
	{code: "CH", cc: "41", lang: "de", w: [nCommunities]int{6, 8, 6, 30, 12, 8},
		mobile: mob(7, "76", "77", "78", "79"),
		cities: []city{
			{name: "Zürich", w: 20, pc: pcs("80##"), loc: "u Cirihu", hrLoc: "u Zürichu", sqLoc: "në Cyrih"},
			{name: "Basel", w: 10, pc: pcs("40##"), loc: "u Bazelu", hrLoc: "u Baselu", sqLoc: "në Bazel"},
			{name: "Bern", w: 8, pc: pcs("30##"), loc: "u Bernu", sqLoc: "në Bernë"},
			{name: "Genève", w: 6, pc: pcs("12##"), lang: "fr", streets: streetsCHfr, loc: "u Ženevi", sqLoc: "në Gjenevë"},
			{name: "Lausanne", w: 6, pc: pcs("10##"), lang: "fr", streets: streetsCHfr, loc: "u Lozani", sqLoc: "në Lozanë"},
			{name: "Luzern", w: 6, pc: pcs("60##"), loc: "u Lucernu", hrLoc: "u Luzernu", sqLoc: "në Lucernë"},
			{name: "St. Gallen", w: 8, pc: pcs("90##"), loc: "u Sent Galenu", hrLoc: "u St. Gallenu", sqLoc: "në St. Gallen"},
			{name: "Winterthur", w: 6, pc: pcs("84##"), loc: "u Vinterturu", hrLoc: "u Winterthuru", sqLoc: "në Vinterthur"},
			{name: "Biel/Bienne", w: 3, pc: pcs("25##")},
			{name: "Aarau", w: 4, pc: pcs("50##")},
			{name: "Lugano", w: 3, pc: pcs("69##"), lang: "it", streets: streetsCHit},
			{name: "Schaffhausen", w: 3, pc: pcs("82##")},
			{name: "Olten", w: 3, pc: pcs("46##")},
			{name: "Zug", w: 3, pc: pcs("63##")},
		},
		streets: []string{"Bahnhofstrasse", "Hauptstrasse", "Dorfstrasse", "Seestrasse", "Kirchweg", "Schulstrasse", "Poststrasse", "Industriestrasse", "Gartenstrasse", "Bergstrasse", "Rosenweg", "Badenerstrasse", "Langstrasse", "Feldstrasse"},
		addr:    addrEU,
		mail:    []ws{{"bluewin.ch", 25}, {"gmail.com", 30}, {"gmx.ch", 15}, {"hotmail.ch", 10}, {"sunrise.ch", 6}, {"outlook.com", 8}, {"icloud.com", 3}},
		tld:     "ch", bizForms: []ws{{"GmbH", 6}, {"AG", 3}, {"Einzelunternehmen", 1}},
		bizReg: []string{"CHE-###.###.###"}, orgForm: "Verein", orgReg: []string{"CHE-###.###.###"},
		loc: [nLangs]string{"u Švicarskoj", "u Švicarskoj", "u Švajcarskoj", "në Zvicër"}},
	{code: "SE", cc: "46", lang: "sv", w: [nCommunities]int{7, 10, 8, 6, 4, 3},
		mobile: mob(7, "70", "72", "73", "76", "79"),
		cities: []city{
			{name: "Stockholm", w: 10, pc: pcs("11# ##,12# ##"), loc: "u Štokholmu", hrLoc: "u Stockholmu", sqLoc: "në Stokholm"},
			{name: "Göteborg", w: 8, pc: pcs("41# ##"), loc: "u Geteborgu", hrLoc: "u Göteborgu", sqLoc: "në Göteborg"},
			{name: "Malmö", w: 10, pc: pcs("21# ##"), loc: "u Malmeu", hrLoc: "u Malmöu", sqLoc: "në Malmë"},
			{name: "Uppsala", w: 3, pc: pcs("75# ##")},
			{name: "Västerås", w: 3, pc: pcs("72# ##")},
			{name: "Örebro", w: 3, pc: pcs("70# ##")},
			{name: "Jönköping", w: 3, pc: pcs("55# ##")},
			{name: "Växjö", w: 3, pc: pcs("35# ##")},
			{name: "Norrköping", w: 3, pc: pcs("60# ##")},
			{name: "Helsingborg", w: 4, pc: pcs("25# ##")},
			{name: "Borås", w: 2, pc: pcs("50# ##")},
		},
		streets: []string{"Drottninggatan", "Storgatan", "Kungsgatan", "Södra Vägen", "Järnvägsgatan", "Skolgatan", "Kyrkogatan", "Parkvägen", "Björkvägen", "Ringvägen", "Industrigatan", "Östra Förstadsgatan"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 40}, {"hotmail.com", 20}, {"outlook.com", 10}, {"telia.com", 10}, {"live.se", 10}, {"yahoo.se", 5}},
		tld:     "se", bizForms: []ws{{"AB", 8}, {"HB", 2}},
		bizReg: []string{"559###-####", "556###-####"}, orgForm: "ideell förening", orgReg: []string{"802###-####"},
		loc: [nLangs]string{"u Švedskoj", "u Švedskoj", "u Švedskoj", "në Suedi"}},
	{code: "US", cc: "1", lang: "en", w: [nCommunities]int{7, 5, 6, 8, 8, 5},
		cities: []city{
			{name: "St. Louis", w: 12, state: "MO", pc: pcs("631##"), area: []string{"314"}, loc: "u Sent Luisu", hrLoc: "u St. Louisu", sqLoc: "në St. Louis"},
			{name: "Chicago", w: 10, state: "IL", pc: pcs("606##"), area: []string{"312", "773"}, loc: "u Čikagu", hrLoc: "u Chicagu", sqLoc: "në Çikago"},
			{name: "New York", w: 8, state: "NY", pc: pcs("100##,104##,113##"), area: []string{"212", "718", "917"}, loc: "u Njujorku", hrLoc: "u New Yorku", sqLoc: "në Nju Jork"},
			{name: "Staten Island", w: 3, state: "NY", pc: pcs("103##"), area: []string{"718"}},
			{name: "Detroit", w: 4, state: "MI", pc: pcs("482##"), area: []string{"313"}, loc: "u Detroitu", sqLoc: "në Detroit"},
			{name: "Sterling Heights", w: 2, state: "MI", pc: pcs("483##"), area: []string{"586"}},
			{name: "Utica", w: 3, state: "NY", pc: pcs("135##"), area: []string{"315"}},
			{name: "Jacksonville", w: 3, state: "FL", pc: pcs("322##"), area: []string{"904"}},
			{name: "Atlanta", w: 3, state: "GA", pc: pcs("303##"), area: []string{"404", "678"}},
			{name: "Phoenix", w: 3, state: "AZ", pc: pcs("850##"), area: []string{"602", "480"}},
			{name: "Salt Lake City", w: 2, state: "UT", pc: pcs("841##"), area: []string{"801", "385"}},
			{name: "Boise", w: 2, state: "ID", pc: pcs("837##"), area: []string{"208"}},
			{name: "Erie", w: 2, state: "PA", pc: pcs("165##"), area: []string{"814"}},
			{name: "Bowling Green", w: 2, state: "KY", pc: pcs("421##"), area: []string{"270"}},
			{name: "Des Moines", w: 2, state: "IA", pc: pcs("503##"), area: []string{"515"}},
		},
		streets: []string{"Main St", "Oak St", "Maple Ave", "Washington Ave", "Park Ave", "Elm St", "Cedar St", "Lincoln Ave", "Broadway", "2nd St", "Lake St", "Hill St", "Church St", "Walnut St", "Chestnut St", "Jefferson Ave"},
		addr:    addrUS,
		mail:    []ws{{"gmail.com", 45}, {"yahoo.com", 20}, {"outlook.com", 10}, {"hotmail.com", 8}, {"icloud.com", 10}, {"aol.com", 4}},
		tld:     "com", bizForms: []ws{{"LLC", 7}, {"Inc.", 3}},
		bizReg: []string{"##-#######"}, orgForm: "nonprofit corporation (501(c)(3))", orgReg: []string{"##-#######"},
		loc: [nLangs]string{"u SAD-u", "u SAD-u", "u SAD", "në SHBA"}},
	{code: "SI", cc: "386", lang: "sl", w: [nCommunities]int{9, 3, 6, 1, 3, 3},
		mobile: mob(6, "31", "40", "41", "51", "64", "68", "70"),
		cities: []city{
			{name: "Ljubljana", w: 12, pc: pcs("1000"), loc: "u Ljubljani", sqLoc: "në Lubjanë"},
			{name: "Maribor", w: 5, pc: pcs("2000"), loc: "u Mariboru", sqLoc: "në Maribor"},
			{name: "Celje", w: 4, pc: pcs("3000")},
			{name: "Kranj", w: 4, pc: pcs("4000")},
			{name: "Velenje", w: 4, pc: pcs("3320"), loc: "u Velenju", sqLoc: "në Velenje"},
			{name: "Koper", w: 3, pc: pcs("6000")},
			{name: "Jesenice", w: 3, pc: pcs("4270")},
			{name: "Novo mesto", w: 3, pc: pcs("8000")},
			{name: "Nova Gorica", w: 2, pc: pcs("5000")},
		},
		streets: []string{"Celovška cesta", "Dunajska cesta", "Tržaška cesta", "Slovenska cesta", "Prešernova ulica", "Cankarjeva ulica", "Gregorčičeva ulica", "Partizanska cesta", "Ljubljanska cesta", "Šolska ulica", "Trubarjeva ulica"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 50}, {"siol.net", 25}, {"t-2.net", 10}, {"hotmail.com", 10}},
		tld:     "si", bizForms: []ws{{"d.o.o.", 8}, {"s.p.", 2}},
		bizReg: []string{"#######000"}, orgForm: "društvo", orgReg: []string{"#######000"},
		loc: [nLangs]string{"u Sloveniji", "u Sloveniji", "u Sloveniji", "në Slloveni"}},
	{code: "HR", cc: "385", lang: "hr", w: [nCommunities]int{5, 1, 2, 1, 1, 15},
		mobile: mob(7, "91", "92", "95", "98", "99"),
		cities: []city{
			{name: "Zagreb", w: 15, pc: pcs("10000,10010,10020,10040,10090,10110"), loc: "u Zagrebu", sqLoc: "në Zagreb"},
			{name: "Rijeka", w: 4, pc: pcs("51000"), loc: "u Rijeci", sqLoc: "në Rijekë"},
			{name: "Split", w: 3, pc: pcs("21000"), loc: "u Splitu", sqLoc: "në Split"},
			{name: "Osijek", w: 2, pc: pcs("31000")},
			{name: "Karlovac", w: 3, pc: pcs("47000")},
			{name: "Pula", w: 3, pc: pcs("52100")},
			{name: "Zadar", w: 2, pc: pcs("23000")},
			{name: "Slavonski Brod", w: 2, pc: pcs("35000")},
			{name: "Sisak", w: 2, pc: pcs("44000")},
			{name: "Velika Gorica", w: 2, pc: pcs("10410")},
		},
		streets: []string{"Ilica", "Vukovarska ulica", "Savska cesta", "Zagrebačka ulica", "Ulica kralja Tomislava", "Ulica Ante Starčevića", "Ulica Stjepana Radića", "Frankopanska ulica", "Ulica hrvatskih branitelja", "Kvaternikova ulica", "Ulica grada Vukovara"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 55}, {"net.hr", 15}, {"hotmail.com", 15}, {"yahoo.com", 5}, {"email.t-com.hr", 10}},
		tld:     "hr", bizForms: []ws{{"d.o.o.", 6}, {"j.d.o.o.", 3}},
		bizReg: []string{"###########"}, orgForm: "udruga", orgReg: []string{"21000#####"},
		loc: [nLangs]string{"u Hrvatskoj", "u Hrvatskoj", "u Hrvatskoj", "në Kroaci"}},
	{code: "NL", cc: "31", lang: "nl", w: [nCommunities]int{4, 3, 4, 1, 2, 2},
		mobile: mob(7, "61", "62", "63", "64", "65"),
		cities: []city{
			{name: "Amsterdam", w: 6, pc: pcs("10## @@,11## @@"), loc: "u Amsterdamu", sqLoc: "në Amsterdam"},
			{name: "Rotterdam", w: 6, pc: pcs("30## @@"), loc: "u Roterdamu", hrLoc: "u Rotterdamu", sqLoc: "në Roterdam"},
			{name: "Den Haag", w: 5, pc: pcs("25## @@")},
			{name: "Utrecht", w: 4, pc: pcs("35## @@")},
			{name: "Eindhoven", w: 3, pc: pcs("56## @@")},
			{name: "Tilburg", w: 3, pc: pcs("50## @@")},
			{name: "Groningen", w: 2, pc: pcs("97## @@")},
			{name: "Almere", w: 2, pc: pcs("13## @@")},
			{name: "Arnhem", w: 2, pc: pcs("68## @@")},
		},
		streets: []string{"Hoofdstraat", "Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenstraat", "Schoolstraat", "Julianastraat", "Wilhelminastraat", "Marktstraat", "Beatrixlaan", "Lindelaan", "Nieuwstraat"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 35}, {"hotmail.com", 20}, {"ziggo.nl", 15}, {"kpnmail.nl", 10}, {"outlook.com", 10}, {"live.nl", 5}},
		tld:     "nl", bizForms: []ws{{"B.V.", 7}, {"V.O.F.", 3}},
		bizReg: []string{"########"}, orgForm: "vereniging", orgReg: []string{"########"},
		loc: [nLangs]string{"u Holandiji", "u Nizozemskoj", "u Holandiji", "në Holandë"}},
	{code: "DK", cc: "45", lang: "da", w: [nCommunities]int{4, 6, 3, 1, 1, 1},
		mobile: nonZero(mob(6, "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "40", "42", "50", "51", "52", "53", "60", "61")),
		cities: []city{
			{name: "København", w: 6, pc: pcs("1###,2###"), loc: "u Kopenhagenu", sqLoc: "në Kopenhagë"},
			{name: "Aarhus", w: 5, pc: pcs("8000,8200,8210,8220"), loc: "u Orhusu", hrLoc: "u Aarhusu", sqLoc: "në Aarhus"},
			{name: "Odense", w: 4, pc: pcs("5000,5200,5220")},
			{name: "Aalborg", w: 3, pc: pcs("9000,9200,9220")},
			{name: "Vejle", w: 2, pc: pcs("7100")},
			{name: "Esbjerg", w: 2, pc: pcs("6700")},
			{name: "Horsens", w: 2, pc: pcs("8700")},
			{name: "Randers", w: 2, pc: pcs("8900")},
		},
		streets: []string{"Nørrebrogade", "Vesterbrogade", "Jernbanegade", "Skolegade", "Kirkevej", "Søndergade", "Østergade", "Vestergade", "Strandvejen", "Parkvej", "Industrivej", "Bredgade"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 45}, {"hotmail.com", 25}, {"outlook.dk", 10}, {"live.dk", 10}, {"mail.dk", 10}},
		tld:     "dk", bizForms: []ws{{"ApS", 8}, {"A/S", 2}},
		bizReg: []string{"CVR ########"}, orgForm: "forening", orgReg: []string{"CVR ########"},
		loc: [nLangs]string{"u Danskoj", "u Danskoj", "u Danskoj", "në Danimarkë"}},
	{code: "NO", cc: "47", lang: "no", w: [nCommunities]int{3, 4, 2, 1, 1, 1},
		mobile: mob(6, "40", "41", "45", "46", "47", "48", "90", "91", "92", "93", "94", "95", "97", "98", "99"),
		cities: []city{
			{name: "Oslo", w: 8, pc: pcs("01##,05##,06##,09##,10##"), loc: "u Oslu", sqLoc: "në Oslo"},
			{name: "Bergen", w: 3, pc: pcs("50##")},
			{name: "Trondheim", w: 3, pc: pcs("70##")},
			{name: "Stavanger", w: 3, pc: pcs("40##")},
			{name: "Drammen", w: 2, pc: pcs("30##")},
			{name: "Kristiansand", w: 2, pc: pcs("46##")},
			{name: "Fredrikstad", w: 2, pc: pcs("16##")},
		},
		streets: []string{"Storgata", "Kirkegata", "Torggata", "Skolegata", "Kongens gate", "Dronningens gate", "Markveien", "Trondheimsveien", "Parkveien", "Grønlandsleiret"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 45}, {"hotmail.com", 20}, {"online.no", 15}, {"outlook.com", 10}, {"live.no", 10}},
		tld:     "no", bizForms: []ws{{"AS", 10}},
		bizReg: []string{"9## ### ###"}, orgForm: "forening", orgReg: []string{"9## ### ###"},
		loc: [nLangs]string{"u Norveškoj", "u Norveškoj", "u Norveškoj", "në Norvegji"}},
	{code: "FR", cc: "33", lang: "fr", w: [nCommunities]int{2, 3, 2, 3, 8, 1},
		mobile: mob(7, "60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"),
		cities: []city{
			{name: "Paris", w: 10, pc: pcs("7500#,7501#,75020"), loc: "u Parizu", sqLoc: "në Paris"},
			{name: "Lyon", w: 5, pc: pcs("6900#"), loc: "u Lionu", hrLoc: "u Lyonu", sqLoc: "në Lion"},
			{name: "Strasbourg", w: 5, pc: pcs("67000,67100,67200"), loc: "u Strazburu", sqLoc: "në Strasburg"},
			{name: "Marseille", w: 3, pc: pcs("130##")},
			{name: "Mulhouse", w: 4, pc: pcs("68100,68200")},
			{name: "Nice", w: 2, pc: pcs("06000,06100,06200,06300")},
			{name: "Toulouse", w: 2, pc: pcs("31000,31100,31200,31300,31400,31500")},
			{name: "Grenoble", w: 2, pc: pcs("38000,38100")},
			{name: "Belfort", w: 2, pc: pcs("90000")},
			{name: "Metz", w: 2, pc: pcs("57000,57050,57070")},
			{name: "Besançon", w: 2, pc: pcs("25000")},
		},
		streets: streetsFR,
		addr:    addrFR,
		mail:    []ws{{"gmail.com", 35}, {"orange.fr", 20}, {"free.fr", 10}, {"hotmail.fr", 10}, {"sfr.fr", 8}, {"laposte.net", 7}, {"yahoo.fr", 5}},
		tld:     "fr", bizForms: []ws{{"SARL", 6}, {"SAS", 4}},
		bizReg: []string{"### ### ###"}, orgForm: "association loi 1901", orgReg: []string{"W#########"},
		loc: [nLangs]string{"u Francuskoj", "u Francuskoj", "u Francuskoj", "në Francë"}},
	{code: "IT", cc: "39", lang: "it", w: [nCommunities]int{3, 4, 2, 4, 4, 2},
		mobile: mob(7, "320", "324", "327", "328", "329", "330", "331", "333", "334", "335", "338", "339", "340", "342", "345", "347", "348", "349", "366", "388", "389", "392", "393"),
		cities: []city{
			{name: "Milano", w: 6, pc: pcs("2012#,2013#,2014#,2015#"), loc: "u Milanu", sqLoc: "në Milano"},
			{name: "Roma", w: 4, pc: pcs("0011#,0012#,0013#,0014#,0015#,0016#,0017#,0018#,0019#"), loc: "u Rimu", sqLoc: "në Romë"},
			{name: "Torino", w: 4, pc: pcs("1012#,1013#,1014#,1015#")},
			{name: "Bologna", w: 3, pc: pcs("4012#,4013#")},
			{name: "Verona", w: 3, pc: pcs("3712#,3713#")},
			{name: "Brescia", w: 3, pc: pcs("2512#,2513#")},
			{name: "Trieste", w: 3, pc: pcs("3412#,3413#,3414#"), loc: "u Trstu", hrLoc: "u Trstu", sqLoc: "në Trieste"},
			{name: "Treviso", w: 3, pc: pcs("31100")},
			{name: "Bergamo", w: 2, pc: pcs("2412#")},
			{name: "Vicenza", w: 3, pc: pcs("36100")},
			{name: "Udine", w: 2, pc: pcs("33100")},
			{name: "Padova", w: 2, pc: pcs("3512#,3513#")},
		},
		streets: []string{"Via Roma", "Via Garibaldi", "Via Mazzini", "Corso Italia", "Via Dante Alighieri", "Via Giuseppe Verdi", "Via Cavour", "Via Vittorio Emanuele", "Via XX Settembre", "Via della Repubblica", "Viale Europa", "Via Marconi"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 40}, {"libero.it", 20}, {"hotmail.it", 10}, {"virgilio.it", 10}, {"yahoo.it", 8}, {"alice.it", 5}, {"outlook.it", 5}},
		tld:     "it", bizForms: []ws{{"S.r.l.", 8}, {"S.n.c.", 2}},
		bizReg: []string{"IT###########"}, orgForm: "associazione di promozione sociale", orgReg: []string{"C.F. 9##########"},
		loc: [nLangs]string{"u Italiji", "u Italiji", "u Italiji", "në Itali"}},
	{code: "BE", cc: "32", lang: "fr", w: [nCommunities]int{1, 3, 1, 3, 1, 1},
		mobile: mob(7, "47", "48", "49"),
		cities: []city{
			{name: "Bruxelles", w: 6, pc: pcs("1000,1020,1030,1040,1050,1060,1070,1080,1180,1190"), streets: streetsBEfr, loc: "u Briselu", hrLoc: "u Bruxellesu", sqLoc: "në Bruksel"},
			{name: "Antwerpen", w: 4, pc: pcs("2000,2018,2060,2100,2140"), lang: "nl", streets: streetsBEnl, loc: "u Antverpenu", hrLoc: "u Antwerpenu", sqLoc: "në Antverpen"},
			{name: "Gent", w: 3, pc: pcs("9000,9030,9040,9050"), lang: "nl", streets: streetsBEnl},
			{name: "Liège", w: 3, pc: pcs("4000,4020,4030"), streets: streetsBEfr},
			{name: "Charleroi", w: 2, pc: pcs("6000,6001,6010"), streets: streetsBEfr},
			{name: "Leuven", w: 1, pc: pcs("3000,3010"), lang: "nl", streets: streetsBEnl},
		},
		streets: streetsBEfr,
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 40}, {"hotmail.com", 15}, {"skynet.be", 15}, {"telenet.be", 15}, {"outlook.com", 10}},
		tld:     "be", bizForms: []ws{{"SRL", 5}, {"BV", 5}},
		bizReg: []string{"0###.###.###"}, orgForm: "ASBL / VZW", orgReg: []string{"0###.###.###"},
		loc: [nLangs]string{"u Belgiji", "u Belgiji", "u Belgiji", "në Belgjikë"}},
	{code: "GB", cc: "44", lang: "en", w: [nCommunities]int{1, 2, 2, 4, 2, 1},
		mobile: mob(7, "740", "741", "742", "743", "744", "747", "748", "749", "751", "753", "754", "755", "756", "757", "758", "759", "771", "772", "773", "774", "775", "776", "777", "780", "781", "784", "785", "786", "787", "788", "789", "790", "792", "794", "795", "796", "797", "798", "799"),
		cities: []city{
			{name: "London", w: 12, pc: pcs("E1# #@@,E# #@@,N1# #@@,SE1# #@@,W# #@@,NW# #@@"), loc: "u Londonu", sqLoc: "në Londër"},
			{name: "Birmingham", w: 3, pc: pcs("B## #@@")},
			{name: "Manchester", w: 2, pc: pcs("M## #@@")},
			{name: "Leeds", w: 1, pc: pcs("LS# #@@")},
			{name: "Glasgow", w: 1, pc: pcs("G## #@@")},
			{name: "Coventry", w: 1, pc: pcs("CV# #@@")},
		},
		streets: []string{"High Street", "Church Road", "Station Road", "Victoria Road", "Green Lane", "Park Road", "Manor Road", "Queen's Road", "London Road", "Mill Lane", "Grove Road", "Albert Road"},
		addr:    addrGB,
		mail:    []ws{{"gmail.com", 45}, {"hotmail.co.uk", 15}, {"outlook.com", 12}, {"yahoo.co.uk", 10}, {"btinternet.com", 10}, {"icloud.com", 8}},
		tld:     "co.uk", bizForms: []ws{{"Ltd", 10}},
		bizReg: []string{"1#######"}, orgForm: "registered charity", orgReg: []string{"1######"},
		loc: [nLangs]string{"u Velikoj Britaniji", "u Velikoj Britaniji", "u Velikoj Britaniji", "në Britani të Madhe"}},
	{code: "CA", cc: "1", lang: "en", w: [nCommunities]int{2, 1, 2, 1, 4, 3},
		cities: []city{
			{name: "Toronto", w: 8, state: "ON", pc: pcs("M#@ #@#"), area: []string{"416", "647"}, loc: "u Torontu", sqLoc: "në Toronto"},
			{name: "Mississauga", w: 3, state: "ON", pc: pcs("L5@ #@#"), area: []string{"905"}},
			{name: "Hamilton", w: 3, state: "ON", pc: pcs("L8@ #@#"), area: []string{"905"}},
			{name: "Kitchener", w: 2, state: "ON", pc: pcs("N2@ #@#"), area: []string{"519"}},
			{name: "Windsor", w: 2, state: "ON", pc: pcs("N9@ #@#"), area: []string{"519"}},
			{name: "Ottawa", w: 2, state: "ON", pc: pcs("K1@ #@#"), area: []string{"613"}},
			{name: "Montréal", w: 2, state: "QC", pc: pcs("H#@ #@#"), area: []string{"514"}, lang: "fr", streets: streetsFR, loc: "u Montrealu", sqLoc: "në Montreal"},
			{name: "Vancouver", w: 3, state: "BC", pc: pcs("V5@ #@#,V6@ #@#"), area: []string{"604"}},
			{name: "Calgary", w: 2, state: "AB", pc: pcs("T2@ #@#,T3@ #@#"), area: []string{"403"}},
		},
		streets: []string{"Main St", "King St", "Queen St", "Victoria Ave", "Church St", "Park Ave", "Lakeshore Rd", "Maple Ave", "Elm St", "Wellington St"},
		addr:    addrUS,
		mail:    []ws{{"gmail.com", 45}, {"hotmail.com", 15}, {"outlook.com", 10}, {"yahoo.ca", 10}, {"rogers.com", 8}, {"sympatico.ca", 7}},
		tld:     "ca", bizForms: []ws{{"Inc.", 6}, {"Ltd.", 4}},
		bizReg: []string{"#########"}, orgForm: "not-for-profit corporation", orgReg: []string{"#########RR0001"},
		loc: [nLangs]string{"u Kanadi", "u Kanadi", "u Kanadi", "në Kanada"}},
	{code: "AU", cc: "61", lang: "en", w: [nCommunities]int{2, 1, 2, 1, 4, 5},
		mobile: mob(7, "40", "41", "42", "43"),
		cities: []city{
			{name: "Sydney", w: 5, state: "NSW", pc: pcs("21##"), loc: "u Sidneju", hrLoc: "u Sydneyu", sqLoc: "në Sidnej"},
			{name: "Melbourne", w: 6, state: "VIC", pc: pcs("30##"), loc: "u Melburnu", hrLoc: "u Melbourneu", sqLoc: "në Melburn"},
			{name: "Perth", w: 3, state: "WA", pc: pcs("60##")},
			{name: "Brisbane", w: 2, state: "QLD", pc: pcs("40##")},
			{name: "Adelaide", w: 2, state: "SA", pc: pcs("50##")},
			{name: "Geelong", w: 2, state: "VIC", pc: pcs("3220")},
			{name: "Wollongong", w: 2, state: "NSW", pc: pcs("2500")},
			{name: "Newcastle", w: 1, state: "NSW", pc: pcs("2300")},
		},
		streets: []string{"George Street", "Pitt Street", "Victoria Street", "King Street", "High Street", "Church Street", "Station Street", "Railway Parade", "Queen Street", "Smith Street", "Bridge Road", "Elizabeth Street"},
		addr:    addrAU,
		mail:    []ws{{"gmail.com", 45}, {"hotmail.com", 15}, {"outlook.com", 10}, {"bigpond.com", 15}, {"yahoo.com.au", 8}, {"optusnet.com.au", 7}},
		tld:     "com.au", bizForms: []ws{{"Pty Ltd", 10}},
		bizReg: []string{"## ### ### ###"}, orgForm: "incorporated association", orgReg: []string{"A00#####%"},
		loc: [nLangs]string{"u Australiji", "u Australiji", "u Australiji", "në Australi"}},
	{code: "TR", cc: "90", lang: "tr", w: [nCommunities]int{2, 6, 1, 1, 0, 0},
		mobile: mob(7, "530", "531", "532", "533", "534", "535", "536", "537", "538", "539", "541", "542", "543", "544", "545", "546", "505", "506", "507", "551", "552", "553", "554", "555"),
		cities: []city{
			{name: "İstanbul", w: 8, pc: pcs("34###"), loc: "u Istanbulu", sqLoc: "në Stamboll"},
			{name: "Bursa", w: 5, pc: pcs("16###"), loc: "u Bursi", sqLoc: "në Bursë"},
			{name: "İzmir", w: 4, pc: pcs("35###"), loc: "u Izmiru", sqLoc: "në Izmir"},
			{name: "Ankara", w: 3, pc: pcs("06###")},
			{name: "Adapazarı", w: 3, pc: pcs("54###")},
			{name: "Eskişehir", w: 2, pc: pcs("26###")},
		},
		streets: []string{"Atatürk Caddesi", "Cumhuriyet Caddesi", "İstiklal Caddesi", "Gazi Caddesi", "Menderes Sokak", "Bağdat Caddesi", "Fevzi Çakmak Caddesi", "Mimar Sinan Sokak", "Çiçek Sokak", "Yıldız Sokak"},
		addr:    addrTR,
		mail:    []ws{{"gmail.com", 50}, {"hotmail.com", 25}, {"yandex.com", 10}, {"outlook.com", 10}, {"yahoo.com", 5}},
		tld:     "com.tr", bizForms: []ws{{"Ltd. Şti.", 8}, {"A.Ş.", 2}},
		bizReg: []string{"######"}, orgForm: "dernek", orgReg: []string{"##-###-###"},
		loc: [nLangs]string{"u Turskoj", "u Turskoj", "u Turskoj", "në Turqi"}},
	{code: "LU", cc: "352", lang: "fr", w: [nCommunities]int{2, 8, 1, 1, 1, 0},
		mobile: mob(6, "621", "628", "661", "668", "691", "698", "651", "671"),
		cities: []city{
			{name: "Luxembourg", w: 10, pc: pcs("1###,2###"), loc: "u Luksemburgu", sqLoc: "në Luksemburg"},
			{name: "Esch-sur-Alzette", w: 4, pc: pcs("4###"), loc: "u Ešu", hrLoc: "u Eschu", sqLoc: "në Esch"},
			{name: "Differdange", w: 3, pc: pcs("45##")},
			{name: "Dudelange", w: 3, pc: pcs("34##")},
			{name: "Ettelbruck", w: 2, pc: pcs("90##")},
			{name: "Diekirch", w: 2, pc: pcs("92##")},
			{name: "Wiltz", w: 1, pc: pcs("95##")},
		},
		streets: []string{"rue de la Gare", "route d'Arlon", "avenue de la Liberté", "rue Principale", "Grand-Rue", "rue de l'Alzette", "boulevard Royal", "rue du Fossé", "rue de Luxembourg", "route de Thionville"},
		addr:    addrLU,
		mail:    []ws{{"gmail.com", 40}, {"pt.lu", 20}, {"hotmail.com", 15}, {"outlook.com", 10}, {"yahoo.fr", 5}, {"gmx.de", 5}},
		tld:     "lu", bizForms: []ws{{"S.à r.l.", 8}, {"S.A.", 2}},
		bizReg: []string{"B######"}, orgForm: "ASBL", orgReg: []string{"F#####"},
		loc: [nLangs]string{"u Luksemburgu", "u Luksemburgu", "u Luksemburgu", "në Luksemburg"}},

	// The home countries: no one emigrates to them here, but businesses and
	// the Una-Sana civil society organisations are registered there.
	{code: "BA", cc: "387", lang: "bs",
		mobile: mob(6, "61", "62", "63", "65", "66"),
		cities: []city{
			{name: "Cazin", w: 10, pc: pcs("77220")},
			{name: "Bihać", w: 10, pc: pcs("77000")},
			{name: "Velika Kladuša", w: 6, pc: pcs("77230")},
			{name: "Travnik", w: 6, pc: pcs("72270")},
			{name: "Bosanska Krupa", w: 3, pc: pcs("77240")},
			{name: "Sanski Most", w: 3, pc: pcs("79260")},
			{name: "Bužim", w: 2, pc: pcs("77245")},
			{name: "Ključ", w: 2, pc: pcs("79280")},
			{name: "Bosanski Petrovac", w: 1, pc: pcs("77250")},
		},
		streets: []string{"Bosanska", "Bihaćka", "Cazinska", "Krupska", "Titova", "Ulica Mehmedalije Maka Dizdara", "Ulica Safvet-bega Bašagića", "Ulica 5. korpusa", "Ulica Zlatnih ljiljana", "Ulica Žrtava fašizma", "Ulica Maršala Tita", "Školska"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 50}, {"hotmail.com", 20}, {"bih.net.ba", 15}, {"yahoo.com", 5}, {"outlook.com", 10}},
		tld:     "ba", bizForms: []ws{{"d.o.o.", 10}},
		bizReg: []string{"42###########"}, orgForm: "udruženje", orgReg: []string{"RU-###/##"},
		loc: [nLangs]string{"u Bosni i Hercegovini", "u Bosni i Hercegovini", "u Bosni i Hercegovini", "në Bosnjë e Hercegovinë"}},
	{code: "RS", cc: "381", lang: "sr",
		mobile: mob(7, "60", "61", "62", "63", "64", "65", "66", "69"),
		cities: []city{
			{name: "Novi Pazar", w: 1, pc: pcs("36300")}, {name: "Tutin", w: 1, pc: pcs("36320")},
			{name: "Požarevac", w: 1, pc: pcs("12000")}, {name: "Petrovac na Mlavi", w: 1, pc: pcs("12300")},
			{name: "Kučevo", w: 1, pc: pcs("12240")}, {name: "Žagubica", w: 1, pc: pcs("12320")},
			{name: "Smederevo", w: 1, pc: pcs("11300")}, {name: "Velika Plana", w: 1, pc: pcs("11320")},
			{name: "Jagodina", w: 1, pc: pcs("35000")}, {name: "Ćuprija", w: 1, pc: pcs("35230")},
			{name: "Paraćin", w: 1, pc: pcs("35250")}, {name: "Negotin", w: 1, pc: pcs("19300")},
			{name: "Zaječar", w: 1, pc: pcs("19000")}, {name: "Bor", w: 1, pc: pcs("19210")},
			{name: "Kraljevo", w: 1, pc: pcs("36000")}, {name: "Čačak", w: 1, pc: pcs("32000")},
			{name: "Kragujevac", w: 1, pc: pcs("34000")}, {name: "Niš", w: 1, pc: pcs("18000")},
			{name: "Beograd", w: 1, pc: pcs("11000")}, {name: "Kruševac", w: 1, pc: pcs("37000")},
			{name: "Valjevo", w: 1, pc: pcs("14000")}, {name: "Šabac", w: 1, pc: pcs("15000")},
		},
		streets: []string{"Kralja Petra I", "Vuka Karadžića", "Njegoševa", "Kneza Miloša", "Cara Dušana", "Svetog Save", "Nemanjina", "Karađorđeva", "Vojvode Mišića", "Kralja Aleksandra", "Stevana Nemanje", "Gavrila Principa"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 55}, {"yahoo.com", 10}, {"hotmail.com", 10}, {"eunet.rs", 10}, {"open.telekom.rs", 5}, {"outlook.com", 10}},
		tld:     "rs", bizForms: []ws{{"d.o.o.", 10}},
		bizReg: []string{"2#######"}, orgForm: "udruženje", orgReg: []string{"28######"},
		loc: [nLangs]string{"u Srbiji", "u Srbiji", "u Srbiji", "në Serbi"}},
	{code: "XK", cc: "383", lang: "sq",
		mobile:  mob(6, "43", "44", "45", "46", "49"),
		cities:  []city{{name: "Gjilan", w: 1, pc: pcs("60000")}},
		streets: []string{"Bulevardi i Pavarësisë", "Rruga Skënderbeu", "Rruga Nëna Terezë", "Rruga Adem Jashari", "Rruga Idriz Seferi", "Rruga Bajram Curri", "Rruga Ismail Qemali", "Rruga Abdyl Frashëri"},
		addr:    addrEU,
		mail:    []ws{{"gmail.com", 60}, {"hotmail.com", 25}, {"yahoo.com", 5}, {"outlook.com", 10}},
		tld:     "com", bizForms: []ws{{"Sh.p.k.", 10}},
		bizReg: []string{"81#######"}, orgForm: "OJQ", orgReg: []string{"5#######"},
		loc: [nLangs]string{"në Kosovë", "na Kosovu", "na Kosovu", "në Kosovë"}},
}

// Indexes of the home countries in countries.
var ciBA, ciRS, ciXK int

// residence[c] is the cumulative weight of countries for community c.
var residence [nCommunities][]int

func initCountries() {
	for i := range countries {
		c := &countries[i]
		switch c.code {
		case "BA":
			ciBA = i
		case "RS":
			ciRS = i
		case "XK":
			ciXK = i
		}
		sum := 0
		c.cumCity = make([]int, len(c.cities))
		for j := range c.cities {
			ct := &c.cities[j]
			sum += ct.w
			c.cumCity[j] = sum
			if ct.loc != "" {
				c.hubs = append(c.hubs, j)
			}
			if ct.hrLoc == "" {
				ct.hrLoc = ct.loc
			}
			for _, a := range ct.area {
				ct.phones = append(ct.phones, phoneSpec{p: a, n: 7, nanp: true})
			}
		}
	}
	for cm := range residence {
		cum := make([]int, len(countries))
		sum := 0
		for i := range countries {
			sum += countries[i].w[cm]
			cum[i] = sum
		}
		residence[cm] = cum
	}
}

// municipality is a home municipality. Those with localities are the offices'
// own; the others are where the rest of Serbia's emigrants come from.
type municipality struct {
	name    string
	country int         // index in countries
	land    []phoneSpec // fixed lines of the municipality (after the calling code)
	lang    int
}

// locality is one of a municipality's local communities.
type localityDef struct {
	name string
	muni int
	kind string
}

var (
	munis      []municipality
	localities []localityDef
	muniIndex  = map[string]int{}
)

// The offices' municipalities and their local communities (mjesne zajednice,
// bashkësi lokale): town, urban communities, larger settlements and villages.
var localityText = []struct {
	muni, country string
	lang          int
	land          []phoneSpec
	list          string
}{
	{"Cazin", "BA", langBS, mob(4, "3751"), "Cazin:t Ostrožac:s Stijena:v Pećigrad:v Tržac:v Tržačka Raštela:v Skokovi:v Šturlić:v Ćoralići:v Liskovac:v Krakača:v Mutnik:v Brezova Kosa:v Crnaja:v Koprivna:v Rujnica:v"},
	{"Bihać", "BA", langBS, mob(4, "3722", "3723"), "Bihać:t Pokoj:l Harmani:l Ozimice:l Ripač:s Kulen Vakuf:s Orašac:v Izačić:v Ćukovi:v Brekovica:v Pritoka:v Zavalje:v Golubić:v Kralje:v Žegar:v Gata:v"},
	{"Velika Kladuša", "BA", langBS, mob(4, "3777"), "Velika Kladuša:t Todorovo:v Šumatac:v Trnovi:v Vrnograč:s Polje:v Glinica:v Mala Kladuša:v Grabovac:v Stabandža:v Johovica:v Podzvizd:v Nepeka:v Bosanska Bojna:v Šiljkovača:v Zagrađe:v"},
	{"Gjilan", "XK", langSQ, mob(6, "280"), "Gjilan:t Bresalc:v Cërrnicë:v Dunav:v Gadish:v Kmetoc:v Livoç i Epërm:v Livoç i Poshtëm:v Lladovë:v Malishevë:v Muçibabë:v Përlepnicë:v Pogragjë:v Ponesh:v Velekincë:v Zhegër:v"},
	{"Travnik", "BA", langBS, mob(4, "3051"), "Travnik:t Dolac na Lašvi:s Nova Bila:s Guča Gora:v Turbe:s Pirota:v Putićevo:v Han Bila:v Mehurići:v Karaula:v Paklarevo:v Bijelo Bučje:v Kalibunar:l Šešići:v Ovčarevo:v Pokrajčići:v"},
	{"Tutin", "RS", langBS, mob(4, "2081"), "Tutin:t Ribariće:v Melaje:v Delimeđe:v Dolovo:v Crkvine:v Leskova:v Gradac:v"},
	{"Novi Pazar", "RS", langSR, mob(5, "203"), "Novi Pazar:t Deževa:v Sopoćani:v Postenje:v Pazarište:v Trnava:v Rajetiće:v Vidovo:v"},
}

// serbianMunis are the other Serbian municipalities emigrants come from
// (Braničevo, Pomoravlje, the Timok valley, Šumadija…), with weights.
var serbianMunis = []ws{
	{"Požarevac", 12}, {"Petrovac na Mlavi", 8}, {"Kučevo", 6}, {"Žagubica", 6}, {"Smederevo", 6},
	{"Velika Plana", 5}, {"Jagodina", 5}, {"Ćuprija", 5}, {"Paraćin", 6}, {"Negotin", 5},
	{"Zaječar", 4}, {"Bor", 3}, {"Kraljevo", 4}, {"Čačak", 4}, {"Kragujevac", 5}, {"Niš", 4},
	{"Beograd", 6}, {"Kruševac", 3}, {"Valjevo", 3}, {"Šabac", 3},
}

var kindCode = map[string]string{"t": "town", "s": "settlement", "v": "village", "l": "local_community"}

func countryIndex(code string) int {
	for i := range countries {
		if countries[i].code == code {
			return i
		}
	}
	panic("demo: no country " + code)
}

func initLocalities() {
	for _, m := range localityText {
		mi := len(munis)
		munis = append(munis, municipality{name: m.muni, country: countryIndex(m.country), land: m.land, lang: m.lang})
		muniIndex[m.muni] = mi
		for _, item := range splitLocalities(m.list) {
			localities = append(localities, localityDef{name: item[0], muni: mi, kind: kindCode[item[1]]})
		}
	}
	for _, s := range serbianMunis {
		muniIndex[s.s] = len(munis)
		munis = append(munis, municipality{name: s.s, country: ciRS, lang: langSR})
	}
}

// splitLocalities reads "Name One:k Name Two:k" into name and kind pairs.
func splitLocalities(s string) [][2]string {
	var out [][2]string
	var name []string
	for _, w := range strings.Fields(s) {
		if i := strings.LastIndexByte(w, ':'); i >= 0 {
			name = append(name, w[:i])
			out = append(out, [2]string{strings.Join(name, " "), w[i+1:]})
			name = name[:0]
			continue
		}
		name = append(name, w)
	}
	return out
}

// homePool is where a community's persons come from: weighted localities,
// or (for Serbs from elsewhere in Serbia) municipalities without a locality.
type homePool struct {
	loc    []int // locality indexes
	cumLoc []int
	// noLocShare of 100 come from serbianMunis instead.
	noLocShare int
	cumMuni    []int
}

var homes [nCommunities]homePool

func initHomes() {
	townWeight := func(k string) int {
		switch k {
		case "town":
			return 6
		case "local_community", "settlement":
			return 2
		}
		return 1
	}
	add := func(cm community, muniW map[string]int, only map[string]bool) {
		p := &homes[cm]
		sum := 0
		if len(p.cumLoc) > 0 {
			sum = p.cumLoc[len(p.cumLoc)-1]
		}
		for i, l := range localities {
			mw, ok := muniW[munis[l.muni].name]
			if !ok || (only != nil && !only[l.name]) {
				continue
			}
			sum += mw * townWeight(l.kind)
			p.loc = append(p.loc, i)
			p.cumLoc = append(p.cumLoc, sum)
		}
	}
	set := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	add(bosniakUSK, map[string]int{"Cazin": 45, "Bihać": 35, "Velika Kladuša": 20}, nil)
	add(bosniakSandzak, map[string]int{"Tutin": 1, "Novi Pazar": 1}, set("Tutin", "Ribariće", "Melaje", "Delimeđe", "Dolovo", "Crkvine", "Leskova", "Gradac", "Novi Pazar", "Pazarište", "Trnava", "Vidovo"))
	add(bosniakTravnik, map[string]int{"Travnik": 1}, set("Travnik", "Turbe", "Pirota", "Putićevo", "Han Bila", "Mehurići", "Karaula", "Paklarevo", "Kalibunar", "Šešići", "Pokrajčići", "Ovčarevo"))
	add(croatian, map[string]int{"Travnik": 1}, set("Travnik", "Dolac na Lašvi", "Nova Bila", "Guča Gora", "Bijelo Bučje", "Ovčarevo", "Kalibunar"))
	add(albanian, map[string]int{"Gjilan": 1}, nil)
	add(serbian, map[string]int{"Novi Pazar": 1}, set("Novi Pazar", "Deževa", "Sopoćani", "Postenje", "Pazarište", "Trnava", "Rajetiće"))
	homes[serbian].noLocShare = 70
	sum := 0
	for _, s := range serbianMunis {
		sum += s.w
		homes[serbian].cumMuni = append(homes[serbian].cumMuni, sum)
	}
}

// homeCountry is where a community's businesses at home are registered.
var homeCountry = [nCommunities]*int{bosniakUSK: &ciBA, bosniakSandzak: &ciRS, bosniakTravnik: &ciBA, albanian: &ciXK, serbian: &ciRS, croatian: &ciBA}

// cityIndex returns the index of a city by name in a country, or -1.
func (c *country) cityIndex(name string) int {
	for i := range c.cities {
		if c.cities[i].name == name {
			return i
		}
	}
	return -1
}

// residenceLang is the language spoken in a city of a country.
func residenceLang(c *country, ct *city) string {
	if ct.lang != "" {
		return ct.lang
	}
	return c.lang
}
