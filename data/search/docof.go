package search

import (
	"strconv"
	"strings"

	"registar/data"
	"registar/data/fold"
)

// Facet names DocOf emits. Values are stored in the canonical form
// FacetValue gives them, so a filter typed by a user ("city:Beč",
// "country:de") meets the value DocOf stored ("bec", "DE").
const (
	FacetKind             = "kind" // every doc has it, added by the index itself
	FacetCountry          = "country"
	FacetCity             = "city"
	FacetLocality         = "locality"
	FacetProfession       = "profession"
	FacetSector           = "sector"
	FacetInterest         = "interest"
	FacetConsent          = "consent"
	FacetTag              = "tag"
	FacetGender           = "gender"
	FacetGeneration       = "generation"
	FacetEducation        = "education"
	FacetOrgKind          = "org_kind"
	FacetCreated          = "created"
	FacetEmigrationDecade = "emigration_decade"
	FacetMunicipality     = "municipality"
	// Activities and participations (issue 14).
	FacetActivityKind = "activity_kind" // an activity's kind: meeting, consultation, …
	FacetYear         = "year"          // the year an activity starts
	FacetOrganiser    = "organiser"     // an organising organisation's ID, or "office"
	FacetActivity     = "activity"      // a participation's activity ID
	FacetParticipant  = "participant"   // a participation's participant ID
	FacetStatus       = "status"        // a participation's status

	// FacetHas says what a person, business or organisation can be
	// reached by (HasEmail, HasPostal) and whether the mail server refused
	// their address (HasUndeliverable): outreach counts its audiences with
	// it without reading records.
	FacetHas     = "has"
	FacetChannel = "channel" // a communication's channel: email, letter, labels
)

// OrganiserOffice is the organiser facet of an activity the office
// organised (ByOffice).
const OrganiserOffice = "office"

// Has facet values.
const (
	HasEmail         = "email"
	HasPostal        = "postal"
	HasUndeliverable = "undeliverable"
)

// Consent facet values.
const (
	ConsentContact = "contact"
	ConsentPublish = "publish"
)

// FacetNames lists the facet names ParseQuery recognises in "name:value".
var FacetNames = []string{
	FacetKind, FacetCountry, FacetCity, FacetLocality, FacetProfession, FacetSector,
	FacetInterest, FacetConsent, FacetTag, FacetGender, FacetGeneration, FacetEducation,
	FacetOrgKind, FacetCreated, FacetEmigrationDecade, FacetMunicipality,
	FacetActivityKind, FacetYear, FacetOrganiser, FacetActivity, FacetParticipant, FacetStatus,
	FacetHas, FacetChannel,
}

// FacetName is the canonical form of a facet name: trimmed, lower case.
func FacetName(name string) string {
	name = strings.TrimSpace(name)
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(name)
		}
	}
	return name
}

// FacetValue is the canonical form of a value of the named facet, the form
// the index stores and compares: country codes upper case; city, profession,
// sector, tag and municipality folded (fold.Key, so "Beč", "BEC" and "Беч"
// are one value); locality IDs as they are; every other value (codes such as
// interest, gender, education) trimmed and lower case. The index applies it to
// both the facets of a Doc and the filters of a Query.
func FacetValue(name, value string) string {
	switch FacetName(name) {
	case FacetCountry:
		return strings.ToUpper(strings.TrimSpace(value))
	case FacetCity, FacetProfession, FacetSector, FacetTag, FacetMunicipality:
		return fold.Key(value)
	case FacetLocality, FacetOrganiser, FacetActivity, FacetParticipant:
		return strings.TrimSpace(value) // record IDs (or "office")
	case rankFacet:
		return value // built by DocOf: folded word, field, value as written
	}
	return strings.ToLower(strings.TrimSpace(value))
}

// DocOf is what the index knows of a record: its title, the texts whose words
// find it, and the facets that filter it. Facet values are already in the
// form FacetValue gives.
func DocOf(r data.Record) Doc {
	m := r.Base()
	k := data.KindOf(r)
	if k == "" {
		k = m.Kind
	}
	d := Doc{ID: m.ID, Kind: k, Title: r.Title(), Trashed: m.Trashed()}
	if k == data.KindParticipation {
		d.Title = "" // never listed, and no words: a text search does not find it
	}
	b := docBuilder{d: &d}
	if !m.CreatedAt.IsZero() {
		b.facet(FacetCreated, m.CreatedAt.Format("2006-01"))
	}
	for _, f := range textFields(r) {
		b.text(f.text)
		if f.class == classOtherName {
			b.otherName(f)
		}
	}
	switch v := r.(type) {
	case *data.Person:
		b.facet(FacetCountry, v.Country)
		b.facet(FacetCity, v.City)
		b.facet(FacetLocality, v.LocalityID)
		b.facet(FacetProfession, v.Profession)
		for _, i := range v.Interests {
			b.facet(FacetInterest, i)
		}
		b.consent(v.ConsentContact, v.ConsentPublish)
		for _, t := range v.Tags {
			b.facet(FacetTag, t)
		}
		for _, t := range v.NeedTags {
			b.facet(FacetTag, t)
		}
		b.facet(FacetGender, v.Gender)
		if v.Generation > 0 {
			b.facet(FacetGeneration, strconv.Itoa(v.Generation))
		}
		b.facet(FacetEducation, v.Education)
		if v.EmigrationYear > 0 {
			b.facet(FacetEmigrationDecade, strconv.Itoa(v.EmigrationYear/10*10))
		}
		b.facet(FacetMunicipality, v.HomeMunicipality)
		b.reach(v.Email, v.EmailUndeliverable, v.Address, v.City)
	case *data.Business:
		b.facet(FacetCountry, v.Country)
		b.facet(FacetCity, v.City)
		b.facet(FacetSector, v.Sector)
		if v.InvestAtHome {
			b.facet(FacetInterest, "invest")
		}
		b.consent(v.ConsentContact, v.ConsentPublish)
		for _, t := range v.Tags {
			b.facet(FacetTag, t)
		}
		b.reach(v.Email, v.EmailUndeliverable, v.Address, v.City)
	case *data.Organisation:
		b.facet(FacetCountry, v.Country)
		b.facet(FacetCity, v.City)
		b.facet(FacetOrgKind, v.OrgKind)
		b.reach(v.Email, "", v.Address, v.City)
		for _, t := range v.Tags {
			b.facet(FacetTag, t)
		}
	case *data.Locality:
		b.facet(FacetMunicipality, v.Municipality)
	case *data.Activity:
		b.facet(FacetActivityKind, v.ActivityKind)
		if !v.Start.IsZero() {
			b.facet(FacetYear, strconv.Itoa(v.Start.Year))
		}
		for _, id := range v.OrganiserIDs {
			b.facet(FacetOrganiser, id)
		}
		if v.ByOffice {
			b.facet(FacetOrganiser, OrganiserOffice)
		}
		b.facet(FacetCountry, v.Place.Country)
		b.facet(FacetCity, v.Place.City)
		b.facet(FacetLocality, v.Place.LocalityID)
		for _, t := range v.Tags {
			b.facet(FacetTag, t)
		}
	case *data.Communication:
		b.facet(FacetChannel, v.Channel)
		if !v.Sent.IsZero() {
			b.facet(FacetYear, strconv.Itoa(v.Sent.Year()))
		}
	case *data.Participation:
		b.facet(FacetActivity, v.ActivityID)
		b.facet(FacetParticipant, v.ParticipantID)
		b.facet(FacetStatus, v.Status)
	}
	return d
}

type docBuilder struct{ d *Doc }

// text adds the text unless it is empty.
func (b docBuilder) text(t string) {
	if strings.TrimSpace(t) != "" {
		b.d.Text = append(b.d.Text, t)
	}
}

// otherName adds the hidden ranking facet of each word of a name field
// that is not the title (see rankFacet).
func (b docBuilder) otherName(f fieldText) {
	shown := strings.TrimSpace(f.shown)
	for _, w := range fold.Words(f.text) {
		b.facet(rankFacet, w+"\x00"+f.field+"\x00"+shown)
	}
}

// facet adds a facet in canonical form, unless its value is empty or the doc
// has it already.
func (b docBuilder) facet(name, value string) {
	value = FacetValue(name, value)
	if value == "" {
		return
	}
	f := Facet{name, value}
	for _, g := range b.d.Facets {
		if g == f {
			return
		}
	}
	b.d.Facets = append(b.d.Facets, f)
}

func (b docBuilder) consent(contact, publish data.Consent) {
	if contact.Given {
		b.facet(FacetConsent, ConsentContact)
	}
	if publish.Given {
		b.facet(FacetConsent, ConsentPublish)
	}
}

// reach adds the has: facets of an e-mail address (and whether it was
// refused) and of a postal address or city.
func (b docBuilder) reach(email, undeliverable, address, city string) {
	if strings.TrimSpace(email) != "" {
		b.facet(FacetHas, HasEmail)
		if strings.TrimSpace(undeliverable) != "" {
			b.facet(FacetHas, HasUndeliverable)
		}
	}
	if strings.TrimSpace(address) != "" || strings.TrimSpace(city) != "" {
		b.facet(FacetHas, HasPostal)
	}
}

// digits keeps only the ASCII digits of a phone number: "+387 61 242-771"
// → "38761242771", one word a search by number prefix finds.
func digits(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}
