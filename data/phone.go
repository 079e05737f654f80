package data

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"google.golang.org/protobuf/proto"

	"registar/data/i18n"
)

// Phones are read the way people write them, and only numbers that
// libphonenumber finds valid (IsValidNumber, not the looser
// IsPossibleNumber, which lets a Slovenian 041 123 456 through as the
// Bosnian +38741123456) are stored. A number written with its country code
// (+49…, 0049…, 00 387 …) is read as it is. A number without one is read as
// a number of the record's country of residence when it is valid there,
// else of the office's country: people abroad keep the numbers they had at
// home. ReadPhone is the one place that decides; Normalize stores what it
// reads, the e164 rule of Validate explains what it refuses, and
// NormalizeNoted says when a number was valid in both countries.

// DefaultRegion is the phone region used when the office has not chosen one.
const DefaultRegion = "BA"

// PhoneReading is how ReadPhone read a number.
type PhoneReading struct {
	// E164 is the number to store: "+38761242771".
	E164 string
	// Region is the country the number belongs to ("BA", "XK"); "001" for
	// a number of no country (satellite, international services).
	Region string
	// Local: the number was written without its country code and read as
	// a number of Region.
	Local bool
	// AlsoValidIn is, for a local number valid both in the country of
	// residence and in the office's, the country it was not read in;
	// AlsoE164 is the number there. Empty when it is valid in one only.
	AlsoValidIn, AlsoE164 string
}

// PhoneProblem says why a number could not be read.
type PhoneProblem int

// The problems of a number.
const (
	// PhoneUnreadable: not a phone number (too few digits, words).
	PhoneUnreadable PhoneProblem = iota + 1
	// PhoneExtension: a number with an extension (…, ext. 12), which E.164
	// cannot hold.
	PhoneExtension
	// PhoneUnknownCode: written with a country code that no country has.
	PhoneUnknownCode
	// PhoneInvalid: written with its country code, but not a valid number
	// of that country.
	PhoneInvalid
	// PhoneInvalidLocal: written without a country code, and a valid
	// number neither of the country of residence nor of the office's.
	PhoneInvalidLocal
)

// String is the problem's name in exports and the CLI's JSON.
func (p PhoneProblem) String() string {
	switch p {
	case PhoneUnreadable:
		return "unreadable"
	case PhoneExtension:
		return "extension"
	case PhoneUnknownCode:
		return "unknown_code"
	case PhoneInvalid:
		return "invalid"
	case PhoneInvalidLocal:
		return "invalid_local"
	}
	return ""
}

// PhoneError is a number ReadPhone refuses, with what the message needs.
type PhoneError struct {
	Problem PhoneProblem
	// Number is the number as written (trimmed).
	Number string
	// Region is, for PhoneInvalid, the country of the number's code.
	Region string
	// Residence and Office are, for PhoneInvalidLocal, the countries it was
	// tried in; Residence is "" when the record has no country (or it is
	// the office's).
	Residence, Office string
}

func (e *PhoneError) Error() string { return e.Message(i18n.EN) }

// Message says what is wrong with the number, in lang, without naming the
// field: "061 242 77 is not a valid number in Austria or in Bosnia and
// Herzegovina. If it is a number of another country, write it with its
// country code (+…).".
func (e *PhoneError) Message(lang i18n.Lang) string {
	switch e.Problem {
	case PhoneExtension:
		return i18n.T(lang, "phone.extension", "number", e.Number)
	case PhoneUnknownCode:
		return i18n.T(lang, "phone.unknown_code", "number", e.Number)
	case PhoneInvalid:
		if name := regionName(e.Region, lang); name != "" {
			return i18n.T(lang, "phone.invalid", "number", e.Number, "country", name)
		}
		return i18n.T(lang, "phone.unknown_code", "number", e.Number)
	case PhoneInvalidLocal:
		office := regionName(e.Office, lang)
		if res := regionName(e.Residence, lang); res != "" && res != office {
			return i18n.T(lang, "phone.invalid_local2", "number", e.Number, "residence", res, "office", office)
		}
		return i18n.T(lang, "phone.invalid_local", "number", e.Number, "country", office)
	}
	return i18n.T(lang, "phone.unreadable", "number", e.Number)
}

// regionName is the CLDR name of a phone region, or "" for none.
func regionName(region string, lang i18n.Lang) string {
	if region == "" || region == phonenumbers.UNKNOWN_REGION || region == "001" {
		return ""
	}
	return CountryName(region, lang)
}

// ReadPhone reads a number as people write it (spaces, slashes, dashes,
// dots, brackets, a leading 0, + or 00): with its country code as it is,
// without one as a number of residence when valid there, else of office
// (DefaultRegion when ""). Where a local number is valid in both, it takes
// the one where it is a mobile when it is a landline in the other, else
// residence, and names the other in AlsoValidIn. A number that starts with the
// calling code of either country instead of a 0 is read as written in full
// with its "+" lost, when valid so (a spreadsheet's number cell). residence may be "" or a code
// libphonenumber does not know (then only office is tried). An empty s
// reads as an empty PhoneReading. The error is a *PhoneError.
func ReadPhone(s, residence, office string) (PhoneReading, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return PhoneReading{}, nil
	}
	bad := func(p PhoneProblem) (PhoneReading, error) { return PhoneReading{}, &PhoneError{Problem: p, Number: s} }
	if intl, ok := international(s); ok {
		n, err := phonenumbers.Parse(intl, phonenumbers.UNKNOWN_REGION)
		switch {
		case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
			return bad(PhoneUnknownCode)
		case err != nil || hasWords(s, n):
			return bad(PhoneUnreadable)
		case n.GetExtension() != "":
			return bad(PhoneExtension)
		case !phonenumbers.IsValidNumber(n):
			region := phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode()))
			if region == phonenumbers.UNKNOWN_REGION {
				return bad(PhoneUnknownCode)
			}
			return PhoneReading{}, &PhoneError{Problem: PhoneInvalid, Number: s, Region: region}
		}
		return PhoneReading{E164: phonenumbers.Format(n, phonenumbers.E164), Region: phonenumbers.GetRegionCodeForNumber(n)}, nil
	}
	office = phoneRegion(office)
	if office == "" {
		office = DefaultRegion
	}
	residence = phoneRegion(residence)
	if residence == office {
		residence = ""
	}
	if read, ok := plusDropped(s, residence, office); ok {
		return read, nil
	}
	// Both readings: where both are valid, the choice needs them both.
	type reading struct {
		PhoneReading
		n *phonenumbers.PhoneNumber
	}
	var readings []reading
	for _, region := range []string{residence, office} {
		if region == "" {
			continue
		}
		n, err := phonenumbers.Parse(s, region)
		switch {
		case err != nil || hasWords(s, n):
			return bad(PhoneUnreadable)
		case n.GetExtension() != "":
			return bad(PhoneExtension)
		case !phonenumbers.IsValidNumber(n):
			continue
		}
		readings = append(readings, reading{PhoneReading{E164: phonenumbers.Format(n, phonenumbers.E164),
			Region: phonenumbers.GetRegionCodeForNumber(n), Local: true}, n})
	}
	switch len(readings) {
	case 0:
		return PhoneReading{}, &PhoneError{Problem: PhoneInvalidLocal, Number: s, Residence: residence, Office: office}
	case 1:
		return readings[0].PhoneReading, nil
	}
	// Valid in both countries. German and Serbian numbering take most
	// Bosnian mobiles (06x xxx xxx) as landlines of their own (390 and 400
	// of 400 sampled), and people abroad give the mobile they kept from
	// home far more often than a short landline: a mobile in one country
	// against a fixed line in the other is the mobile. Otherwise the
	// country of residence. Either way the reading says the other one.
	read, other := readings[0], readings[1]
	if !isMobile(read.n) && isMobile(other.n) {
		read, other = other, read
	}
	read.AlsoValidIn, read.AlsoE164 = other.Region, other.E164
	return read.PhoneReading, nil
}

// isMobile reports whether libphonenumber's metadata calls the number a
// mobile (or a number that may be either, as in the US).
func isMobile(n *phonenumbers.PhoneNumber) bool {
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return true
	}
	return false
}

// international returns the number with "+" for its international prefix
// when it is written with one: "+387 61…", "00387 61…", "00 387 61…". 00
// is the international prefix of every country our people live in (the US
// and Canada dial 011, and nobody writes that on a form).
func international(s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "+"):
		return s, true
	case strings.HasPrefix(s, "00"):
		return "+" + s[2:], true
	}
	return "", false
}

// plusDropped reads a number that starts with the calling code of one of
// the two countries, not with a 0, as that country's number written in full
// without its "+": what a spreadsheet keeps of +387 61 242 771 in a number
// cell (38761242771). People in these countries write a local number with
// its leading 0, and a number read this way must be valid.
func plusDropped(s string, regions ...string) (PhoneReading, bool) {
	if s[0] < '1' || s[0] > '9' {
		return PhoneReading{}, false
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	for _, region := range regions {
		if region == "" || !strings.HasPrefix(digits, strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))) {
			continue
		}
		n, err := phonenumbers.Parse("+"+s, phonenumbers.UNKNOWN_REGION)
		if err == nil && !hasWords(s, n) && n.GetExtension() == "" && phonenumbers.IsValidNumber(n) {
			return PhoneReading{E164: phonenumbers.Format(n, phonenumbers.E164), Region: phonenumbers.GetRegionCodeForNumber(n)}, true
		}
	}
	return PhoneReading{}, false
}

// hasWords reports whether s holds letters besides those of an extension
// ("ext.", "x", "lok."): libphonenumber reads letters as on a keypad
// (1-800-FLOWERS), which turns "061 242 771 mama" into another number.
func hasWords(s string, n *phonenumbers.PhoneNumber) bool {
	if n.GetExtension() != "" {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// phoneRegion is the region code as libphonenumber knows it ("" when it
// does not: "", "XX", a code with no numbering plan).
func phoneRegion(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || phonenumbers.GetCountryCodeForRegion(code) == 0 {
		return ""
	}
	return code
}

// NormalizePhone turns a number as people write it into E.164, reading a
// number without a country code as one of region (DefaultRegion when ""):
// with region BA, "061/242-771" becomes "+38761242771". A number it cannot
// read as a valid number is returned trimmed but otherwise unchanged, so
// that validation can name it. A record's phone goes through Normalize,
// which also tries the record's country.
func NormalizePhone(s, region string) string { return normalizePhone(s, region, region) }

// normalizePhone is the phone part of Normalize: a number in E.164 as it
// is (parsing it again costs ~20 µs a number, and the e164 rule checks
// it), anything else read with ReadPhone.
func normalizePhone(s, residence, office string) string {
	s = strings.TrimSpace(s)
	if s == "" || isE164(s) && e164Number(s) != nil {
		return s
	}
	read, err := ReadPhone(s, residence, office)
	if err != nil {
		return s
	}
	return read.E164
}

// isE164 reports whether s is "+" and 3 to 15 digits, the first not 0:
// the shape of what Normalize writes. (Validator's own e164 wants 8 digits
// at least, but Norway's and the Netherlands' service numbers are
// shorter.)
func isE164(s string) bool {
	if len(s) < 4 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// e164Number is the number of a string of the shape of E.164 (isE164),
// built without phonenumbers.Parse: a new number is checked at every save,
// and Parse costs as much again as the check. Country calling codes are
// prefix-free, so the first 1 to 3 digits that are one are it. nil when
// none is, or when a 0 follows the code: then it is either a national
// prefix written after the code ("+49 0176…", which Parse drops) or a
// number of Italy or a few others that keeps its leading zero, and only
// Parse tells which.
func e164Number(s string) *phonenumbers.PhoneNumber {
	digits := s[1:]
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc := 0
		for _, d := range digits[:l] {
			cc = cc*10 + int(d-'0')
		}
		if phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
			continue
		}
		if digits[l] == '0' {
			return nil
		}
		var national uint64
		for _, d := range digits[l:] {
			national = national*10 + uint64(d-'0')
		}
		return &phonenumbers.PhoneNumber{CountryCode: proto.Int32(int32(cc)), NationalNumber: proto.Uint64(national)}
	}
	return nil
}

// storedNumber is the number of a string of the shape of E.164, or nil
// when it is not one as E.164 writes it (no country has its code, or it
// holds a national prefix).
func storedNumber(s string) *phonenumbers.PhoneNumber {
	if !isE164(s) {
		return nil
	}
	if n := e164Number(s); n != nil {
		return n
	}
	n, err := phonenumbers.Parse(s, phonenumbers.UNKNOWN_REGION)
	if err != nil || phonenumbers.Format(n, phonenumbers.E164) != s {
		return nil
	}
	return n
}

// validE164 reports whether s is a number in E.164 that is valid in its
// country.
func validE164(s string) bool {
	n := storedNumber(s)
	return n != nil && phonenumbers.IsValidNumber(n)
}

// FormatPhone writes a stored number for people, in the international
// format with its country's grouping: "+4917612345678" → "+49 176
// 12345678". Anything that is not a number in E.164 comes back as it is.
func FormatPhone(s string) string {
	if n := storedNumber(s); n != nil {
		// Spaces only: the international form of some countries groups
		// with hyphens (+387 65 123-456), which clerks read as two numbers.
		return strings.ReplaceAll(phonenumbers.Format(n, phonenumbers.INTERNATIONAL), "-", " ")
	}
	return s
}

// residenceOf is the country a record's local phone numbers are read in
// first: where the person, business or organisation is; "" for a locality,
// which is the office's own.
func residenceOf(r Record) string {
	switch v := r.(type) {
	case *Person:
		return v.Country
	case *Business:
		return v.Country
	case *Organisation:
		return v.Country
	}
	return ""
}

// phoneOf is a record's phone field.
func phoneOf(r Record) *string {
	switch v := r.(type) {
	case *Person:
		return &v.Phone
	case *Business:
		return &v.Phone
	case *Organisation:
		return &v.Phone
	case *Locality:
		return &v.Phone
	}
	return nil
}

// NormalizeNoted is Normalize, returning a note in lang for each phone
// number it read in the record's country of residence that is valid in the
// office's country too: "061 242 771 was read as a number of Croatia
// (+385 61 242 771); it is also a valid number of Bosnia and Herzegovina
// (+387 61 242 771). If that one is meant, write it with the country code."
// The import preview and the form show them; nil when there is nothing to
// say.
func NormalizeNoted(r Record, region string, lang i18n.Lang) []string {
	var note string
	if p := phoneOf(r); p != nil {
		// Read once: the note and the number stored come from one reading
		// (a local number costs ~25 µs a country to read).
		s := strings.TrimSpace(*p)
		if s != "" && !isE164(s) {
			if read, err := ReadPhone(s, residenceOf(r), region); err == nil {
				note = readingNote(s, read, lang)
				*p = read.E164
			}
		}
	}
	Normalize(r, region)
	if note == "" {
		return nil
	}
	return []string{note}
}

// PhoneNote is the note on a number as typed, for a record living in
// residence, when it is read there but is valid in office's country too
// ("" when there is nothing to say): see NormalizeNoted.
func PhoneNote(s, residence, office string, lang i18n.Lang) string {
	s = strings.TrimSpace(s)
	if s == "" || isE164(s) {
		return ""
	}
	read, err := ReadPhone(s, residence, office)
	if err != nil {
		return ""
	}
	return readingNote(s, read, lang)
}

// readingNote is PhoneNote of a number already read: "" unless it was
// valid in two countries.
func readingNote(s string, read PhoneReading, lang i18n.Lang) string {
	if read.AlsoValidIn == "" {
		return ""
	}
	return i18n.T(lang, "phone.note.both", "number", s,
		"country", regionName(read.Region, lang), "e164", FormatPhone(read.E164),
		"other", regionName(read.AlsoValidIn, lang), "other_e164", FormatPhone(read.AlsoE164))
}
