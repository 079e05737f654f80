package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// ---- a registry with activities ----

func actPerson(id, given, family, gender, country, city string, born, generation int) *data.Person {
	p := &data.Person{GivenName: given, FamilyName: family, Gender: gender, Country: country, City: city,
		Generation: generation}
	if born > 0 {
		p.BirthDate = data.NewDate(born, 3, 1)
	}
	p.Kind, p.ID = data.KindPerson, id
	return p
}

func actOrg(id, name, country, city string, members ...string) *data.Organisation {
	o := &data.Organisation{Name: name, OrgKind: "diaspora_association", Country: country, City: city, MemberIDs: members}
	o.Kind, o.ID = data.KindOrganisation, id
	return o
}

func part(activity string, kind data.Kind, who, status, by string) *data.Participation {
	p := &data.Participation{ActivityID: activity, ParticipantKind: kind, ParticipantID: who, Status: status, RepresentedBy: by}
	p.Kind, p.ID = data.KindParticipation, data.ParticipationID(activity, who)
	return p
}

// actFixture: a cultural evening (a-event) with persons in Cyrillic and
// Albanian, an organisation represented by a person, one excused and one
// only invited; a consultation (a-cons) with three organisations invited,
// two of whom sent comments, and a comment from a person not invited; an
// activity of 2025 (a-old) that the 2026 report leaves out.
func actFixture() Records {
	loc := &data.Locality{Name: "Ostrožac", Municipality: "Cazin"}
	loc.Kind, loc.ID = data.KindLocality, "l-1"
	rs := Records{loc,
		actPerson("p-djordje", "Ђорђе", "Петровић", "m", "RS", "Beograd", 1980, 1),
		actPerson("p-arber", "Arbër", "Çelik", "m", "DE", "München", 2001, 2),
		actPerson("p-engjell", "Ëngjëll", "Krasniqi", "f", "CH", "Zürich", 1995, 2),
		actPerson("p-amra", "Amra", "Hodžić", "f", "AT", "Wien", 1958, 1),
		actPerson("p-sefik", "Šefik", "Džaferović", "m", "SE", "Malmö", 1975, 0),
		actPerson("p-excused", "Izostala", "Izvinjena", "f", "AT", "Graz", 1990, 3),
		actPerson("p-invited", "Pozvani", "Nedošli", "m", "AT", "Linz", 1990, 3),
		actOrg("o-bec", "Udruženje Bošnjaka u Beču", "AT", "Wien", "p-amra"),
		actOrg("o-zvicer", "Shoqata Kosova në Zvicër", "CH", "Zürich"),
		actOrg("o-sweden", "Bosniska föreningen Malmö", "SE", "Malmö"),
	}
	ev := &data.Activity{Name: "Ljetni susret dijaspore", ActivityKind: "cultural", Start: data.NewDate(2026, 7, 20), StartTime: "18:00",
		Place: data.Place{Country: "BA", City: "Cazin", LocalityID: "l-1", Address: "Trg 1"}, ByOffice: true, OrganiserIDs: []string{"o-bec"},
		Description: "Kulturna večer sa muzikom i izložbom.", Tags: []string{"kultura", "mladi"}}
	ev.Kind, ev.ID = data.KindActivity, "a-event"
	cons := &data.Activity{Name: "Konsultacije o strategiji za dijasporu", ActivityKind: "consultation", Start: data.NewDate(2026, 3, 1),
		End: data.NewDate(2026, 3, 31), ByOffice: true,
		Consultation: &data.Consultation{DraftTitle: "Nacrt strategije saradnje s dijasporom 2027–2030", Reference: "02-05-123/26",
			IssuingBody: "Vlada Unsko-sanskog kantona", Link: "strategija-nacrt.docx", From: data.NewDate(2026, 3, 1), To: data.NewDate(2026, 3, 31),
			Comments: []data.Comment{
				{ID: "c1", FromKind: data.KindOrganisation, FromID: "o-bec", Date: data.NewDate(2026, 3, 10), Article: "Član 5",
					Text: "Predlažemo da se uvede godišnji forum dijaspore.", Response: "accepted", Reason: "Forum je uvršten u mjeru 2.1."},
				{ID: "c2", FromKind: data.KindOrganisation, FromID: "o-zvicer", Date: data.NewDate(2026, 3, 12), Article: "Neni 7",
					Text: "Kërkojmë përfshirjen e brezit të tretë.", Response: "partly", Reason: "Djelimično: mjera 3.4 obuhvata mlade do 30 godina."},
				{ID: "c3", FromKind: data.KindPerson, FromID: "p-djordje", Date: data.NewDate(2026, 3, 20), Article: "Члан 9",
					Text: "Предлажем укидање таксе.", Response: "rejected", Reason: "Таксе нису у надлежности кантона."},
			}}}
	cons.Kind, cons.ID = data.KindActivity, "a-cons"
	old := &data.Activity{Name: "Stari sastanak 2025", ActivityKind: "meeting", Start: data.NewDate(2025, 11, 5), ByOffice: true}
	old.Kind, old.ID = data.KindActivity, "a-old"
	rs = append(rs, ev, cons, old,
		part("a-event", data.KindPerson, "p-djordje", "attended", ""),
		part("a-event", data.KindPerson, "p-arber", "attended", ""),
		part("a-event", data.KindPerson, "p-amra", "attended", ""),
		part("a-event", data.KindPerson, "p-sefik", "registered", ""),
		part("a-event", data.KindPerson, "p-excused", "excused", ""),
		part("a-event", data.KindPerson, "p-invited", "invited", ""),
		part("a-event", data.KindOrganisation, "o-zvicer", "attended", "p-engjell"),
		part("a-cons", data.KindOrganisation, "o-bec", "invited", ""),
		part("a-cons", data.KindOrganisation, "o-zvicer", "invited", ""),
		part("a-cons", data.KindOrganisation, "o-sweden", "invited", ""),
		part("a-old", data.KindPerson, "p-amra", "attended", ""),
	)
	return rs
}

// pdfOf makes the publication and returns its text (words joined by single
// spaces) and page count.
func pdfOf(t testing.TB, pub Publication, src Source, opt Options) (string, int, Info) {
	t.Helper()
	needPoppler(t)
	if opt.Office.Name == "" {
		opt.Office = testOffice()
	}
	pdf, info := generate(t, pub, src, opt)
	path := writeTemp(t, pdf)
	checkFonts(t, path)
	n := pageCount(t, path)
	if n != info.Pages {
		t.Errorf("%s: Info.Pages %d, the PDF has %d", pub, info.Pages, n)
	}
	return squash(pdfText(t, path, 0, 0)), n, info
}

func wantIn(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, squash(w)) {
			t.Errorf("%s: %q missing from:\n%s", what, w, text)
		}
	}
}

func wantNotIn(t *testing.T, what, text string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(text, w) {
			t.Errorf("%s: %q should not be there", what, w)
		}
	}
}

var actLangs = []i18n.Lang{i18n.BS, i18n.SQ, i18n.SR}

func TestAttendanceSheet(t *testing.T) {
	src := actFixture()
	for _, lang := range actLangs {
		text, pages, _ := pdfOf(t, Attendance, src, Options{Lang: lang, Activity: "a-event"})
		what := "attendance " + string(lang)
		if pages != 1 {
			t.Errorf("%s: %d pages, want 1", what, pages)
		}
		wantIn(t, what, text, "Ljetni susret dijaspore", formatDate(time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC), lang)+" 18:00",
			"Ostrožac", "Cazin",
			"Ђорђе Петровић", "Arbër Çelik", "Ëngjëll Krasniqi", "Šefik Džaferović", "Pozvani Nedošli",
			"Shoqata Kosova në Zvicër", "Udruženje Bošnjaka u Beču", // a member's organisation
			"Malmö, "+data.CountryName("SE", lang),
			i18n.T(lang, "report.pub.attendance"), i18n.T(lang, "actrep.att.signature"), i18n.T(lang, "actrep.att.residence"),
			i18n.T(lang, "actrep.att.consent", "office", testOffice().Name))
		wantNotIn(t, what, text, "Izvinjena") // excused: not expected at the door
		// numbered rows: 6 participants and blank rows to the foot of the page
		if !strings.Contains(text, " 20 ") {
			t.Errorf("%s: no blank numbered rows to fill:\n%s", what, text)
		}
	}
	text, _, _ := pdfOf(t, Attendance, src, Options{Lang: i18n.SR, Activity: "a-event"})
	wantIn(t, "sr", text, "Листа присутних", "Потпис", "Место пребивалишта", "Немачка")
}

// bigActivity is an activity with n participants, all attended.
func bigActivity(n int) Records {
	rs := Records{}
	act := &data.Activity{Name: "Dani dijaspore 2026", ActivityKind: "cultural", Start: data.NewDate(2026, 8, 1), Place: data.Place{Country: "BA", City: "Cazin"}, ByOffice: true}
	act.Kind, act.ID = data.KindActivity, "a-big"
	rs = append(rs, act)
	countries := []string{"DE", "AT", "CH", "SE", "US", "SI", "NL"}
	for i := 0; i < n; i++ {
		g := "f"
		if i%3 == 0 {
			g = "m"
		}
		p := actPerson(fmt.Sprintf("p-%05d", i), fmt.Sprintf("Osoba%05d", i), "Prezimenović", g, countries[i%len(countries)], "Grad", 1950+i%55, 1+i%3)
		rs = append(rs, p, part("a-big", data.KindPerson, p.ID, "attended", ""))
	}
	return rs
}

func TestAttendanceSheet2000(t *testing.T) {
	text, pages, _ := pdfOf(t, Attendance, bigActivity(2000), Options{Lang: i18n.BS, Activity: "a-big"})
	if pages < 60 || pages > 120 {
		t.Errorf("2,000 rows on %d pages", pages)
	}
	wantIn(t, "2000", text, "Osoba00000 Prezimenović", "Osoba01999 Prezimenović", " 2000 ", " 2001 ")
}

func TestActivityReport(t *testing.T) {
	src := actFixture()
	for _, lang := range actLangs {
		text, pages, _ := pdfOf(t, ActivityReport, src, Options{Lang: lang, Activity: "a-event"})
		what := "activity " + string(lang)
		if pages < 1 || pages > 4 {
			t.Errorf("%s: %d pages", what, pages)
		}
		wantIn(t, what, text, "Ljetni susret dijaspore", "Kulturna večer sa muzikom i izložbom.",
			data.ValueLabel(data.GroupActivityKind, "cultural", lang), "Udruženje Bošnjaka u Beču",
			i18n.T(lang, "actrep.sec.gender"), i18n.T(lang, "actrep.sec.country"), i18n.T(lang, "actrep.sec.generation"),
			i18n.T(lang, "actrep.sec.age"), i18n.T(lang, "actrep.sec.orgs"),
			data.CountryName("CH", lang), data.CountryName("RS", lang),
			data.ValueLabel(data.GroupGeneration, "2", lang), "18–29", "65+",
			"Shoqata Kosova në Zvicër")
		// 7 participants, 4 attended: 2 women (Amra, Ëngjëll for her
		// organisation), 2 men; 2 organisations represented
		wantIn(t, what, text, "7 4 2 2 2 "+i18n.T(lang, "actrep.fig.participants")+" "+i18n.T(lang, "actrep.fig.attended"))
		wantNotIn(t, what, text, "Ђорђе", "Izvinjena") // the report counts, it does not list people
	}
}

func TestActivityReport2000(t *testing.T) {
	text, pages, _ := pdfOf(t, ActivityReport, bigActivity(2000), Options{Lang: i18n.SQ, Activity: "a-big", Size: A5})
	if pages < 2 || pages > 10 {
		t.Errorf("activity of 2,000 on %d A5 pages", pages)
	}
	wantIn(t, "2000", text, "2 000 2 000 1 333 667 0 "+i18n.T(i18n.SQ, "actrep.fig.participants"), data.CountryName("SI", i18n.SQ))
}

func TestActivityReportBooklet(t *testing.T) {
	_, info := generate(t, ActivityReport, actFixture(), Options{Lang: i18n.BS, Activity: "a-event", Booklet: LongEdge})
	if info.Sheets == 0 || info.Pages%4 != 0 {
		t.Errorf("booklet: %+v", info)
	}
}

func TestConsultationReport(t *testing.T) {
	src := actFixture()
	for _, lang := range actLangs {
		text, pages, _ := pdfOf(t, ConsultationReport, src, Options{Lang: lang, Activity: "a-cons"})
		what := "consultation " + string(lang)
		if pages < 1 || pages > 4 {
			t.Errorf("%s: %d pages", what, pages)
		}
		wantIn(t, what, text, "Nacrt strategije saradnje s dijasporom 2027–2030", "02-05-123/26", "Vlada Unsko-sanskog kantona",
			formatDate(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), lang)+" – "+formatDate(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), lang),
			i18n.T(lang, "actrep.cons.sec.invited"), i18n.T(lang, "actrep.cons.sec.comments"),
			"Bosniska föreningen Malmö", i18n.T(lang, "actrep.cons.no"), i18n.T(lang, "actrep.cons.yes", "n", "1"),
			i18n.T(lang, "actrep.cons.notinvited"), // the person's comment
			"Član 5", "Predlažemo da se uvede godišnji forum dijaspore.", "Forum je uvršten u mjeru 2.1.",
			"Neni 7", "Kërkojmë përfshirjen e brezit të tretë.",
			"Члан 9", "Предлажем укидање таксе.", "Таксе нису у надлежности кантона.",
			data.ValueLabel(data.GroupCommentResponse, "accepted", lang), data.ValueLabel(data.GroupCommentResponse, "partly", lang),
			data.ValueLabel(data.GroupCommentResponse, "rejected", lang),
			i18n.T(lang, "actrep.cons.col.reason"), i18n.T(lang, "actrep.cons.col.response"))
		// 3 invited, 3 responded (one not invited), 3 comments, 2 accepted in full or in part
		wantIn(t, what, text, "3 3 3 2 "+i18n.T(lang, "actrep.cons.fig.invited")+" "+i18n.T(lang, "actrep.cons.fig.responded"))
	}
	// a long comment runs over pages and is printed whole
	rs := actFixture()
	cons := *rs[12].(*data.Activity)
	c := *cons.Consultation
	long := strings.Repeat("Dugačak komentar o nacrtu strategije. ", 300) + "KRAJ KOMENTARA"
	c.Comments = append(append([]data.Comment(nil), c.Comments...), data.Comment{ID: "c4", FromKind: data.KindOrganisation, FromID: "o-sweden", Text: long})
	cons.Consultation = &c
	rs[12] = &cons
	text, pages, _ := pdfOf(t, ConsultationReport, rs, Options{Lang: i18n.BS, Activity: "a-cons"})
	if pages < 2 {
		t.Errorf("a comment of 11,000 characters on %d pages", pages)
	}
	wantIn(t, "long", text, "KRAJ KOMENTARA", i18n.T(i18n.BS, "actrep.cons.pending"))
}

func TestConsultationReportNotAConsultation(t *testing.T) {
	var buf bytes.Buffer
	_, err := Generate(context.Background(), &buf, ConsultationReport, actFixture(), Options{Lang: i18n.BS, Activity: "a-event"})
	var ae *ActivityError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "Ljetni susret dijaspore") || buf.Len() != 0 {
		t.Fatalf("err %v, %d bytes written", err, buf.Len())
	}
}

func TestActivityPublicationMissingActivity(t *testing.T) {
	for _, pub := range []Publication{Attendance, ActivityReport, ConsultationReport} {
		var buf bytes.Buffer
		_, err := Generate(context.Background(), &buf, pub, actFixture(), Options{Lang: i18n.SQ, Activity: "a-nope"})
		if !errors.Is(err, ErrNoActivity) || !strings.Contains(err.Error(), "a-nope") || buf.Len() != 0 {
			t.Errorf("%s: err %v, %d bytes", pub, err, buf.Len())
		}
	}
	_, err := Generate(context.Background(), &bytes.Buffer{}, AnnualActivities, actFixture(), Options{Lang: i18n.BS})
	if !errors.Is(err, ErrNoActivity) {
		t.Errorf("annual report without a year: %v", err)
	}
}

func TestAnnualActivitiesReport(t *testing.T) {
	src := actFixture()
	for _, lang := range actLangs {
		text, pages, _ := pdfOf(t, AnnualActivities, src, Options{Lang: lang, Year: 2026})
		what := "annual " + string(lang)
		if pages < 1 || pages > 4 {
			t.Errorf("%s: %d pages", what, pages)
		}
		wantIn(t, what, text, i18n.T(lang, "actrep.annual.title", "year", "2026"),
			"Ljetni susret dijaspore", "Konsultacije o strategiji za dijasporu",
			data.ValueLabel(data.GroupActivityKind, "cultural", lang), data.ValueLabel(data.GroupActivityKind, "consultation", lang),
			i18n.T(lang, "actrep.annual.sec.kind"), i18n.T(lang, "actrep.annual.sec.list"),
			// 2 activities, 4 attended, 2 women, 2 men, 1 consultation
			"2 4 2 2 1 "+i18n.T(lang, "actrep.annual.fig.activities")+" "+i18n.T(lang, "actrep.fig.attended"),
			// the list's totals: 10 participants, 4 attended, 2 women, 2 men
			i18n.T(lang, "report.stats.col.total"))
		if !strings.HasSuffix(strings.TrimSpace(strings.Split(text, i18n.T(lang, "actrep.annual.sec.list"))[1]), "10 4 2 2 "+formatDate(testNow, lang)) {
			t.Errorf("%s: the list does not end in its totals:\n%s", what, text)
		}
		wantNotIn(t, what, text, "Stari sastanak 2025")
	}
	st, err := CollectActivityStats(context.Background(), src, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Activities) != 2 || st.KindCount["cultural"] != 1 || st.KindCount["consultation"] != 1 ||
		st.Attended != (GenderCount{F: 2, M: 2}) || st.Participants != 10 || st.ByStatus["invited"] != 4 {
		t.Errorf("stats: %+v", st)
	}
	text, _, _ := pdfOf(t, AnnualActivities, src, Options{Lang: i18n.SQ, Year: 2019})
	wantIn(t, "empty year", text, i18n.T(i18n.SQ, "actrep.annual.none", "year", "2019"))
}

func TestStatisticsActivitiesSection(t *testing.T) {
	text, _, _ := pdfOf(t, Statistics, actFixture(), Options{Lang: i18n.SR})
	wantIn(t, "statistics", text, i18n.T(i18n.SR, "actrep.stats.section"), data.ValueLabel(data.GroupActivityKind, "consultation", i18n.SR),
		i18n.T(i18n.SR, "actrep.stats.note", "n", "3", "attended", "5"), "2025", "2026")
	text, _, _ = pdfOf(t, Statistics, fixture(), Options{Lang: i18n.SR})
	wantNotIn(t, "no activities", text, i18n.T(i18n.SR, "actrep.stats.note", "n", "0", "attended", "0"))
}

// Reports made from the store after a person is erased neither name nor
// count them; one in the trash is left out too.
func TestActivityReportsAfterErase(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var recs []data.Record
	for _, r := range actFixture() {
		if _, ok := r.(*data.Participation); !ok {
			recs = append(recs, r)
		}
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range actFixture() {
		if p, ok := r.(*data.Participation); ok {
			if _, err := st.SetParticipation(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, _, _ := pdfOf(t, Attendance, st, Options{Lang: i18n.BS, Activity: "a-event"})
	wantIn(t, "before", before, "Arbër Çelik", "Ђорђе Петровић")
	if err := st.Erase("p-arber"); err != nil {
		t.Fatal(err)
	}
	if err := st.Trash("p-sefik"); err != nil {
		t.Fatal(err)
	}
	after, _, _ := pdfOf(t, Attendance, st, Options{Lang: i18n.BS, Activity: "a-event"})
	wantNotIn(t, "after erase", after, "Arbër", "Çelik", "Šefik")
	wantIn(t, "after erase", after, "Ђорђе Петровић")
	rep, _, _ := pdfOf(t, ActivityReport, st, Options{Lang: i18n.BS, Activity: "a-event"})
	// 5 participants left, 3 attended (Arbër erased; Šefik, registered, in the trash)
	wantIn(t, "report after erase", rep, "5 3 2 1 2 "+i18n.T(i18n.BS, "actrep.fig.participants"))
	as, err := CollectActivityStats(context.Background(), st, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if as.Attended.Total() != 3 || as.Participants != 8 {
		t.Errorf("annual figures after erase: attended %+v, participants %d", as.Attended, as.Participants)
	}
}

// TestActivityShots writes each new publication of actFixture in Bosnian,
// Albanian and Serbian Cyrillic to $REPORTS_SHOTS, to be looked at
// (pdftoppm -png -r 60); it is skipped without it.
func TestActivityShots(t *testing.T) {
	dir := os.Getenv("REPORTS_SHOTS")
	if dir == "" {
		t.Skip("REPORTS_SHOTS not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, lang := range actLangs {
		for _, c := range []struct {
			pub Publication
			opt Options
		}{
			{Attendance, Options{Activity: "a-event"}},
			{ActivityReport, Options{Activity: "a-event"}},
			{ConsultationReport, Options{Activity: "a-cons"}},
			{AnnualActivities, Options{Year: 2026}},
			{Statistics, Options{}},
		} {
			c.opt.Lang, c.opt.Office = lang, testOffice()
			pdf, _ := generate(t, c.pub, actFixture(), c.opt)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s.pdf", c.pub, lang)), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
