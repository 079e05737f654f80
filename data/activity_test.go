package data

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"registar/data/i18n"
)

func validActivity() *Activity {
	return &Activity{Name: "Konsultacije o Strategiji saradnje s dijasporom", ActivityKind: "consultation",
		Start: NewDate(2026, 4, 1), End: NewDate(2026, 4, 30), StartTime: "10:00", EndTime: "12:00",
		Place: Place{Country: "BA", City: "Bihać", LocalityID: "l1"}, OrganiserIDs: []string{"o1"}, ByOffice: true,
		Tags: []string{"strategija"},
		Consultation: &Consultation{DraftTitle: "Nacrt strategije", Reference: "02-14/26", From: NewDate(2026, 4, 1), To: NewDate(2026, 4, 30),
			Comments: []Comment{{ID: "c1", FromKind: KindOrganisation, FromID: "o1", Article: "čl. 5", Text: "Dopuniti.", Response: "partly"}}}}
}

func fieldsOf(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, fe := range ve.Errors {
		out = append(out, fe.Field)
	}
	return out
}

func TestActivityKindsKnown(t *testing.T) {
	for _, k := range []Kind{KindActivity, KindParticipation} {
		r, err := New(k)
		if err != nil || KindOf(r) != k || r.Base().Kind != k {
			t.Fatalf("New(%s): %v %v", k, r, err)
		}
		b, err := Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := Decode(k, b); err != nil || KindOf(d) != k {
			t.Fatalf("Decode(%s): %v", k, err)
		}
	}
	for s, want := range map[string]Kind{"activity": KindActivity, "Activities": KindActivity, "participants": KindParticipation, "persons": KindPerson} {
		if k, err := ParseKind(s); err != nil || k != want {
			t.Errorf("ParseKind(%q) = %q, %v", s, k, err)
		}
	}
	if len(AllKinds) != len(Kinds)+3 || AllKinds[4] != KindActivity || len(Kinds) != 4 {
		t.Errorf("AllKinds = %v", AllKinds)
	}
	a := validActivity()
	b, _ := Encode(a)
	d, err := Decode(KindActivity, b)
	if err != nil || !reflect.DeepEqual(d.(*Activity).Consultation, a.Consultation) || d.(*Activity).Place != a.Place {
		t.Fatalf("round trip: %+v %v", d, err)
	}
}

func TestActivityValidation(t *testing.T) {
	if err := Validate(validActivity(), i18n.EN, testLinks); err != nil {
		t.Fatalf("valid activity refused: %v", err)
	}
	cases := []struct {
		name   string
		change func(a *Activity)
		want   string
		msg    string // in Bosnian
	}{
		{"end before start", func(a *Activity) { a.End = NewDate(2026, 3, 31) }, "end", "Datum završetka"},
		{"end time before start time", func(a *Activity) { a.End = Date{}; a.EndTime = "09:30" }, "end_time", "Vrijeme završetka"},
		{"time not a time", func(a *Activity) { a.StartTime = "25:70" }, "start_time", "sati:minute"},
		{"consultation of a meeting", func(a *Activity) { a.ActivityKind = "meeting" }, "consultation", "Konsultacije o nacrtu propisa"},
		{"period backwards", func(a *Activity) { a.Consultation.To = NewDate(2026, 3, 1) }, "consultation.to", "Komentari do"},
		{"comment without text", func(a *Activity) { a.Consultation.Comments[0].Text = "" }, "consultation.comments[0].text", "Komentar"},
		{"comment from an unknown organisation", func(a *Activity) { a.Consultation.Comments[0].FromID = "o9" }, "consultation.comments[0].from_id", "nije u registru"},
		{"comment sender without kind", func(a *Activity) { a.Consultation.Comments[0].FromKind = "" }, "consultation.comments[0].from_kind", "organizacija ili osoba"},
		{"organiser not in registry", func(a *Activity) { a.OrganiserIDs = []string{"o9"} }, "organiser_ids[0]", "Organizatori"},
		{"unknown kind", func(a *Activity) { a.ActivityKind = "party" }, "activity_kind", "Sastanak"},
		{"no title", func(a *Activity) { a.Name = "" }, "title", "Naziv"},
		{"no start", func(a *Activity) { a.Start = Date{}; a.End = Date{} }, "start", "Datum početka"},
	}
	for _, c := range cases {
		a := validActivity()
		c.change(a)
		err := Validate(a, i18n.BS, testLinks)
		if got := fieldsOf(err); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: fields %v, want [%s] (%v)", c.name, got, c.want, err)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: message %q does not say %q", c.name, err.Error(), c.msg)
		}
	}
}

func TestParticipationValidation(t *testing.T) {
	links := func(k Kind, id string) bool { return testLinks(k, id) || (k == KindActivity && id == "a1") }
	p := &Participation{ActivityID: "a1", ParticipantKind: KindPerson, ParticipantID: "p1", Status: "attended", Role: "speaker"}
	if err := Validate(p, i18n.EN, links); err != nil {
		t.Fatalf("valid participation refused: %v", err)
	}
	bad := *p
	bad.ParticipantID = "p9"
	if got := fieldsOf(Validate(&bad, i18n.BS, links)); len(got) != 1 || got[0] != "participant_id" {
		t.Errorf("unknown participant: %v", got)
	}
	bad = *p
	bad.Status = "maybe"
	err := Validate(&bad, i18n.BS, links)
	if got := fieldsOf(err); len(got) != 1 || got[0] != "status" || !strings.Contains(err.Error(), "Prisutan") {
		t.Errorf("bad status: %v", err)
	}
	if a, b := ParticipationID("a1", "p1"), ParticipationID("a1", "p1"); a != b || a == ParticipationID("a1", "p2") || len(a) != 36 {
		t.Errorf("ParticipationID: %s %s", a, b)
	}
}

func TestActivityValues(t *testing.T) {
	cases := []struct {
		group, in, want string
	}{
		{GroupParticipation, "prisutan", "attended"},
		{GroupParticipation, "Присутна", "attended"},
		{GroupParticipation, "attended", "attended"},
		{GroupParticipation, "i pranishëm", "attended"},
		{GroupParticipation, "I PRANISHEM", "attended"},
		{GroupParticipation, "opravdano odsutan", "excused"},
		{GroupParticipation, "odsutan", "absent"},
		{GroupParticipation, "pozvana", "invited"},
		{GroupParticipation, "prijavljen", "registered"},
		{GroupActivityKind, "sjednica", "session"},
		{GroupActivityKind, "javne konsultacije", "consultation"},
		{GroupActivityKind, "ljetna škola", "summer_school"},
		{GroupActivityKind, "radionica", "training"},
		{GroupRole, "predavač", "speaker"},
		{GroupRole, "Gošća", "guest"},
		{GroupRole, "vullnetare", "volunteer"},
		{GroupCommentResponse, "djelimično prihvaćen", "partly"},
		{GroupCommentResponse, "Nije prihvaćen", "rejected"},
		{GroupCommentResponse, "nuk pranohet", "rejected"},
		{GroupCommentResponse, "primljeno k znanju", "noted"},
		{GroupCommentResponse, "prihvaćeno", "accepted"},
	}
	for _, c := range cases {
		if got, ok := ParseValue(c.group, c.in); !ok || got != c.want {
			t.Errorf("ParseValue(%s, %q) = %q,%v want %s", c.group, c.in, got, ok, c.want)
		}
	}
	if got := ValueLabel(GroupParticipation, "attended", i18n.SQ); got != "I pranishëm" {
		t.Errorf("label: %q", got)
	}
	if got := FieldLabel("activity_kind", i18n.SR); got != "Врста активности" {
		t.Errorf("field label: %q", got)
	}
	// The value groups list exactly the codes the model's oneof rules allow.
	for typ, fields := range map[reflect.Type][]string{reflect.TypeOf(Activity{}): {"ActivityKind"},
		reflect.TypeOf(Participation{}): {"Status", "Role"}, reflect.TypeOf(Comment{}): {"Response"}} {
		for _, f := range fields {
			sf, _ := typ.FieldByName(f)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			_, p, _ := strings.Cut(sf.Tag.Get("validate"), "oneof=")
			if got := strings.Join(valueCodes[valueGroups[name]], " "); got != p {
				t.Errorf("%s.%s: codes %q, model allows %q", typ.Name(), f, got, p)
			}
		}
	}
}

func TestHistoryShowsActivityFields(t *testing.T) {
	a1, a2 := validActivity(), validActivity()
	a1.ID, a2.ID = "a1", "a1"
	a2.Place.City = "Cazin"
	a2.ActivityKind = "meeting"
	a2.Consultation = nil
	got := changeLines(FieldChanges(KindActivity, encodeRecord(t, a1), encodeRecord(t, a2), i18n.BS, historyTitles))
	joined := strings.Join(got, "\n")
	for _, want := range []string{"Vrsta aktivnosti: Konsultacije o nacrtu propisa → Sastanak", "Mjesto održavanja: Bihać, Bosna i Hercegovina", "→ Cazin, Bosna i Hercegovina", "Nacrt strategije, 02-14/26"} {
		if !strings.Contains(joined, want) {
			t.Errorf("history lacks %q:\n%s", want, joined)
		}
	}
}

// What people type into an activity is tidied before validation, as for a
// person: trimmed, the country upper-cased, empty tags dropped.
func TestNormalizeActivity(t *testing.T) {
	a := &Activity{Name: "  Ljetna   škola ", ActivityKind: " Summer_School", Place: Place{Country: " at", City: " Wien "},
		Tags: []string{" mladi", "", "mladi"}, Consultation: &Consultation{Comments: []Comment{{Text: " tekst \n", Response: "Accepted "}}}}
	Normalize(a, "BA")
	if a.Name != "Ljetna škola" || a.ActivityKind != "summer_school" || a.Place.Country != "AT" || a.Place.City != "Wien" ||
		len(a.Tags) != 1 || a.Consultation.Comments[0].Text != "tekst" || a.Consultation.Comments[0].Response != "accepted" {
		t.Fatalf("normalised %+v %+v", a, a.Consultation.Comments)
	}
	p := &Participation{Status: " Attended", Role: "Speaker "}
	Normalize(p, "BA")
	if p.Status != "attended" || p.Role != "speaker" {
		t.Fatalf("participation %+v", p)
	}
}
