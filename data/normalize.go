package data

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the phone region used when the office has not chosen one.
const DefaultRegion = "BA"

// NormalizePhone turns a number as people write it into E.164: with region
// BA, "061/242-771" becomes "+38761242771". A number that cannot be parsed
// is returned trimmed but otherwise unchanged, so validation can name it.
func NormalizePhone(s, region string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if isE164(s) {
		return s // already normalised: parsing again costs ~20 µs a number
	}
	if region == "" {
		region = DefaultRegion
	}
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return s
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// isE164 reports whether s is "+" and 8 to 15 digits, the first not 0:
// the form NormalizePhone writes and the validator's e164 rule accepts.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Normalize tidies what people type before validation: trims every text
// field, upper-cases country codes, lower-cases e-mail, puts phones into
// E.164 (region is the office's default phone region) and drops empty tags.
func Normalize(r Record, region string) {
	switch v := r.(type) {
	case *Person:
		trim(&v.GivenName, &v.FamilyName, &v.ParentName, &v.HomeMunicipality, &v.City, &v.Address,
			&v.Email, &v.Profession, &v.LocalityID, &v.Gender, &v.Education)
		trimEnds(&v.Needs, &v.Notes)
		v.Gender = strings.ToLower(v.Gender)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Email = strings.ToLower(v.Email)
		v.Phone = NormalizePhone(v.Phone, region)
		v.Tags, v.NeedTags, v.Languages, v.Interests = tidy(v.Tags), tidy(v.NeedTags), tidy(v.Languages), tidy(v.Interests)
	case *Business:
		trim(&v.Name, &v.City, &v.Address, &v.Sector, &v.RegistrationNo, &v.Email, &v.Website)
		trimEnds(&v.Notes)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Email = strings.ToLower(v.Email)
		v.Phone = NormalizePhone(v.Phone, region)
		v.Tags = tidy(v.Tags)
	case *Organisation:
		trim(&v.Name, &v.OrgKind, &v.LegalForm, &v.RegistrationNo, &v.City, &v.Address, &v.ContactPerson,
			&v.Email, &v.Website, &v.UmbrellaID)
		trimEnds(&v.Notes)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Email = strings.ToLower(v.Email)
		v.Phone = NormalizePhone(v.Phone, region)
		v.Tags, v.Areas, v.MemberIDs = tidy(v.Tags), tidy(v.Areas), tidy(v.MemberIDs)
	case *Locality:
		trim(&v.Name, &v.Municipality, &v.LocalityKind, &v.CouncilContact, &v.Email)
		v.Email = strings.ToLower(v.Email)
		v.Phone = NormalizePhone(v.Phone, region)
	}
}

// trimEnds trims multi-line text at both ends, keeping its inner lines.
func trimEnds(fields ...*string) {
	for _, f := range fields {
		*f = strings.TrimSpace(*f)
	}
}

// trim trims one-line text and folds inner runs of white space into one space.
func trim(fields ...*string) {
	for _, f := range fields {
		*f = strings.Join(strings.Fields(*f), " ")
	}
}

// tidy trims each item and drops empty ones and repeats, keeping order.
func tidy(items []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
