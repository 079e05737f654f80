package data

import (
	"fmt"
	"strings"
	"time"
)

// SchemaVersion is the version of the record encoding written today. A record
// read with an older version is migrated when it is decoded (see Decode).
const SchemaVersion = 1

// Kind names one of the four kinds of record.
type Kind string

// The kinds of record. The string is used in keys, files and the CLI.
const (
	KindPerson       Kind = "person"
	KindBusiness     Kind = "business"
	KindOrganisation Kind = "organisation"
	KindLocality     Kind = "locality"
)

// Kinds lists every kind in the order screens and reports show them.
var Kinds = []Kind{KindPerson, KindBusiness, KindOrganisation, KindLocality}

// AllKinds lists every kind of record the store keeps: the four registry
// kinds (Kinds), then the office's own work (activities and their
// participations). Whatever must see every record (the store, bundles,
// erasure, backups) ranges over AllKinds; screens and counts of the
// registry over Kinds.
var AllKinds = []Kind{KindPerson, KindBusiness, KindOrganisation, KindLocality, KindActivity, KindParticipation, KindCommunication}

// ParseKind accepts a kind in singular or plural ("persons", "org" too).
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "persons", "people", "p":
		return KindPerson, nil
	case "business", "businesses", "b":
		return KindBusiness, nil
	case "organisation", "organisations", "organization", "organizations", "org", "orgs", "o":
		return KindOrganisation, nil
	case "locality", "localities", "l":
		return KindLocality, nil
	case "activity", "activities", "event", "events", "a":
		return KindActivity, nil
	case "participation", "participations", "participant", "participants":
		return KindParticipation, nil
	case "communication", "communications", "outreach":
		return KindCommunication, nil
	}
	return "", fmt.Errorf("unknown kind %q (person, business, organisation, locality, activity)", s)
}

// Source says how a record (or its latest version) came into the registry.
type Source string

// The sources of a record.
const (
	SourceOffice Source = "office" // typed in at the office
	SourceField  Source = "field"  // a field volunteer's form
	SourceImport Source = "import" // a spreadsheet import
	SourceBundle Source = "bundle" // merged from another laptop's bundle
	SourceDemo   Source = "demo"   // generated demo data
)

// Meta is what every record carries besides its own fields. The store owns
// it: ID, Version, times and users are set on every write, never by a form.
type Meta struct {
	ID        string    `json:"id"`
	Kind      Kind      `json:"kind"`
	Schema    int       `json:"schema"`
	Version   uint64    `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
	Source    Source    `json:"source" validate:"omitempty,oneof=office field import bundle demo"`
	// Submission is the instance ID of the phone form or PDF form
	// submission the record came from ("uuid:…"), so that importing the
	// same submissions again adds nothing. Empty for other records.
	Submission string `json:"submission,omitempty"`
	// TrashedAt is set while the record is in the trash.
	TrashedAt *time.Time `json:"trashed_at,omitempty"`
	// VV is the record's version vector: for each laptop (by its laptop
	// ID) the number of versions of this record written there, counted
	// along the record's history. Bundle merging compares vectors to tell
	// "strictly newer" from "changed on both sides"; Version is their sum.
	VV map[string]uint64 `json:"vv,omitempty"`
}

// Base returns the common fields; every record type embeds Meta.
func (m *Meta) Base() *Meta { return m }

// Trashed reports whether the record is in the trash.
func (m *Meta) Trashed() bool { return m.TrashedAt != nil }

// Consent is a person's (or business's) permission, with when and how it
// was given. A consent that is not given has no date.
type Consent struct {
	Given bool   `json:"given"`
	Date  Date   `json:"date"`
	How   string `json:"how,omitempty" validate:"omitempty,oneof=written verbal online form"`
	// Withdrawn is the date a consent once given was withdrawn, and
	// WithdrawnHow how the person said so; Given is then false. Giving it
	// again clears both.
	Withdrawn    Date   `json:"withdrawn,omitzero"`
	WithdrawnHow string `json:"withdrawn_how,omitempty" validate:"omitempty,oneof=written verbal online form"`
}

// Withdraw records that the consent was withdrawn on the day, the way
// given (one of ConsentWays, or "").
func (c *Consent) Withdraw(on Date, how string) {
	c.Given, c.Withdrawn, c.WithdrawnHow = false, on, how
}

// Consent ways, as offered in forms.
var ConsentWays = []string{"written", "verbal", "online", "form"}

// Interests a person can declare, in the order forms show them.
var Interests = []string{"invest", "return", "business", "volunteer", "culture"}

// Educations, from lowest to highest.
var Educations = []string{"primary", "secondary", "vocational", "bachelor", "master", "doctorate"}

// Genders as stored; forms and imports map the many ways people write them.
var Genders = []string{"f", "m"}

// OrganisationKinds are the kinds of association or CSO.
var OrganisationKinds = []string{"diaspora_association", "cso", "umbrella", "cultural", "sports", "religious", "professional", "humanitarian", "youth", "women", "other"}

// LocalityKinds are the kinds of locality a municipality keeps.
var LocalityKinds = []string{"local_community", "settlement", "village", "town"}

// Person is an adult living abroad.
type Person struct {
	Meta
	GivenName        string `json:"given_name" validate:"required,max=100"`
	FamilyName       string `json:"family_name" validate:"required,max=100"`
	ParentName       string `json:"parent_name,omitempty" validate:"max=100"`
	Gender           string `json:"gender,omitempty" validate:"omitempty,oneof=f m"`
	BirthDate        Date   `json:"birth_date" validate:"adult"`
	HomeMunicipality string `json:"home_municipality,omitempty" validate:"max=100"`
	LocalityID       string `json:"locality_id,omitempty" validate:"omitempty,link=locality"`
	Country          string `json:"country" validate:"required,country"`
	City             string `json:"city,omitempty" validate:"max=100"`
	Address          string `json:"address,omitempty" validate:"max=300"`
	Email            string `json:"email,omitempty" validate:"omitempty,email,max=254"`
	// EmailUndeliverable is set when the office's mail server refused the
	// address for good: the date and the server's reason. E-mail audiences
	// leave the person out until the address is changed (which clears it).
	EmailUndeliverable string   `json:"email_undeliverable,omitempty" validate:"max=500"`
	Phone              string   `json:"phone,omitempty" validate:"omitempty,e164"`
	Profession         string   `json:"profession,omitempty" validate:"max=100"`
	Education          string   `json:"education,omitempty" validate:"omitempty,oneof=primary secondary vocational bachelor master doctorate"`
	EmigrationYear     int      `json:"emigration_year,omitempty" validate:"omitempty,year"`
	DaysHomePerYear    int      `json:"days_home_per_year,omitempty" validate:"min=0,max=366"`
	Generation         int      `json:"generation,omitempty" validate:"omitempty,min=1,max=3"`
	Interests          []string `json:"interests,omitempty" validate:"dive,oneof=invest return business volunteer culture"`
	Needs              string   `json:"needs,omitempty" validate:"max=2000"`
	NeedTags           []string `json:"need_tags,omitempty" validate:"dive,max=50"`
	Languages          []string `json:"languages,omitempty" validate:"dive,max=50"`
	Notes              string   `json:"notes,omitempty" validate:"max=5000"`
	Tags               []string `json:"tags,omitempty" validate:"dive,max=50"`
	ConsentContact     Consent  `json:"consent_contact"`
	ConsentPublish     Consent  `json:"consent_publish"`
}

// Owner links a business to one of its owners.
type Owner struct {
	PersonID string `json:"person_id" validate:"required,link=person"`
	// Share is "owner" (sole) or "co-owner".
	Share string `json:"share" validate:"required,oneof=owner co-owner"`
}

// Business is owned or co-owned by members of the diaspora.
type Business struct {
	Meta
	Name           string  `json:"name" validate:"required,max=200"`
	Owners         []Owner `json:"owners,omitempty" validate:"dive"`
	Country        string  `json:"country" validate:"required,country"`
	City           string  `json:"city,omitempty" validate:"max=100"`
	Address        string  `json:"address,omitempty" validate:"max=300"`
	Sector         string  `json:"sector,omitempty" validate:"max=100"`
	Employees      int     `json:"employees,omitempty" validate:"min=0,max=1000000"`
	RegistrationNo string  `json:"registration_no,omitempty" validate:"max=50"`
	Email          string  `json:"email,omitempty" validate:"omitempty,email,max=254"`
	// EmailUndeliverable: see Person.
	EmailUndeliverable string   `json:"email_undeliverable,omitempty" validate:"max=500"`
	Phone              string   `json:"phone,omitempty" validate:"omitempty,e164"`
	Website            string   `json:"website,omitempty" validate:"omitempty,url,max=300"`
	InvestAtHome       bool     `json:"invest_at_home,omitempty"`
	Notes              string   `json:"notes,omitempty" validate:"max=5000"`
	Tags               []string `json:"tags,omitempty" validate:"dive,max=50"`
	ConsentContact     Consent  `json:"consent_contact"`
	ConsentPublish     Consent  `json:"consent_publish"`
}

// Organisation is a diaspora association or a civil-society organisation.
type Organisation struct {
	Meta
	Name           string   `json:"name" validate:"required,max=200"`
	OrgKind        string   `json:"org_kind" validate:"required,oneof=diaspora_association cso umbrella cultural sports religious professional humanitarian youth women other"`
	LegalForm      string   `json:"legal_form,omitempty" validate:"max=100"`
	RegistrationNo string   `json:"registration_no,omitempty" validate:"max=50"`
	FoundedYear    int      `json:"founded_year,omitempty" validate:"omitempty,year"`
	Country        string   `json:"country" validate:"required,country"`
	City           string   `json:"city,omitempty" validate:"max=100"`
	Address        string   `json:"address,omitempty" validate:"max=300"`
	Areas          []string `json:"areas,omitempty" validate:"dive,max=100"`
	MemberCount    int      `json:"member_count,omitempty" validate:"min=0,max=10000000"`
	ContactPerson  string   `json:"contact_person,omitempty" validate:"max=200"`
	Email          string   `json:"email,omitempty" validate:"omitempty,email,max=254"`
	Phone          string   `json:"phone,omitempty" validate:"omitempty,e164"`
	Website        string   `json:"website,omitempty" validate:"omitempty,url,max=300"`
	UmbrellaID     string   `json:"umbrella_id,omitempty" validate:"omitempty,link=organisation"`
	MemberIDs      []string `json:"member_ids,omitempty" validate:"dive,link=person"`
	Notes          string   `json:"notes,omitempty" validate:"max=5000"`
	Tags           []string `json:"tags,omitempty" validate:"dive,max=50"`
}

// Locality is a local community (mjesna zajednica) or settlement of the
// municipality: the reference list persons point to.
type Locality struct {
	Meta
	Name           string `json:"name" validate:"required,max=100"`
	Municipality   string `json:"municipality" validate:"required,max=100"`
	LocalityKind   string `json:"locality_kind,omitempty" validate:"omitempty,oneof=local_community settlement village town"`
	CouncilContact string `json:"council_contact,omitempty" validate:"max=200"`
	Phone          string `json:"phone,omitempty" validate:"omitempty,e164"`
	Email          string `json:"email,omitempty" validate:"omitempty,email,max=254"`
}

// Record is any of the four kinds.
type Record interface {
	Base() *Meta
	// Title is the name a list or a report shows.
	Title() string
	// Links are the records this one points to; the store checks they exist.
	Links() []Link
}

// Link is one reference from a record to another, with the field it sits in.
type Link struct {
	Field string // JSON name of the field, e.g. "locality_id"
	Kind  Kind
	ID    string
}

var (
	_ Record = (*Person)(nil)
	_ Record = (*Business)(nil)
	_ Record = (*Organisation)(nil)
	_ Record = (*Locality)(nil)
)

// Title is "Given Family".
func (p *Person) Title() string { return strings.TrimSpace(p.GivenName + " " + p.FamilyName) }

// Title is the business name.
func (b *Business) Title() string { return b.Name }

// Title is the organisation name.
func (o *Organisation) Title() string { return o.Name }

// Title is the locality name.
func (l *Locality) Title() string { return l.Name }

// Links of a person: the home locality.
func (p *Person) Links() []Link {
	if p.LocalityID == "" {
		return nil
	}
	return []Link{{"locality_id", KindLocality, p.LocalityID}}
}

// Links of a business: its owners.
func (b *Business) Links() []Link {
	var l []Link
	for _, o := range b.Owners {
		l = append(l, Link{"owners", KindPerson, o.PersonID})
	}
	return l
}

// Links of an organisation: the umbrella body and the members.
func (o *Organisation) Links() []Link {
	var l []Link
	if o.UmbrellaID != "" {
		l = append(l, Link{"umbrella_id", KindOrganisation, o.UmbrellaID})
	}
	for _, id := range o.MemberIDs {
		l = append(l, Link{"member_ids", KindPerson, id})
	}
	return l
}

// Links of a locality: none.
func (l *Locality) Links() []Link { return nil }

// New returns an empty record of the kind, with Kind and Schema set.
func New(k Kind) (Record, error) {
	var r Record
	switch k {
	case KindPerson:
		r = &Person{}
	case KindBusiness:
		r = &Business{}
	case KindOrganisation:
		r = &Organisation{}
	case KindLocality:
		r = &Locality{}
	case KindActivity:
		r = &Activity{}
	case KindParticipation:
		r = &Participation{}
	case KindCommunication:
		r = &Communication{}
	default:
		return nil, fmt.Errorf("unknown kind %q", k)
	}
	r.Base().Kind = k
	r.Base().Schema = SchemaVersion
	return r, nil
}

// KindOf returns the kind of a record from its Go type, whatever Meta.Kind says.
func KindOf(r Record) Kind {
	switch r.(type) {
	case *Person:
		return KindPerson
	case *Business:
		return KindBusiness
	case *Organisation:
		return KindOrganisation
	case *Locality:
		return KindLocality
	case *Activity:
		return KindActivity
	case *Participation:
		return KindParticipation
	case *Communication:
		return KindCommunication
	}
	return ""
}
