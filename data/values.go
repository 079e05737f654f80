package data

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"registar/data/fold"
	"registar/data/i18n"
)

// Coded values (gender, education, interests, kinds, …) are stored as
// codes ("f", "bachelor", "invest") and shown by their labels in
// data/i18n/catalog/values.<lang>.json (keys value.<group>.<code>). The
// parsers below read what people type in forms and spreadsheets: the code,
// the label in any of the six languages, or a common short form, blind to
// case, diacritics and script (through fold.Key).

// The value groups, as used in ValueLabel and ParseValue.
const (
	GroupGender       = "gender"
	GroupEducation    = "education"
	GroupInterest     = "interest"
	GroupOrgKind      = "org_kind"
	GroupLocalityKind = "locality_kind"
	GroupShare        = "share"
	GroupConsentHow   = "consent_how"
	GroupSource       = "source"
	GroupGeneration   = "generation"

	groupYesNo = "yesno" // labels value.yes, value.no; read with ParseYesNo
)

// valueCodes lists the codes of every group, in the order forms show them.
var valueCodes = map[string][]string{
	GroupGender:       Genders,
	GroupEducation:    Educations,
	GroupInterest:     Interests,
	GroupOrgKind:      OrganisationKinds,
	GroupLocalityKind: LocalityKinds,
	GroupShare:        {"owner", "co-owner"},
	GroupConsentHow:   ConsentWays,
	GroupSource:       {string(SourceOffice), string(SourceField), string(SourceImport), string(SourceBundle), string(SourceDemo)},
	GroupGeneration:   {"1", "2", "3"},
	groupYesNo:        {"yes", "no"},

	GroupActivityKind:    ActivityKinds,
	GroupParticipation:   ParticipationStatuses,
	GroupRole:            ParticipationRoles,
	GroupCommentResponse: CommentResponses,
	GroupChannel:         Channels,
	GroupDeliveryStatus:  DeliveryStatuses,
}

// ValueCodes are the codes of a value group, in the order forms show them
// (a copy: callers may keep it).
func ValueCodes(group string) []string { return append([]string(nil), valueCodes[group]...) }

// valueAliases are the short and everyday forms people write besides the
// labels of the catalogue (which are always accepted, in every language).
// They are folded, so "Ž", "ž", "z" and "ж" are one alias — and so VŠS
// (viša stručna sprema) and VSS (visoka) cannot be told apart and are left out.
var valueAliases = map[string]map[string][]string{
	GroupGender: {
		"f": {"ž", "F", "W", "žensko", "ženska", "žena", "female", "woman", "femër", "femërore", "grua", "femra"},
		"m": {"M", "muško", "muški", "muškarac", "male", "man", "mashkull", "mashkullore", "burrë", "meshkuj"},
	},
	GroupEducation: {
		"primary":    {"OŠ", "osnovna", "osnovno", "NSS", "fillore", "elementary"},
		"secondary":  {"SSS", "srednja", "srednje", "KV", "VKV", "e mesme", "high school", "gimnazija"},
		"vocational": {"viša", "viša stručna sprema", "viša škola", "e lartë profesionale"},
		"bachelor":   {"visoka stručna sprema", "visoka", "fakultet", "BSc", "BA", "diplomirani", "univerzitet", "sveučilište", "universitet", "bachelor's"},
		"master":     {"mr", "mr.sc.", "magistar", "magistra", "magisterij", "MSc", "MA", "magjistër", "master's"},
		"doctorate":  {"dr", "dr.sc.", "doktor", "doktorica", "PhD", "doktorat", "doktoraturë", "doctor"},
	},
	GroupInterest: {
		"invest":    {"investicije", "investiranje", "ulaganje", "ulaganja", "investime", "investim", "investment", "investing"},
		"return":    {"povratak", "povratnik", "kthim", "kthimi", "returning", "return home"},
		"business":  {"biznis", "posao", "preduzetništvo", "poduzetništvo", "biznes", "sipërmarrje", "start a business"},
		"volunteer": {"volonter", "volontiranje", "mentor", "mentorstvo", "vullnetar", "vullnetarizëm", "mentorim", "volunteering", "mentoring"},
		"culture":   {"kultura", "kulturë", "cultural"},
	},
	GroupOrgKind: {
		"diaspora_association": {"udruženje dijaspore", "dijaspora", "iseljenička udruga", "iseljenici", "diaspora", "shoqata e diasporës", "diaspora association"},
		"cso":                  {"OCD", "NVO", "NGO", "OJQ", "nevladina organizacija", "udruženje građana", "udruga građana", "organizatë joqeveritare", "civil society"},
		"umbrella":             {"savez", "krovna", "krovno", "federacija", "ombrellë", "umbrella body"},
		"cultural":             {"KUD", "kulturno", "kulturno-umjetničko društvo", "kulturno-umetničko društvo", "kulturore", "culture"},
		"sports":               {"sport", "sportski", "sportsko", "sportski klub", "klub sportiv", "sportive"},
		"religious":            {"vjerska zajednica", "verska zajednica", "džemat", "xhemat", "crkvena", "fetare", "religion"},
		"professional":         {"strukovno", "strukovno udruženje", "profesionalno", "profesionale"},
		"humanitarian":         {"humanitarno", "humanitare"},
		"youth":                {"omladina", "omladinsko", "mladi", "mladež", "rinia", "rinore", "youth organisation"},
		"women":                {"žene", "ženska udruga", "udruženje žena", "udruga žena", "gratë", "women", "women's organisation"},
		"other":                {"drugo", "ostalo", "tjetër", "tjeter", "other"},
	},
	GroupLocalityKind: {
		"local_community": {"MZ", "mjesna zajednica", "mjesni odbor", "bashkësi lokale"},
		"settlement":      {"naselje", "vendbanim"},
		"village":         {"selo", "fshat"},
		"town":            {"grad", "varoš", "qytet", "city"},
	},
	GroupShare: {
		"owner":    {"vlasnik", "vlasnica", "pronar", "pronare", "sole owner"},
		"co-owner": {"suvlasnik", "suvlasnica", "bashkëpronar", "co owner", "coowner", "partner"},
	},
	GroupConsentHow: {
		"written": {"pismeno", "pisano", "pismena", "me shkrim", "in writing", "writing", "paper"},
		"verbal":  {"usmeno", "usmena", "me gojë", "verbally", "oral", "orally", "telefonom"},
		"online":  {"internet", "e-mail", "email", "putem interneta", "onlajn"},
		"form":    {"obrazac", "na obrascu", "formular", "formulari", "registration form"},
	},
	GroupGeneration: {
		"1": {"I", "1.", "prva", "prvi", "first", "e parë", "i parë"},
		"2": {"II", "2.", "druga", "drugi", "second", "e dytë", "i dytë"},
		"3": {"III", "3.", "treća", "treći", "third", "e tretë", "i tretë"},
	},
	GroupActivityKind: {
		"meeting":        {"sastanak", "састанак", "takim", "takimi", "mbledhje", "meeting"},
		"cultural":       {"kultura", "kulturni program", "koncert", "izložba", "festival", "kulturë", "ekspozitë", "culture", "concert", "exhibition"},
		"sports":         {"sport", "sportski", "turnir", "sportive", "turne", "tournament", "match"},
		"summer_school":  {"ljetna škola", "letnja škola", "ljetni kamp", "letnji kamp", "kamp", "shkolla verore", "kamp veror", "summer camp"},
		"session":        {"sjednica", "sednica", "skupština", "vijeće", "veće", "savjet", "savet", "sesija skupštine", "seancë", "kuvend", "këshill", "council", "assembly"},
		"consultation":   {"konsultacije", "konsultacija", "savjetovanje", "javne konsultacije", "javna rasprava", "e-konsultacije", "konsultim", "konsultime", "dëgjim publik", "public consultation"},
		"info_session":   {"informativni sastanak", "info sesija", "info dan", "tribina", "informativna sesija", "informisanje", "sesion informues", "info day", "information day"},
		"business_forum": {"poslovni forum", "biznis forum", "poslovni susret", "forum biznesi", "forumi i biznesit", "business meeting", "investment forum"},
		"visit":          {"posjeta", "posjet", "poseta", "studijska posjeta", "vizitë", "vizita", "study visit"},
		"training":       {"obuka", "edukacija", "radionica", "seminar", "osposobljavanje", "trajnim", "punëtori", "workshop", "course"},
		"other":          {"drugo", "ostalo", "tjetër", "tjeter", "other"},
	},
	GroupParticipation: {
		"invited":    {"pozvan", "pozvana", "pozvani", "poziv", "ftuar", "i ftuar", "e ftuar", "invitation"},
		"registered": {"prijavljen", "prijavljena", "prijavljeni", "prijava", "regjistruar", "e regjistruar", "signed up", "registration"},
		"attended":   {"prisutan", "prisutna", "prisutni", "prisustvovao", "prisustvovala", "bio", "došao", "došla", "i pranishëm", "e pranishme", "pranishëm", "prezent", "erdhi", "present", "attended", "came"},
		"excused":    {"opravdano", "opravdan", "opravdana", "ispričan", "ispričana", "izvinjen", "izvinjena", "i arsyetuar", "e arsyetuar", "arsyetuar", "apologies", "excused"},
		"absent":     {"odsutan", "odsutna", "odsutni", "nije došao", "nije došla", "nije bio", "mungon", "mungoi", "i munguar", "munguar", "no show", "no-show", "absent"},
	},
	GroupRole: {
		"participant": {"učesnik", "učesnica", "sudionik", "sudionica", "polaznik", "polaznica", "pjesëmarrës", "pjesëmarrëse", "attendee"},
		"organiser":   {"organizator", "organizatorka", "organizatorica", "organizer", "organizatore", "host", "domaćin"},
		"speaker":     {"govornik", "govornica", "predavač", "predavačica", "izlagač", "izlagačica", "panelist", "folës", "folëse", "ligjërues", "ligjëruese", "lecturer"},
		"guest":       {"gost", "gošća", "gosti", "počasni gost", "mysafir", "mysafire", "i nderuar"},
		"volunteer":   {"volonter", "volonterka", "volonterica", "vullnetar", "vullnetare"},
	},
	GroupCommentResponse: {
		"accepted": {"prihvaćen", "prihvaćeno", "prihvaćena", "usvojen", "usvojeno", "pranohet", "pranuar", "e pranuar", "accept", "da", "po", "yes"},
		"partly":   {"djelimično", "djelomično", "delimično", "djelimično usvojen", "djelomično usvojen", "pjesërisht", "pranuar pjesërisht", "partially", "partial", "partly"},
		"rejected": {"odbijen", "odbijeno", "nije usvojen", "neprihvaćen", "nuk pranohet", "refuzuar", "refuzohet", "e refuzuar", "not accepted", "rejected", "reject", "ne", "jo", "no"},
		"noted":    {"na znanje", "primljeno", "primljeno na znanje", "u dijeni", "në dijeni", "merret në dijeni", "taken note", "noted", "note"},
	},
	groupYesNo: {
		"yes": {"da", "d", "y", "yes", "po", "p", "x", "1", "true", "ja", "oui", "si", "jeste", "ok"},
		"no":  {"ne", "n", "no", "jo", "0", "false", "nije", "nein", "non"},
	},
}

// valueParser reads the values of one group.
type valueParser struct {
	exact map[string]string // fold.Key of a code, label or alias → code
	weak  map[string]string // a word only one code's labels have → code
}

var (
	valuesOnce   sync.Once
	valueParsers map[string]*valueParser
	// valueClashes lists folded forms that two codes of one group share
	// (the code, then the labels, then the aliases win); tests report them.
	valueClashes []string
)

func buildValueParsers() {
	valueParsers = map[string]*valueParser{}
	langs := append([]i18n.Lang{i18n.EN}, i18n.All...)
	groups := make([]string, 0, len(valueCodes))
	for g := range valueCodes {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, group := range groups {
		codes := valueCodes[group]
		p := &valueParser{exact: map[string]string{}, weak: map[string]string{}}
		add := func(s, code string) {
			k := fold.Key(s)
			if k == "" {
				return
			}
			if old, ok := p.exact[k]; ok {
				if old != code {
					valueClashes = append(valueClashes, group+": "+k+": "+old+" / "+code)
				}
				return
			}
			p.exact[k] = code
		}
		for _, c := range codes {
			add(c, c)
		}
		for _, l := range langs {
			for _, c := range codes {
				if key := valueKey(group, c); i18n.Has(l, key) {
					add(i18n.T(l, key), c)
				}
			}
		}
		for _, c := range codes {
			for _, a := range valueAliases[group][c] {
				add(a, c)
			}
		}
		// Words of four letters or more that only one code's labels use:
		// "Volontiranje" alone is enough for volunteer.
		weak := map[string]string{}
		for _, l := range langs {
			for _, c := range codes {
				for _, w := range fold.Words(i18n.T(l, valueKey(group, c))) {
					if utf8.RuneCountInString(w) < 4 {
						continue
					}
					if old, ok := weak[w]; ok && old != c {
						weak[w] = ""
					} else if !ok {
						weak[w] = c
					}
				}
			}
		}
		for w, c := range weak {
			if _, ok := p.exact[w]; !ok && c != "" {
				p.weak[w] = c
			}
		}
		valueParsers[group] = p
	}
}

// valueKey is the catalogue key of a value's label; yes and no are
// value.yes and value.no.
func valueKey(group, code string) string {
	if group == groupYesNo {
		return "value." + code
	}
	return "value." + group + "." + code
}

func (p *valueParser) parse(s string) (string, bool) {
	k := fold.Key(s)
	if k == "" {
		return "", false
	}
	if c, ok := p.exact[k]; ok {
		return c, true
	}
	found := ""
	for _, w := range strings.Fields(k) {
		if c, ok := p.weak[w]; ok {
			if found != "" && found != c {
				return "", false // words of two different values
			}
			found = c
		}
	}
	return found, found != ""
}

// ParseValue reads a value of a group (GroupGender, GroupEducation, …) as
// people type it: the code, its label in any language, or a common short
// form. ok is false for anything else, including the empty string.
func ParseValue(group, s string) (code string, ok bool) {
	valuesOnce.Do(buildValueParsers)
	p, found := valueParsers[group]
	if !found {
		return "", false
	}
	return p.parse(s)
}

// ValueLabel is the label of a coded value in the language:
// ValueLabel("gender", "f", i18n.BS) is "Ženski". A code without a label
// comes back as it is.
func ValueLabel(group, code string, lang i18n.Lang) string {
	key := "value." + group + "." + code
	if !i18n.Has(i18n.EN, key) {
		return code
	}
	return i18n.T(lang, key)
}

// ParseGender reads a gender as "f" or "m": F, Ž, Z, Ж, žensko, ženski,
// female, femër, femërore; M, М, muško, muški, male, mashkull, mashkullore…
func ParseGender(s string) (string, bool) { return ParseValue(GroupGender, s) }

// ParseEducation reads an education level: the code, a label in any
// language or a usual abbreviation (OŠ, SSS, VŠS, VSS, mr, dr, PhD…).
func ParseEducation(s string) (string, bool) { return ParseValue(GroupEducation, s) }

// ParseInterest reads one interest: "invest", "Ulaganje u domovini",
// "Povratak", "Kthim në vendlindje", "volontiranje"…
func ParseInterest(s string) (string, bool) { return ParseValue(GroupInterest, s) }

// ParseOrgKind reads the kind of an organisation: the code, a label in any
// language or a usual name (NVO, OCD, OJQ, KUD, savez…).
func ParseOrgKind(s string) (string, bool) { return ParseValue(GroupOrgKind, s) }

// ParseYesNo reads a yes or a no as forms and spreadsheets have it:
// da/ne, да/не, po/jo, yes/no, d/n, y, x, ✓, 1/0, true/false. ok is false
// for an empty cell or anything else.
func ParseYesNo(s string) (yes bool, ok bool) {
	t := strings.TrimSpace(s)
	switch t {
	case "✓", "✔", "☑", "✅", "+", "√":
		return true, true
	case "✗", "✘", "☐", "-", "–", "—":
		return false, true
	}
	v, ok := ParseValue(groupYesNo, t)
	return v == "yes", ok
}
