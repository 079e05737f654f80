package outreach

import (
	"registar/data"
	"registar/data/i18n"
)

// Contact is one recipient as the outputs need them, read from a person,
// business or organisation.
type Contact struct {
	ID   string
	Kind data.Kind
	// Name as a letter or label addresses them: "Amra Hodžić", "Bosna
	// Invest GmbH".
	Name                  string
	GivenName, FamilyName string // persons only
	Gender                string // "f", "m" or "" (persons only)
	// Lang is the person's preferred language where the registry knows it
	// (PreferredLang of their languages), else "".
	Lang  i18n.Lang
	Email string
	// Undeliverable is set when the office's server refused the address
	// for good (see data.Person.EmailUndeliverable).
	Undeliverable string
	Phone         string
	Address       string
	City          string
	Country       string // ISO code, "DE"
	// ContactPerson of an organisation, to put on a label or letter.
	ContactPerson string
}

// ContactOf reads a person, business or organisation; ok is false for
// every other kind.
func ContactOf(r data.Record) (c Contact, ok bool) {
	switch v := r.(type) {
	case *data.Person:
		return Contact{ID: v.ID, Kind: data.KindPerson, Name: v.Title(), GivenName: v.GivenName, FamilyName: v.FamilyName,
			Gender: v.Gender, Lang: PreferredLang(v.Languages), Email: v.Email, Undeliverable: v.EmailUndeliverable,
			Phone: v.Phone, Address: v.Address, City: v.City, Country: v.Country}, true
	case *data.Business:
		return Contact{ID: v.ID, Kind: data.KindBusiness, Name: v.Title(), Email: v.Email, Undeliverable: v.EmailUndeliverable,
			Phone: v.Phone, Address: v.Address, City: v.City, Country: v.Country}, true
	case *data.Organisation:
		return Contact{ID: v.ID, Kind: data.KindOrganisation, Name: v.Title(), Email: v.Email, Phone: v.Phone,
			Address: v.Address, City: v.City, Country: v.Country, ContactPerson: v.ContactPerson}, true
	}
	return Contact{}, false
}

// HasPostal reports whether a letter or label can reach the contact: an
// address or at least a city.
func (c Contact) HasPostal() bool { return c.Address != "" || c.City != "" }
