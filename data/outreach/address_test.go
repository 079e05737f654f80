package outreach

import (
	"slices"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

func TestAddressLines(t *testing.T) {
	person := func(address, city, country string) Contact {
		return Contact{Kind: data.KindPerson, Name: "Amra Hodžić", GivenName: "Amra", FamilyName: "Hodžić",
			Address: address, City: city, Country: country}
	}
	org := Contact{Kind: data.KindOrganisation, Name: "Udruženje Krajina", ContactPerson: "Senad Mujić",
		Address: "Vasagatan 12", City: "111 20 Stockholm", Country: "SE"}
	cases := []struct {
		name string
		c    Contact
		from string
		lang i18n.Lang
		want []string
	}{
		{"DE city only", person("Hauptstraße 5", "München", "DE"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Hauptstraße 5", "München", "NJEMAČKA"}},
		{"DE postcode in address", person("Hauptstraße 5\n80331 München", "München", "DE"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Hauptstraße 5", "80331 München", "NJEMAČKA"}},
		{"DE postcode in address, city spelt otherwise", person("Hauptstraße 5; 80331 Muenchen", "München", "DE"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Hauptstraße 5", "80331 Muenchen", "NJEMAČKA"}},
		{"DE address ends with the country", person("Hauptstraße 5, 80331 München; Deutschland", "München", "DE"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Hauptstraße 5", "80331 München", "NJEMAČKA"}},
		{"CH street and locality on one line, as the demo and many sheets write them", person("Dorfstrasse 47a, 8476 Winterthur", "Winterthur", "CH"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Dorfstrasse 47a", "8476 Winterthur", "ŠVICARSKA"}},
		{"US street, town and ZIP on one line stay as typed", person("350 Fifth Avenue, New York, NY 10118", "New York", "US"), "BA", i18n.EN,
			[]string{"Amra Hodžić", "350 Fifth Avenue, New York, NY 10118", "UNITED STATES"}},
		{"DE in Serbian Cyrillic", person("Hauptstraße 5", "München", "DE"), "RS", i18n.SR,
			[]string{"Amra Hodžić", "Hauptstraße 5", "München", "НЕМАЧКА"}},
		{"AT postcode after the city", person("Favoritenstraße 12/3", "Wien 1100", "AT"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Favoritenstraße 12/3", "1100 Wien", "AUSTRIJA"}},
		{"CH from Kosovo, in Albanian", person("Bahnhofstrasse 1; 8001 Zürich", "Zürich", "CH"), "XK", i18n.SQ,
			[]string{"Amra Hodžić", "Bahnhofstrasse 1", "8001 Zürich", "ZVICËR"}},
		{"US", person("350 Fifth Avenue", "New York, NY 10118", "US"), "BA", i18n.EN,
			[]string{"Amra Hodžić", "350 Fifth Avenue", "NEW YORK, NY 10118", "UNITED STATES"}},
		{"US postcode typed first", person("350 Fifth Avenue", "10118 New York", "US"), "BA", i18n.EN,
			[]string{"Amra Hodžić", "350 Fifth Avenue", "NEW YORK 10118", "UNITED STATES"}},
		{"GB town and postcode", person("10 Downing Street", "London SW1A 2AA", "GB"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "10 Downing Street", "LONDON", "SW1A 2AA", "VELIKA BRITANIJA"}},
		{"GB town only", person("10 Downing Street", "London", "GB"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "10 Downing Street", "LONDON", "VELIKA BRITANIJA"}},
		{"SE", person("Vasagatan 12", "Stockholm 111 20", "SE"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Vasagatan 12", "111 20 Stockholm", "ŠVEDSKA"}},
		{"BA domestic", person("Titova 5", "77220 Cazin", "BA"), "BA", i18n.BS,
			[]string{"Amra Hodžić", "Titova 5", "77220 Cazin"}},
		{"office country unknown", person("Titova 5", "Cazin", "BA"), "", i18n.BS,
			[]string{"Amra Hodžić", "Titova 5", "Cazin", "BOSNA I HERCEGOVINA"}},
		{"city only", person("", "Graz", "AT"), "BA", i18n.HR,
			[]string{"Amra Hodžić", "Graz", "AUSTRIJA"}},
		{"organisation, Bosnian", org, "BA", i18n.BS,
			[]string{"Udruženje Krajina", "n/r Senad Mujić", "Vasagatan 12", "111 20 Stockholm", "ŠVEDSKA"}},
		{"organisation, Albanian", org, "XK", i18n.SQ,
			[]string{"Udruženje Krajina", "në v. të Senad Mujić", "Vasagatan 12", "111 20 Stockholm", "SUEDI"}},
		{"organisation, English", org, "BA", i18n.EN,
			[]string{"Udruženje Krajina", "Attn. Senad Mujić", "Vasagatan 12", "111 20 Stockholm", "SWEDEN"}},
	}
	for _, c := range cases {
		if got := AddressLines(c.c, c.from, c.lang); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
