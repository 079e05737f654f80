package data

import "strings"

// Normalize tidies what people type before validation: trims every text
// field, upper-cases country codes, lower-cases e-mail, puts phones into
// E.164 and drops empty tags. A phone number without a country code is read
// as one of the record's country, else of region, the office's (see
// ReadPhone); one that reads as no valid number is left as typed, for
// Validate to explain.
func Normalize(r Record, region string) {
	switch v := r.(type) {
	case *Person:
		trim(&v.GivenName, &v.FamilyName, &v.ParentName, &v.HomeMunicipality, &v.City, &v.Address,
			&v.Email, &v.Profession, &v.LocalityID, &v.Gender, &v.Education)
		trimEnds(&v.Needs, &v.Notes)
		v.Gender = strings.ToLower(v.Gender)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Email = strings.ToLower(v.Email)
		v.Phone = normalizePhone(v.Phone, v.Country, region)
		v.Tags, v.NeedTags, v.Languages, v.Interests = tidy(v.Tags), tidy(v.NeedTags), tidy(v.Languages), tidy(v.Interests)
	case *Business:
		trim(&v.Name, &v.City, &v.Address, &v.Sector, &v.RegistrationNo, &v.Email, &v.Website)
		trimEnds(&v.Notes)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Email = strings.ToLower(v.Email)
		v.Phone = normalizePhone(v.Phone, v.Country, region)
		v.Tags = tidy(v.Tags)
	case *Organisation:
		trim(&v.Name, &v.OrgKind, &v.LegalForm, &v.RegistrationNo, &v.City, &v.Address, &v.ContactPerson,
			&v.Email, &v.Website, &v.UmbrellaID)
		trimEnds(&v.Notes)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Email = strings.ToLower(v.Email)
		v.Phone = normalizePhone(v.Phone, v.Country, region)
		v.Tags, v.Areas, v.MemberIDs = tidy(v.Tags), tidy(v.Areas), tidy(v.MemberIDs)
	case *Locality:
		trim(&v.Name, &v.Municipality, &v.LocalityKind, &v.CouncilContact, &v.Email)
		v.Email = strings.ToLower(v.Email)
		v.Phone = normalizePhone(v.Phone, region, region)
	case *Activity:
		trim(&v.Name, &v.ActivityKind, &v.StartTime, &v.EndTime, &v.Place.City, &v.Place.Address, &v.Place.LocalityID, &v.Place.URL)
		trimEnds(&v.Description)
		v.ActivityKind = strings.ToLower(v.ActivityKind)
		v.Place.Country = strings.ToUpper(strings.TrimSpace(v.Place.Country))
		v.Tags, v.OrganiserIDs = tidy(v.Tags), tidy(v.OrganiserIDs)
		if c := v.Consultation; c != nil {
			trim(&c.DraftTitle, &c.Reference, &c.IssuingBody, &c.Link)
			for i := range c.Comments {
				cm := &c.Comments[i]
				trim(&cm.Article, &cm.Response, &cm.FromID)
				trimEnds(&cm.Text, &cm.Reason)
				cm.Response = strings.ToLower(cm.Response)
			}
		}
	case *Participation:
		trim(&v.Status, &v.Role, &v.Note, &v.RepresentedBy)
		v.Status, v.Role = strings.ToLower(v.Status), strings.ToLower(v.Role)
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
