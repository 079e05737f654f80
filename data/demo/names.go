package demo

import (
	"strings"
	"sync"
	"unicode/utf8"

	"registar/data/fold"
)

// community is where a person's family comes from; it decides the names,
// the home municipality, the languages and where the family emigrated to.
type community uint8

const (
	bosniakUSK     community = iota // Bosniaks of Cazin, Bihać, Velika Kladuša
	bosniakSandzak                  // Bosniaks of Tutin and Novi Pazar
	bosniakTravnik                  // Bosniaks of Travnik
	albanian                        // Albanians of Gjilan
	serbian                         // Serbs of Novi Pazar and of Serbia's emigration regions
	croatian                        // Croats of Travnik (Lašva valley)
	nCommunities
)

// communityWeight is the share of each community among generated persons.
var communityWeight = [nCommunities]int{bosniakUSK: 38, bosniakSandzak: 6, bosniakTravnik: 4, albanian: 22, serbian: 20, croatian: 10}

// The languages of the communities (ISO 639-1), also used to pick professions,
// notes and organisation vocabulary.
const (
	langBS = iota
	langHR
	langSR
	langSQ
	nLangs
)

var langCode = [nLangs]string{"bs", "hr", "sr", "sq"}

var communityLang = [nCommunities]int{bosniakUSK: langBS, bosniakSandzak: langBS, bosniakTravnik: langBS, albanian: langSQ, serbian: langSR, croatian: langHR}

// nm is one name in the scripts it is written in, folded to lower-case
// ASCII for e-mail addresses and web slugs, and folded the way search and
// duplicate detection fold it (fold.Key: the same for both scripts).
type nm struct{ lat, cyr, ascii, key string }

// show is the name in Cyrillic when cyr is set and the name has a Cyrillic form.
func (n nm) show(cyr bool) string {
	if cyr && n.cyr != "" {
		return n.cyr
	}
	return n.lat
}

// nameSet holds the given and family names of a community.
type nameSet struct{ male, female, family []nm }

// names and the indexes into it are built at the first Count or Generate
// (prepare), not at package init: every run of both programs links this
// package, few generate demo data (names: 1.5 ms and 4,000 allocations of
// every start; the places, professions and the rest another 0.8 ms).
var (
	names       [nCommunities]nameSet
	idxDjordje  int
	idxPetrovic int
	idxCelik    int
	prepareOnce sync.Once
)

func prepare() {
	prepareOnce.Do(func() {
		// The tables the package's files once built in init, in their
		// files' order (the places need the countries first).
		initTwoDigits()
		initCyrAreas()
		initCountries()
		initLocalities()
		initHomes()
		initProfessions()
		names = buildNames()
		idxDjordje = findName(names[serbian].male, "Đorđe")
		idxPetrovic = findName(names[serbian].family, "Petrović")
		idxCelik = findName(names[albanian].family, "Çelik")
	})
}

const (
	bosniakMale = `Amir Edin Emir Adnan Elvir Mirza Senad Nermin Haris Kenan Almir Armin Dženan Samir
		Jasmin Alen Damir Enes Ermin Safet Sead Mehmed Hasan Husein Ibrahim Muhamed Omer Osman Suad
		Zlatan Fikret Midhat Nihad Vahid Admir Benjamin Tarik Kemal Asim Fadil Šefik Ćamil Mustafa
		Hamdija Sejad Džemal Muhidin Nedžad Rifet Esad Ismet Hajrudin Sabahudin Eldin Anes Adis`
	bosniakFemale = `Emina Selma Amra Lejla Aida Amela Azra Belma Dženana Edina Elma Enisa Fatima Hana Ilma
		Jasmina Lamija Medina Merima Mirela Nejra Nermina Sabina Sanela Senada Šejla Zehra Zumra
		Mersiha Alma Arnela Ajla Adisa Hajra Hatidža Fata Ramiza Safija Emira Vildana Minela Sumeja
		Naida Melisa Amina Dženita Elvira Ifeta Samira Sadeta`
	bosniakFamily = `Hodžić Mujkić Ćehajić Begić Bajrić Mujić Alagić Ćoralić Hadžić Dizdarević Omerović
		Kajtazović Mehić Šabić Muratović Delić Pehlić Halilović Mešić Hušidić Topić Čaušević
		Selimović Ramić Kadić Mustafić Husić Hasanović Pašić Kurtović Islamović Suljić Mahmutović
		Ćatić Šahinović Velagić Abdić Latić Zulić Bećirević Kekić Bajramović Mulalić Midžić
		Ćerimović Dedić Softić Tahirović Nuhanović Jusić Beganović Salkić Šehić Keranović Karajić
		Makić Čelik Kovačević Đulić Skenderović Ružnić Hamzić`
	sandzakFamily = `Kučević Mulić Ljajić Škrijelj Dupljak Ademović Ramović Hamidović Kurtanović Bihorac
		Gegić Mujović Nokić Šaćirović Hodžić Fetahović Zornić Hadžibulić Biševac Mehmedović
		Kalač Suljović Hasković Ganić Murić Pepić Šabotić Ličina Camović Kajević`
	serbianMale = `Đorđe Nikola Marko Stefan Milan Dragan Zoran Goran Nenad Miloš Aleksandar Dejan
		Vladimir Srđan Dušan Miroslav Slobodan Bojan Nemanja Predrag Dragoljub Radomir Živorad
		Ljubiša Vukašin Lazar Uroš Vuk Petar Jovan Branislav Željko Saša Milovan Radoš Momčilo
		Novica Dobrivoje Luka Ivan Dragiša Živko Mladen Ognjen Filip Vojislav Radovan Obrad`
	serbianFemale = `Milica Jelena Ana Marija Ivana Jovana Dragana Snežana Gordana Vesna Biljana Tijana
		Teodora Katarina Sanja Milena Nataša Svetlana Ljiljana Dušica Zorica Mirjana Slađana
		Danijela Branka Radmila Olivera Nevena Anđela Jasna Ružica Desanka Sofija Tamara Dragica
		Stana Ljubica Vera Bojana Marina Jovanka Nada`
	serbianFamily = `Petrović Jovanović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović
		Milošević Popović Đurić Živković Todorović Ristić Lazić Kostić Mitrović Radovanović Simić
		Stevanović Milenković Marinković Jovičić Obradović Tomić Vasić Filipović Radosavljević
		Bogdanović Lukić Stojković Cvetković Milovanović Ranković Živanović Spasić Janković
		Veljković Đukić Mladenović Savić Kovačević Jeremić Vučković Nedeljković Stamenković
		Mihajlović Ćirić Dimitrijević Ljubenović`
	croatianMale = `Ivan Ante Josip Marko Mario Tomislav Stjepan Dario Krešimir Zvonimir Davor Ivica Mato
		Pero Frano Dražen Igor Luka Mate Nikola Robert Zdravko Franjo Slavko Anto Ilija Mijo
		Dominik Jozo Marinko Vlado Mladen Niko Darko Branimir Kristijan`
	croatianFemale = `Ana Marija Ivana Kata Mara Ivanka Anita Martina Petra Snježana Vesna Kristina Maja
		Andrea Nikolina Katarina Ljubica Dubravka Jelena Ruža Lucija Mirela Matea Antonija Zrinka
		Anica Danijela Marijana Jozefina Slavica`
	croatianFamily = `Horvat Kovačević Babić Marić Jurić Perić Tadić Lovrić Grgić Barišić Rajić Bošnjak
		Matić Jukić Mikulić Blažević Vidović Lučić Jozić Pejić Tomić Knežević Andrić Filipović
		Kristić Pranjić Šantić Zovko Vukadin Kovač Jelić Ljubić Bilić Krišto Garić Franjić Bošković`
	albanianMale = `Arbër Blerim Agon Ardian Arben Besnik Bujar Driton Fatmir Fisnik Gëzim Ilir Kushtrim
		Labinot Liridon Lulzim Mërgim Valon Visar Xhevdet Shpëtim Naim Ramadan Skender Florim
		Faton Afrim Bekim Burim Dardan Egzon Endrit Engjëll Granit Jetmir Leutrim Mentor Nexhat
		Përparim Qëndrim Rinor Shkëlzen Ylli Hysen Adem Bajram Sabri Xhemajl Isa Feim`
	albanianFemale = `Vjosa Drita Albulena Arta Blerta Besa Donika Elira Fitore Flutura Gentiana Jehona
		Kaltrina Lumturie Liridona Majlinda Merita Mimoza Nora Qëndresa Rrezarta Shqipe Teuta
		Valbona Vjollca Zana Zamira Arjeta Blerina Diellza Edona Ermira Fjolla Lirije Lindita
		Shpresa Yllka Zyrafete Hava Xhevahire Mirlinda Arbnora Dafina Erëza`
	albanianFamily = `Krasniqi Berisha Gashi Hoxha Morina Shala Kelmendi Bytyqi Hasani Rexhepi Ahmeti
		Aliu Mustafa Salihu Zeqiri Sylejmani Rama Osmani Hyseni Syla Musliu Ibrahimi Jashari
		Halili Kastrati Maliqi Murati Nuhiu Limani Hajdari Ismaili Çelik Çitaku Çeku Ramadani
		Zymberi Demiri Emini Kurteshi Mehmeti Ademi Bajrami Sadiku Shabani Haziri Idrizi Sejdiu
		Abdullahu Rexha Kadriu Qerimi Musa Dërmaku Kryeziu`
)

func buildNames() (names [nCommunities]nameSet) {
	names[bosniakUSK] = nameSet{mkNames(bosniakMale, false), mkNames(bosniakFemale, false), mkNames(bosniakFamily, false)}
	names[bosniakTravnik] = names[bosniakUSK]
	names[bosniakSandzak] = nameSet{names[bosniakUSK].male, names[bosniakUSK].female, mkNames(sandzakFamily, false)}
	names[serbian] = nameSet{mkNames(serbianMale, true), mkNames(serbianFemale, true), mkNames(serbianFamily, true)}
	names[croatian] = nameSet{mkNames(croatianMale, false), mkNames(croatianFemale, false), mkNames(croatianFamily, false)}
	names[albanian] = nameSet{mkNames(albanianMale, false), mkNames(albanianFemale, false), mkNames(albanianFamily, false)}
	return names
}

// mkNames splits a list of names; cyr also gives each its Serbian Cyrillic form.
func mkNames(list string, cyr bool) []nm {
	f := strings.Fields(list)
	out := make([]nm, len(f))
	for i, s := range f {
		out[i] = nm{lat: s, ascii: asciiFold(s), key: fold.Key(s)}
		if cyr {
			out[i].cyr = toCyrillic(s)
		}
	}
	return out
}

// findName returns the index of a name in a list; the generator uses it to
// place the persons that acceptance tests search for.
func findName(list []nm, lat string) int {
	for i, n := range list {
		if n.lat == lat {
			return i
		}
	}
	panic("demo: name " + lat + " is not in the tables")
}

// latToCyr is the Serbian Latin → Cyrillic alphabet (one-letter part).
var latToCyr = map[rune]rune{
	'a': 'а', 'b': 'б', 'c': 'ц', 'č': 'ч', 'ć': 'ћ', 'd': 'д', 'đ': 'ђ', 'e': 'е', 'f': 'ф',
	'g': 'г', 'h': 'х', 'i': 'и', 'j': 'ј', 'k': 'к', 'l': 'л', 'm': 'м', 'n': 'н', 'o': 'о',
	'p': 'п', 'r': 'р', 's': 'с', 'š': 'ш', 't': 'т', 'u': 'у', 'v': 'в', 'z': 'з', 'ž': 'ж',
	'A': 'А', 'B': 'Б', 'C': 'Ц', 'Č': 'Ч', 'Ć': 'Ћ', 'D': 'Д', 'Đ': 'Ђ', 'E': 'Е', 'F': 'Ф',
	'G': 'Г', 'H': 'Х', 'I': 'И', 'J': 'Ј', 'K': 'К', 'L': 'Л', 'M': 'М', 'N': 'Н', 'O': 'О',
	'P': 'П', 'R': 'Р', 'S': 'С', 'Š': 'Ш', 'T': 'Т', 'U': 'У', 'V': 'В', 'Z': 'З', 'Ž': 'Ж',
}

// toCyrillic transliterates Serbian Latin to Cyrillic, with the digraphs
// lj, nj and dž. It is meant for the word lists here (names, professions),
// not for arbitrary text: foreign words would need exceptions.
func toCyrillic(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i+1 < len(rs) {
			next := rs[i+1]
			switch {
			case (r == 'L' || r == 'l') && (next == 'j' || next == 'J'):
				b.WriteRune(pick(r == 'L', 'Љ', 'љ'))
				i++
				continue
			case (r == 'N' || r == 'n') && (next == 'j' || next == 'J'):
				b.WriteRune(pick(r == 'N', 'Њ', 'њ'))
				i++
				continue
			case (r == 'D' || r == 'd') && (next == 'ž' || next == 'Ž'):
				b.WriteRune(pick(r == 'D', 'Џ', 'џ'))
				i++
				continue
			}
		}
		if c, ok := latToCyr[r]; ok {
			b.WriteRune(c)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func pick(c bool, a, b rune) rune {
	if c {
		return a
	}
	return b
}

// asciiMap folds the letters of the region's languages (and of the cities
// abroad) to ASCII, the way people spell their e-mail addresses.
var asciiMap = map[rune]string{
	'č': "c", 'ć': "c", 'ç': "c", 'đ': "dj", 'š': "s", 'ž': "z", 'ë': "e", 'é': "e", 'è': "e",
	'ê': "e", 'ä': "a", 'à': "a", 'â': "a", 'á': "a", 'å': "a", 'æ': "ae", 'ö': "o", 'ô': "o",
	'ó': "o", 'ø': "o", 'ü': "u", 'ù': "u", 'û': "u", 'ú': "u", 'ß': "ss", 'ı': "i", 'î': "i",
	'í': "i", 'ï': "i", 'ş': "s", 'ğ': "g", 'ñ': "n", 'œ': "oe",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ђ': "dj", 'е': "e", 'ж': "z", 'з': "z",
	'и': "i", 'ј': "j", 'к': "k", 'л': "l", 'љ': "lj", 'м': "m", 'н': "n", 'њ': "nj", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ћ': "c", 'у': "u", 'ф': "f", 'х': "h", 'ц': "c",
	'ч': "c", 'џ': "dz", 'ш': "s",
}

// asciiFold lower-cases s and folds it to ASCII letters and digits; every
// other character is dropped.
func asciiFold(s string) string {
	return slug(s, 0, 0)
}

// slug folds s to lower-case ASCII; runs of anything that is not a letter or
// a digit become one sep (none when sep is 0). max > 0 cuts the result at a
// word boundary near max bytes.
func slug(s string, sep byte, max int) string {
	b := make([]byte, 0, len(s))
	pending := false
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		} else if r >= utf8.RuneSelf {
			r = toLowerRune(r)
		}
		var add string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			add = string(r)
		default:
			add = asciiMap[r]
		}
		if add == "" {
			pending = len(b) > 0
			continue
		}
		if pending && sep != 0 {
			if max > 0 && len(b) >= max {
				break
			}
			b = append(b, sep)
		}
		pending = false
		b = append(b, add...)
	}
	return string(b)
}

// stopWords are left out of web and mail names.
var stopWords = map[string]bool{"u": true, "i": true, "iz": true, "e": true, "ne": true, "na": true, "za": true,
	"s": true, "sa": true, "v": true, "te": true, "and": true, "of": true}

// domainSlug is a name folded for a domain, a Facebook page or a mailbox:
// the words without prepositions and legal-form letters, joined by sep and
// cut at a word boundary within max bytes.
func domainSlug(s string, sep byte, max int) string {
	words := strings.Fields(slug(s, ' ', 0))
	b := make([]byte, 0, max)
	for _, w := range words {
		if stopWords[w] || len(w) <= 2 && w != "bh" && w != "it" {
			continue
		}
		extra := len(w)
		if len(b) > 0 && sep != 0 {
			extra++
		}
		if len(b) > 0 && len(b)+extra > max {
			break
		}
		if len(b) > 0 && sep != 0 {
			b = append(b, sep)
		}
		b = append(b, w...)
	}
	return string(b)
}

// toLowerRune lower-cases the capitals the tables use.
func toLowerRune(r rune) rune {
	switch {
	case r >= 'А' && r <= 'Я':
		return r + ('а' - 'А')
	case r >= 'Ѐ' && r <= 'Џ':
		return r + ('ѐ' - 'Ѐ')
	case r == 'İ':
		return 'i'
	}
	if lr, ok := upperLatin[r]; ok {
		return lr
	}
	return r
}

var upperLatin = map[rune]rune{
	'Č': 'č', 'Ć': 'ć', 'Ç': 'ç', 'Đ': 'đ', 'Š': 'š', 'Ž': 'ž', 'Ë': 'ë', 'É': 'é', 'È': 'è',
	'Ä': 'ä', 'Å': 'å', 'Æ': 'æ', 'Ö': 'ö', 'Ø': 'ø', 'Ü': 'ü', 'Ş': 'ş', 'Â': 'â', 'Ô': 'ô',
}
