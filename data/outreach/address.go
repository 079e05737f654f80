package outreach

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
)

// AddressLines are the lines of a label or a letter's address block for the
// contact, posted from the office's country (ISO code; "" when unknown):
// name (and an organisation's contact person), street address, the city
// line in the destination country's convention (postcode before or after
// the city), and the destination country in capitals in the sender's
// language, left out when it is the office's own country.
//
// The registry has no postcode field: a postcode is whatever the clerk
// typed in the address or the city ("80331 München", "London SW1A 2AA").
// So:
//   - the address is split into lines at line breaks and ";";
//   - a last address line that is the destination country itself is left
//     out (the country line below says it the post's way);
//   - a last address line (or its last comma-separated part) that already
//     is a locality line — a postcode where the destination writes it, or
//     the city itself — is not followed by the city again;
//   - otherwise the city comes on its own line. A postcode typed in the
//     city is put where the destination writes it: before the town in
//     most of Europe and the region ("1100 Wien", "111 20 Stockholm"),
//     after it in the United States, Canada and Australia ("NEW YORK, NY
//     10118"), and on a line of its own under the town in the United
//     Kingdom and Ireland. The town is in capitals where the post asks for
//     it (GB, IE, US, CA, AU, NZ, FR); elsewhere it stays as written;
//   - the country line is the CLDR name in capitals (UPU: the last line,
//     in the sender's language): "NJEMAČKA", "НЕМАЧКА", "ZVICËR".
func AddressLines(c Contact, fromCountry string, l i18n.Lang) []string {
	var lines []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	add(displayName(c))
	if cp := strings.TrimSpace(c.ContactPerson); cp != "" {
		add(i18n.T(l, "outreachtext.attn") + " " + cp)
	}
	dest := strings.ToUpper(strings.TrimSpace(c.Country))
	street := splitAddress(c.Address)
	if n := len(street); n > 0 && dest != "" {
		if code, ok := data.ParseCountry(street[n-1]); ok && code == dest {
			street = street[:n-1]
		}
	}
	street = splitLocality(street, dest)
	lines = append(lines, street...)
	if city := strings.TrimSpace(c.City); city != "" {
		if n := len(street); n == 0 || !isLocalityLine(street[n-1], city, dest) {
			lines = append(lines, cityLines(city, dest)...)
		}
	}
	if dest != "" && dest != strings.ToUpper(strings.TrimSpace(fromCountry)) {
		lines = append(lines, strings.ToUpper(data.CountryName(dest, l)))
	}
	return lines
}

// splitLocality puts a postcode and town typed after the street on one
// line ("Bahnhofstraße 33c, 70922 Stuttgart") on a line of their own, as
// the destinations that write the postcode first want it; the others'
// locality lines ("New York, NY 10118") are left as typed.
func splitLocality(street []string, dest string) []string {
	n := len(street)
	if n == 0 || writesPostcodeAfter(dest) {
		return street
	}
	last := street[n-1]
	i := strings.LastIndexByte(last, ',')
	if i <= 0 {
		return street
	}
	head, tail := strings.TrimSpace(last[:i]), strings.TrimSpace(last[i+1:])
	if head == "" || !postcodeFirst.MatchString(strings.ToUpper(tail)) {
		return street
	}
	return append(street[:n-1:n-1], head, tail)
}

// splitAddress cuts an address into its lines at line breaks and ";".
func splitAddress(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// postcodeAfter are the destinations that write the postcode after the
// town; postcodeOwnLine those that give it a line of its own under it.
var (
	postcodeAfter   = []string{"US", "CA", "AU"}
	postcodeOwnLine = []string{"GB", "IE"}
	// townInCapitals are the destinations whose posts ask for the town in
	// capital letters (Royal Mail, An Post, USPS, Canada Post, Australia
	// Post, NZ Post, La Poste).
	townInCapitals = []string{"GB", "IE", "US", "CA", "AU", "NZ", "FR"}
)

func writesPostcodeAfter(dest string) bool {
	return slices.Contains(postcodeAfter, dest) || slices.Contains(postcodeOwnLine, dest)
}

var (
	// postcodeFirst is a postcode at the start of a locality line, as
	// Europe writes it: 80331, 1100, 111 20, 00-950, 1000-001, 1012 AB, and
	// the old country prefixes (D-80331, CH-8001). Something must follow.
	postcodeFirst = regexp.MustCompile(`^((?:[A-Z]{1,3}-)?(?:\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{4} [A-Z]{2}|\d{4,6}))[\s,]+(\S.*)$`)
	// postcodeLast is a postcode at the end of a locality line: US ZIP
	// (10118, 10118-0110), UK (SW1A 2AA), Canada (K1A 0B1), Ireland's
	// Eircode (D02 X285), Sweden's "111 20" written last, 4–6 digits.
	postcodeLast = regexp.MustCompile(`(?i)^(.*?\S)[\s,]+(\d{5}-\d{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]\d{2} ?[A-Z\d]{4}|\d{3} \d{2}|\d{4,6})$`)
)

// isLocalityLine reports whether an address's last line already says the
// town: it has a postcode where the destination writes one, or is the city.
func isLocalityLine(line, city, dest string) bool {
	part := line
	if i := strings.LastIndexByte(line, ','); i >= 0 {
		part = strings.TrimSpace(line[i+1:])
	}
	for _, p := range []string{line, part} {
		first := postcodeFirst.MatchString(strings.ToUpper(p))
		last := postcodeLast.MatchString(p)
		switch {
		case dest == "":
			if first || last {
				return true
			}
		case writesPostcodeAfter(dest):
			if last {
				return true
			}
		case first:
			return true
		}
	}
	if strings.EqualFold(part, city) {
		return true
	}
	k := fold.Key(city)
	return fold.Key(part) == k || (part != line && fold.Key(line) == k)
}

// cityLines writes the city as the destination writes a locality line.
func cityLines(city, dest string) []string {
	town, pc := splitPostcode(city)
	if slices.Contains(townInCapitals, dest) {
		town = strings.ToUpper(town)
	}
	switch {
	case pc == "":
		return []string{town}
	case slices.Contains(postcodeOwnLine, dest):
		return []string{town, strings.ToUpper(pc)}
	case slices.Contains(postcodeAfter, dest):
		return []string{town + " " + strings.ToUpper(pc)}
	}
	return []string{pc + " " + town}
}

// splitPostcode finds a postcode typed before or after the town in a city
// field; none gives the city as it is.
func splitPostcode(city string) (town, postcode string) {
	if m := postcodeFirst.FindStringSubmatch(city); m != nil {
		return strings.TrimSpace(m[2]), m[1]
	}
	if m := postcodeLast.FindStringSubmatch(city); m != nil && hasLetter(m[1]) {
		return strings.TrimRight(strings.TrimSpace(m[1]), ","), m[2]
	}
	return city, ""
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }
