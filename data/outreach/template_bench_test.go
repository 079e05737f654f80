package outreach

import (
	"fmt"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

// letterText is a letter of about a page with a version in three languages.
const letterText = `{salutation} {given_name} {family_name},

{office} {municipality} poziva Vas na Dane dijaspore, od 1. do 5. avgusta.
Znamo da živite u mjestu {city} ({country}) i radujemo se Vašem dolasku.
Prijave na {{e-mail}} ureda ili telefonom; Vaši podaci kod nas: {email}, {phone},
{address}.

S poštovanjem,
{office}, {date}
[[sq]]
{salutation} {given_name} {family_name},

{office} {municipality} ju fton në Ditët e diasporës, nga 1 deri më 5 gusht.
E dimë që jetoni në {city} ({country}) dhe mezi presim ardhjen tuaj.
Të dhënat tuaja: {email}, {phone}, {address}.

Me respekt,
{office}, {date}
[[sr]]
{salutation} {given_name} {family_name},

{office} {municipality} позива Вас на Дане дијаспоре, од 1. до 5. августа.
Знамо да живите у мјесту {city} ({country}) и радујемо се Вашем доласку.
Ваши подаци код нас: {email}, {phone}, {address}.

С поштовањем,
{office}, {date}
`

// benchContacts are n persons in four languages and a dozen countries.
func benchContacts(n int) []Contact {
	langs := []i18n.Lang{i18n.BS, i18n.SQ, i18n.SR, i18n.SRLatn, i18n.EN, ""}
	countries := []string{"DE", "AT", "CH", "SE", "US", "GB", "FR", "NL", "BA", "XK", "RS", "SI"}
	cs := make([]Contact, n)
	for i := range cs {
		g := "f"
		if i%2 == 1 {
			g = "m"
		}
		cs[i] = Contact{ID: fmt.Sprint(i), Kind: data.KindPerson, Name: fmt.Sprintf("Ime%d Prezime%d", i, i),
			GivenName: fmt.Sprintf("Ime%d", i), FamilyName: fmt.Sprintf("Prezime%d", i), Gender: g,
			Lang: langs[i%len(langs)], Email: fmt.Sprintf("osoba%d@example.com", i), Phone: "+4915112345678",
			Address: "Hauptstraße 5", City: "München", Country: countries[i%len(countries)]}
	}
	return cs
}

// BenchmarkRender5000Letters renders the texts of 5,000 letters (the
// issue's target for the whole letters PDF is 5 s).
func BenchmarkRender5000Letters(b *testing.B) {
	tp, err := ParseTemplate(letterText)
	if err != nil {
		b.Fatal(err)
	}
	cs := benchContacts(5000)
	ctx := Context{Office: data.Office{Name: "Ured za dijasporu", Municipality: "Cazin"}, OfficeLang: i18n.BS,
		Date: data.NewDate(2026, 12, 7)}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, c := range cs {
			n += len(tp.Render(c, ctx))
			_ = AddressLines(c, "BA", i18n.BS)
		}
		if n == 0 {
			b.Fatal("nothing rendered")
		}
	}
}
