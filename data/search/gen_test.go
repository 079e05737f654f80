package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"registar/data"
	"registar/data/fold"
)

// Realistic names for generated persons: Bosnian, Serbian in both scripts,
// Albanian; cities of the diaspora; professions in the languages people
// write them in.
var (
	bsGiven = []string{"Adnan", "Amir", "Emir", "Haris", "Kenan", "Mirza", "Edin", "Nermin", "Senad", "Almir",
		"Dženan", "Jasmin", "Mehmed", "Ćamil", "Šefik", "Zlatan", "Armin", "Samir", "Nedžad", "Amra", "Lejla",
		"Selma", "Aida", "Emina", "Merima", "Azra", "Ajla", "Dženana", "Šejla", "Alma", "Nermina", "Hatidža",
		"Zehra", "Belma", "Đulsa", "Mersiha"}
	bsFamily = []string{"Hodžić", "Mujić", "Kovačević", "Begić", "Delić", "Hadžić", "Ćehajić", "Šehić",
		"Salihović", "Mehmedović", "Husić", "Omerović", "Pašić", "Alić", "Kadić", "Zulić", "Imamović",
		"Halilović", "Dedić", "Čaušević", "Ramić", "Kurtović", "Babić", "Topić", "Muminović", "Đulić",
		"Mešić", "Hasanović", "Ibrahimović", "Softić", "Čelik"}
	srGiven = []string{"Đorđe", "Marko", "Nikola", "Stefan", "Miloš", "Dragan", "Nenad", "Vladimir", "Dejan",
		"Jovan", "Milica", "Jelena", "Ana", "Ivana", "Dragana", "Snežana", "Ljiljana", "Gordana", "Bojana",
		"Tijana", "Đurđa", "Njegoš"}
	srFamily = []string{"Petrović", "Jovanović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić",
		"Stanković", "Pavlović", "Milošević", "Todorović", "Živković", "Savić", "Lazić", "Kostić", "Ristić",
		"Mitrović", "Đukić", "Popović", "Vuković", "Šarić", "Čolić", "Njegovan", "Ljubić"}
	srCyrGiven = []string{"Ђорђе", "Марко", "Никола", "Стефан", "Милош", "Драган", "Ненад", "Владимир",
		"Дејан", "Јован", "Милица", "Јелена", "Ана", "Ивана", "Драгана", "Снежана", "Љиљана", "Гордана",
		"Бојана", "Тијана", "Ђурђа", "Његош"}
	srCyrFamily = []string{"Петровић", "Јовановић", "Николић", "Марковић", "Ђорђевић", "Стојановић", "Илић",
		"Станковић", "Павловић", "Милошевић", "Тодоровић", "Живковић", "Савић", "Лазић", "Костић", "Ристић",
		"Митровић", "Ђукић", "Поповић", "Вуковић", "Шарић", "Чолић", "Љубић"}
	sqGiven = []string{"Arben", "Besnik", "Driton", "Fatmir", "Gëzim", "Ilir", "Kujtim", "Labinot", "Valon",
		"Agron", "Blerim", "Shkëlzen", "Arta", "Blerta", "Drita", "Fjolla", "Mimoza", "Teuta", "Vlora",
		"Qëndresa", "Xhevdet", "Gjergj", "Lumnije", "Ardianë"}
	sqFamily = []string{"Krasniqi", "Gashi", "Berisha", "Morina", "Shala", "Hoxha", "Bytyçi", "Kryeziu",
		"Rexhepi", "Ahmeti", "Hajdari", "Çelik", "Selimi", "Zeqiri", "Limani", "Jashari", "Thaçi", "Mustafa",
		"Gjoka", "Dërmaku", "Gjilani", "Xhemajli"}
	cities = []struct{ country, city string }{
		{"DE", "München"}, {"DE", "Stuttgart"}, {"DE", "Frankfurt am Main"}, {"DE", "Berlin"}, {"DE", "Köln"},
		{"DE", "Düsseldorf"}, {"AT", "Wien"}, {"AT", "Beč"}, {"AT", "Linz"}, {"AT", "Graz"}, {"AT", "Salzburg"},
		{"CH", "Zürich"}, {"CH", "Basel"}, {"CH", "Luzern"}, {"CH", "St. Gallen"}, {"SE", "Göteborg"},
		{"SE", "Malmö"}, {"SE", "Stockholm"}, {"US", "Chicago"}, {"US", "St. Louis"}, {"US", "New York"},
		{"CA", "Toronto"}, {"AU", "Sydney"}, {"SI", "Ljubljana"}, {"NO", "Oslo"}, {"DK", "København"},
		{"NL", "Amsterdam"}, {"BE", "Bruxelles"}, {"FR", "Paris"}, {"IT", "Milano"}, {"DE", "Минхен"},
		{"AT", "Беч"}, {"CH", "Cyrih"},
	}
	professions = []string{"inženjer", "ljekar", "medicinska sestra", "električar", "vozač", "kuhar",
		"programer", "arhitekt", "profesor", "ekonomista", "mehaničar", "zidar", "frizer", "konobar", "stolar",
		"инжењер", "лекар", "возач", "програмер", "mjek", "inxhinier", "mësues", "shofer", "elektricist",
		"kuzhinier", "Softwareentwickler", "Krankenpfleger"}
	municipalities = []string{"Cazin", "Bihać", "Velika Kladuša", "Bužim", "Sanski Most", "Gjilan",
		"Kamenica", "Viti", "Prishtinë", "Beograd", "Novi Pazar", "Kraljevo", "Niš", "Ђорђево", "Цазин"}
	tags      = []string{"IT", "građevina", "zdravstvo", "turizam", "poljoprivreda", "mentorstvo", "kultura", "sport"}
	domains   = []string{"gmail.com", "hotmail.com", "gmx.de", "yahoo.com", "outlook.com", "bluewin.ch", "web.de"}
	educs     = data.Educations
	interests = data.Interests
)

// Family names are roots and endings, as South Slavic names are built, so
// that a 100,000-person registry has the thousands of names a real one has.
var (
	slavicRoots = []string{"Petr", "Jovan", "Nikol", "Mark", "Đorđ", "Stojan", "Stank", "Pavl", "Miloš", "Todor",
		"Živk", "Sav", "Laz", "Kost", "Rist", "Mitr", "Đuk", "Pop", "Vuk", "Šar", "Čol", "Ljub", "Hodž", "Muj",
		"Kovač", "Beg", "Del", "Hadž", "Ćehaj", "Šeh", "Salih", "Mehmed", "Hus", "Omer", "Paš", "Al", "Kad", "Zul",
		"Imam", "Halil", "Ded", "Čauš", "Ram", "Kurt", "Bab", "Top", "Mumin", "Meš", "Hasan", "Ibrahim", "Soft",
		"Bajr", "Redž", "Suljag", "Mustaf", "Smajl", "Avd", "Ahmet", "Hurem", "Džaf", "Njeg", "Radovan", "Milut",
		"Bogdan", "Obrad", "Vasilj", "Dragutin", "Stefan", "Rad", "Mil", "Đur", "Ćos", "Fazl", "Osman", "Sulejman",
		"Jusuf", "Ademov", "Karal", "Tal", "Husejn"}
	slavicEnds = []string{"ić", "ović", "ević", "inović", "ić", "ović"}
)

// cyr writes Serbian Latin in Cyrillic, for generated Cyrillic records.
func cyr(s string) string { return cyrReplacer.Replace(s) }

var cyrReplacer = strings.NewReplacer("Lj", "Љ", "lj", "љ", "Nj", "Њ", "nj", "њ", "Dž", "Џ", "dž", "џ",
	"A", "А", "B", "Б", "V", "В", "G", "Г", "D", "Д", "Đ", "Ђ", "E", "Е", "Ž", "Ж", "Z", "З", "I", "И",
	"J", "Ј", "K", "К", "L", "Л", "M", "М", "N", "Н", "O", "О", "P", "П", "R", "Р", "S", "С", "T", "Т",
	"Ć", "Ћ", "U", "У", "F", "Ф", "H", "Х", "C", "Ц", "Č", "Ч", "Š", "Ш",
	"a", "а", "b", "б", "v", "в", "g", "г", "d", "д", "đ", "ђ", "e", "е", "ž", "ж", "z", "з", "i", "и",
	"j", "ј", "k", "к", "l", "л", "m", "м", "n", "н", "o", "о", "p", "п", "r", "р", "s", "с", "t", "т",
	"ć", "ћ", "u", "у", "f", "ф", "h", "х", "c", "ц", "č", "ч", "š", "ш")

// genPerson makes a plausible person numbered i.
func genPerson(r *rand.Rand, i int) *data.Person {
	var given, family []string
	script := r.IntN(10)
	switch script {
	case 0, 1, 2, 3:
		given, family = bsGiven, bsFamily
	case 4, 5:
		given, family = srGiven, srFamily
	case 6, 7:
		given, family = srCyrGiven, srCyrFamily
	default:
		given, family = sqGiven, sqFamily
	}
	p := &data.Person{
		GivenName:  pick(r, given),
		FamilyName: pick(r, family),
		ParentName: pick(r, given),
	}
	if script < 8 && r.IntN(3) > 0 {
		p.FamilyName = pick(r, slavicRoots) + pick(r, slavicEnds)
		if script >= 6 {
			p.FamilyName = cyr(p.FamilyName)
		}
	}
	p.ID = fmt.Sprintf("p%07d", i)
	p.Kind = data.KindPerson
	p.CreatedAt = time.Date(2024+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), 10, 0, 0, 0, time.UTC)
	c := cities[r.IntN(len(cities))]
	p.Country, p.City = c.country, c.city
	p.Gender = pick(r, data.Genders)
	p.HomeMunicipality = pick(r, municipalities)
	p.LocalityID = fmt.Sprintf("loc%03d", r.IntN(120))
	p.Profession = pick(r, professions)
	p.Education = pick(r, educs)
	p.Generation = 1 + r.IntN(3)
	p.EmigrationYear = 1965 + r.IntN(60)
	p.Email = strings.ReplaceAll(fold.Key(p.GivenName+" "+p.FamilyName), " ", ".") +
		fmt.Sprint(r.IntN(100)) + "@" + pick(r, domains)
	p.Phone = fmt.Sprintf("+%d%d", []int{49, 43, 41, 46, 1, 387}[r.IntN(6)], 100000000+r.IntN(900000000))
	for _, in := range interests {
		if r.IntN(4) == 0 {
			p.Interests = append(p.Interests, in)
		}
	}
	if r.IntN(3) == 0 {
		p.Tags = append(p.Tags, pick(r, tags))
	}
	p.ConsentContact.Given = r.IntN(3) > 0
	p.ConsentPublish.Given = r.IntN(2) > 0
	return p
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// genDocs makes n person docs, deterministic for a seed.
func genDocs(seed uint64, n int) []Doc {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = DocOf(genPerson(r, i))
	}
	return docs
}
