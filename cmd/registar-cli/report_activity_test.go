package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// activityStore is a registry with a cultural evening (a-event) that a
// Serbian, an Albanian and a Bosnian attended, and a consultation (a-cons)
// with a comment.
func activityStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	person := func(id, given, family, gender, country string) *data.Person {
		p := &data.Person{GivenName: given, FamilyName: family, Gender: gender, Country: country, City: "Grad", BirthDate: data.NewDate(1980, 1, 2)}
		p.Kind, p.ID = data.KindPerson, id
		return p
	}
	org := &data.Organisation{Name: "Shoqata Kosova në Zvicër", OrgKind: "diaspora_association", Country: "CH", City: "Zürich"}
	org.Kind, org.ID = data.KindOrganisation, "o-1"
	ev := &data.Activity{Name: "Ljetni susret dijaspore", ActivityKind: "cultural", Start: data.NewDate(2026, 7, 20), ByOffice: true,
		Place: data.Place{Country: "BA", City: "Cazin"}}
	ev.Kind, ev.ID = data.KindActivity, "a-event"
	cons := &data.Activity{Name: "Konsultacije o strategiji", ActivityKind: "consultation", Start: data.NewDate(2026, 3, 1), ByOffice: true,
		Consultation: &data.Consultation{DraftTitle: "Nacrt strategije za dijasporu", Comments: []data.Comment{
			{ID: "c1", FromKind: data.KindOrganisation, FromID: "o-1", Article: "Neni 7", Text: "Kërkojmë përfshirjen e brezit të tretë.", Response: "partly", Reason: "Mjera 3.4."},
		}}}
	cons.Kind, cons.ID = data.KindActivity, "a-cons"
	recs := []data.Record{person("p-1", "Ђорђе", "Петровић", "m", "RS"), person("p-2", "Arbër", "Çelik", "m", "DE"),
		person("p-3", "Amra", "Hodžić", "f", "AT"), org, ev, cons}
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Invite("a-event", data.KindPerson, []string{"p-1", "p-2", "p-3"}, "attended"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Invite("a-cons", data.KindOrganisation, []string{"o-1"}, ""); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestReportActivityPublications(t *testing.T) {
	needPoppler(t)
	db := activityStore(t)
	dir := t.TempDir()
	cases := []struct {
		args  []string
		lang  string
		wants []string
	}{
		{[]string{"attendance", "--activity", "a-event"}, "sr", []string{"Листа присутних", "Ђорђе Петровић", "Arbër Çelik", "Потпис"}},
		{[]string{"activity", "--activity", "a-event", "--size", "a5"}, "sq", []string{"Raporti i aktivitetit", "Ljetni susret dijaspore", "3 3 1 2 0"}},
		{[]string{"consultation", "--activity", "a-cons"}, "bs", []string{"Izvještaj o konsultacijama", "Nacrt strategije za dijasporu",
			"Kërkojmë përfshirjen e brezit të tretë.", data.ValueLabel(data.GroupCommentResponse, "partly", i18n.BS)}},
		{[]string{"activities", "--year", "2026", "--booklet", "long"}, "sr", []string{"Активности у 2026. години", "Ljetni susret dijaspore", "Konsultacije o strategiji"}},
	}
	for _, c := range cases {
		out := filepath.Join(dir, c.args[0]+".pdf")
		stdout := mustCLI(t, nil, append([]string{"--db", db, "report", "--lang", c.lang, "--out", out}, c.args...)...)
		if !strings.Contains(stdout, "wrote "+out) {
			t.Errorf("%v: %s", c.args, stdout)
		}
		fontsEmbedded(t, out)
		text := reportText(t, out)
		for _, w := range c.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%v: %q missing from\n%s", c.args, w, text)
			}
		}
		if n := reportPages(t, out); n < 1 || n > 6 {
			t.Errorf("%v: %d pages", c.args, n)
		}
	}
}

func TestReportActivityBadInput(t *testing.T) {
	db := activityStore(t)
	out := filepath.Join(t.TempDir(), "x.pdf")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"attendance"}, 2, "--activity"},
		{[]string{"activities"}, 2, "--year"},
		{[]string{"statistics", "--activity", "a-event"}, 2, "--activity is for"},
		{[]string{"activity", "--activity", "a-event", "--year", "2026"}, 2, "--year is for"},
		{[]string{"attendance", "--activity", "a-event", "--size", "a6"}, 2, "A4"},
		{[]string{"activity", "--activity", "a-nope", "--lang", "bs"}, 1, "U registru nema aktivnosti a-nope"},
		{[]string{"consultation", "--activity", "a-event", "--lang", "sq"}, 1, "nuk është konsultim"},
	} {
		r := cli(t, nil, append([]string{"--db", db, "report", "--out", out}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", c.args, r.code, c.code, c.want, r.stdout, r.stderr)
		}
	}
}
