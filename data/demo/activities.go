package demo

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"

	"registar/data"
)

// A year of the offices' activities (Options.Activities): the council's
// sessions, summer events, a consultation of civil-society organisations on
// a policy draft with their comments and the office's responses, a
// business forum, information sessions, a training, a visit, a New Year's
// reception; the ten months before Options.Now and the two after, so that
// there is history to report on and something coming on Home. Each has
// participants drawn from the demo's persons (and organisations, with the
// person who represented them) with the statuses a real event ends with:
// most who were invited attended, some excused, a few absent; those still
// to come invited or registered. Participants are drawn from the community
// the event is for, so the figures by gender are the community's.
//
// They come after every other record and from their own random streams:
// a demo with activities has the same persons, businesses and
// organisations as one without.

// actDef is one activity of the demo year.
type actDef struct {
	month, day int // of its start, in the year that falls in the window
	days       int // how long it lasts (0: one day)
	kind       string
	title      string
	start, end string // times
	country    string
	city       string
	address    string
	online     bool
	cm         int // the community it is for; -1 for everyone
	persons    [2]int
	orgs       [2]int // organisations taking part (with a representative)
	organisers int    // organisations that organised it with the office
	tags       []string
	desc       string
	session    bool // members of a body: most attend
	council    bool // the municipality's diaspora council: the same members every time
}

const anyone = -1

var actDefs = []actDef{
	{month: 1, day: 29, kind: "meeting", title: "Sastanak s predstavnicima udruženja dijaspore", start: "18:00", end: "20:00",
		country: "BA", city: "Cazin", online: true, cm: anyone, persons: [2]int{3, 6}, orgs: [2]int{14, 22},
		tags: []string{"udruženja"}, desc: "Plan aktivnosti za godinu i kalendar ljetnih manifestacija."},
	{month: 2, day: 19, kind: "session", title: "1. sjednica Savjeta za dijasporu", start: "11:00", end: "13:30",
		country: "BA", city: "Cazin", address: "Općina Cazin, sala za sjednice", cm: int(bosniakUSK), persons: [2]int{13, 15},
		session: true, council: true, tags: []string{"savjet"}, desc: "Usvajanje programa rada Savjeta."},
	{month: 3, day: 2, days: 30, kind: "consultation", title: "Javne konsultacije o Strategiji saradnje s dijasporom",
		country: "BA", city: "Bihać", cm: anyone, orgs: [2]int{18, 26},
		tags: []string{"konsultacije", "strategija"}, desc: "Nacrt je poslan organizacijama civilnog društva na komentare."},
	{month: 4, day: 22, kind: "visit", title: "Posjeta udruženju Bosanaca u Göteborgu", start: "17:00",
		country: "SE", city: "Göteborg", cm: int(bosniakUSK), persons: [2]int{15, 28}, orgs: [2]int{1, 2},
		tags: []string{"posjeta"}, desc: "Susret s članovima udruženja i predstavljanje usluga ureda."},
	{month: 5, day: 9, kind: "cultural", title: "Sevdah večer u Beču", start: "19:30", end: "22:30",
		country: "AT", city: "Wien", address: "Kulturni centar, Favoritenstraße 95", cm: int(bosniakUSK), persons: [2]int{90, 160},
		organisers: 1, tags: []string{"kultura"}, desc: "Koncert sevdalinki za drugu i treću generaciju."},
	{month: 5, day: 14, kind: "session", title: "2. sjednica Savjeta za dijasporu", start: "11:00", end: "13:00",
		country: "BA", city: "Cazin", address: "Općina Cazin, sala za sjednice", cm: int(bosniakUSK), persons: [2]int{13, 15},
		session: true, council: true, tags: []string{"savjet"}, desc: "Priprema Dana dijaspore."},
	{month: 6, day: 12, kind: "info_session", title: "Info sesija: povratak i zapošljavanje", start: "18:00", end: "20:00",
		country: "DE", city: "München", cm: anyone, persons: [2]int{35, 60}, tags: []string{"povratak", "zapošljavanje"},
		desc: "Zavod za zapošljavanje i porezna uprava odgovaraju na pitanja o povratku."},
	{month: 7, day: 6, days: 12, kind: "summer_school", title: "Ljetna škola bosanskog jezika i kulture", start: "09:00", end: "13:00",
		country: "BA", city: "Bihać", cm: int(bosniakUSK), persons: [2]int{30, 45}, organisers: 1,
		tags: []string{"ljeto", "mladi", "jezik"}, desc: "Dvije sedmice jezika, historije i izleta za mlade iz dijaspore."},
	{month: 7, day: 24, days: 3, kind: "cultural", title: "Dani dijaspore", start: "18:00",
		country: "BA", city: "Cazin", address: "Gradski trg", cm: int(bosniakUSK), persons: [2]int{260, 420}, orgs: [2]int{6, 12}, organisers: 2,
		tags: []string{"ljeto", "kultura"}, desc: "Koncerti, izložba i susret dijaspore s općinskim vlastima."},
	{month: 8, day: 1, kind: "sports", title: "Turnir u malom fudbalu dijaspore", start: "10:00", end: "19:00",
		country: "BA", city: "Velika Kladuša", address: "Gradski stadion", cm: int(bosniakUSK), persons: [2]int{70, 110}, orgs: [2]int{4, 8},
		tags: []string{"ljeto", "sport"}, desc: "Ekipe udruženja iz Njemačke, Austrije, Švedske i Slovenije."},
	{month: 8, day: 8, kind: "cultural", title: "Susret iseljenika Lašvanske doline", start: "17:00",
		country: "BA", city: "Travnik", address: "Nova Bila, župni dvor", cm: int(croatian), persons: [2]int{60, 120}, organisers: 1,
		tags: []string{"ljeto", "kultura"}, desc: "Tradicionalni ljetni susret iseljenika iz Lašvanske doline."},
	{month: 8, day: 14, kind: "cultural", title: "Festa e Diasporës", start: "19:00", end: "23:00",
		country: "XK", city: "Gjilan", address: "Sheshi Skënderbeu", cm: int(albanian), persons: [2]int{150, 260}, orgs: [2]int{3, 6}, organisers: 1,
		tags: []string{"verë", "kulturë"}, desc: "Mbrëmje kulturore me artistë nga diaspora."},
	{month: 8, day: 20, kind: "business_forum", title: "Biznis forum dijaspore", start: "10:00", end: "16:00",
		country: "BA", city: "Bihać", address: "Hotel Opal", cm: anyone, persons: [2]int{80, 130}, orgs: [2]int{5, 10}, organisers: 1,
		tags: []string{"privreda", "investicije"}, desc: "Investicijske prilike, poticaji i susreti s domaćim firmama."},
	{month: 8, day: 21, kind: "business_forum", title: "Takim me bizneset e diasporës", start: "10:00", end: "14:00",
		country: "XK", city: "Gjilan", cm: int(albanian), persons: [2]int{40, 70},
		tags: []string{"biznes"}, desc: "Takim i bizneseve të diasporës me Komunën e Gjilanit."},
	{month: 9, day: 17, kind: "session", title: "3. sjednica Savjeta za dijasporu", start: "11:00", end: "13:00",
		country: "BA", city: "Cazin", address: "Općina Cazin, sala za sjednice", cm: int(bosniakUSK), persons: [2]int{13, 15},
		session: true, council: true, tags: []string{"savjet"}, desc: "Izvještaj o ljetnim manifestacijama."},
	{month: 10, day: 3, kind: "session", title: "Скупштина дијаспоре: радна група за привреду", start: "12:00", end: "15:00",
		country: "RS", city: "Beograd", cm: int(serbian), persons: [2]int{20, 30},
		session: true, tags: []string{"скупштина"}, desc: "Предлози мера за улагања дијаспоре."},
	{month: 10, day: 10, kind: "info_session", title: "Info sesija: investiranje i poticaji", start: "18:00", end: "19:30",
		country: "AT", city: "Wien", online: true, cm: anyone, persons: [2]int{45, 80},
		tags: []string{"investicije"}, desc: "Online predstavljanje poticaja za investitore iz dijaspore."},
	{month: 11, day: 14, kind: "training", title: "Obuka za udruženja: pisanje projekata", start: "09:30", end: "15:00",
		country: "BA", city: "Bihać", cm: anyone, orgs: [2]int{12, 20},
		tags: []string{"udruženja", "projekti"}, desc: "Kako se prijaviti na javne pozive kantona i EU."},
	{month: 12, day: 10, kind: "session", title: "4. sjednica Savjeta za dijasporu", start: "11:00", end: "13:00",
		country: "BA", city: "Cazin", address: "Općina Cazin, sala za sjednice", cm: int(bosniakUSK), persons: [2]int{13, 15},
		session: true, council: true, tags: []string{"savjet"}, desc: "Program rada za iduću godinu."},
	{month: 12, day: 29, kind: "cultural", title: "Novogodišnji prijem za dijasporu", start: "19:00", end: "22:00",
		country: "BA", city: "Cazin", address: "Dom kulture", cm: int(bosniakUSK), persons: [2]int{100, 170}, organisers: 1,
		tags: []string{"prijem"}, desc: "Prijem načelnika za dijasporu koja je kući za praznike."},
}

// consultationComments are the comments the consultation receives, in order
// (as many as organisations responded).
var consultationComments = []struct{ article, text, response, reason string }{
	{"čl. 3", "Predlažemo da se u ciljeve uvrsti saradnja s udruženjima druge i treće generacije.", "accepted", "Cilj 3.2 dopunjen."},
	{"čl. 5", "Tražimo godišnji sajam investicija dijaspore u Bihaću.", "partly", "Sajam će se održavati svake druge godine, u skladu s budžetom."},
	{"čl. 7", "Nacrt ne predviđa sredstva za projekte udruženja; predlažemo javni poziv.", "accepted", "Dodan član 7a o godišnjem javnom pozivu."},
	{"čl. 8", "Predlažemo jedinstveni šalter za investitore iz dijaspore u svakoj općini.", "rejected", "Nije u nadležnosti Vlade kantona; prijedlog je upućen općinama."},
	{"čl. 4", "Tražimo da se svi podaci o dijaspori vode razvrstani po spolu.", "accepted", "Svi pokazatelji strategije bit će razvrstani po spolu."},
	{"čl. 10", "Rok od 30 dana za izvještavanje je prekratak.", "partly", "Rok produžen na 45 dana."},
	{"opće", "Podržavamo nacrt u cjelini i nudimo učešće u radnoj grupi.", "noted", "Organizacija će biti pozvana u radnu grupu."},
	{"čl. 12", "Predlažemo ljetnu praksu za mlade iz dijaspore u javnim ustanovama.", "accepted", "Uvršteno u mjeru 4.1."},
	{"čl. 14", "Obrasci bi trebali biti i na njemačkom jeziku.", "rejected", "Službeni jezici propisani su zakonom; prevodi će biti dostupni kao pomoć."},
	{"čl. 6", "Nedostaje mjera za penzionere koji se vraćaju.", "noted", "Razmotrit će se u akcionom planu."},
}

// maxDemoOrgs is how many organisations the activities draw from.
const maxDemoOrgs = 2000

// actOrg is what the activities need to know of a demo organisation.
type actOrg struct{ id, kind, country string }

// actPlan is how many participants each activity gets: it depends only on
// the options, so Count knows it without making anything.
func actPlan(opt Options) (persons, orgs []int) {
	if !opt.Activities {
		return nil, nil
	}
	r := rand.New(rand.NewPCG(uint64(opt.Seed), 0xAC7171E5))
	np, no := max(0, opt.Persons), min(max(0, opt.Organisations), maxDemoOrgs)
	for _, d := range actDefs {
		p := d.persons[0] + r.IntN(d.persons[1]-d.persons[0]+1)
		o := d.orgs[0] + r.IntN(d.orgs[1]-d.orgs[0]+1)
		persons = append(persons, min(p, np))
		orgs = append(orgs, min(o, no))
	}
	return persons, orgs
}

// activityCount is how many records the activities add.
func activityCount(opt Options) int {
	ps, os := actPlan(opt)
	if ps == nil {
		return 0
	}
	n := len(actDefs)
	for i := range ps {
		n += ps[i] + os[i]
	}
	return n
}

// withActivities wraps put to remember the organisations Generate puts, and
// returns the function that puts the activities at the end.
func withActivities(g *gen, opt Options, put func(data.Record) error) (func(data.Record) error, func() error) {
	if !opt.Activities {
		return put, func() error { return nil }
	}
	var orgs []actOrg
	watch := func(r data.Record) error {
		if o, ok := r.(*data.Organisation); ok && len(orgs) < maxDemoOrgs {
			orgs = append(orgs, actOrg{o.ID, o.OrgKind, o.Country})
		}
		return put(r)
	}
	return watch, func() error { return g.activities(opt, orgs, put) }
}

// actGen draws the activities.
type actGen struct {
	*gen
	r    *rand.Rand
	ids  *rand.ChaCha8
	orgs []actOrg
	// council are the members of the diaspora council, drawn at its first
	// session.
	council []int32
	now     time.Time
	put     func(data.Record) error
}

func (g *gen) activities(opt Options, orgs []actOrg, put func(data.Record) error) error {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:8], uint64(opt.Seed))
	copy(seed[8:], "registar/data/demo activities")
	a := &actGen{gen: g, r: rand.New(rand.NewPCG(uint64(opt.Seed), 0x5E551045)), ids: rand.NewChaCha8(seed),
		orgs: orgs, now: g.now, put: put}
	nps, nos := actPlan(opt)
	for i := range actDefs {
		if err := a.activity(&actDefs[i], nps[i], nos[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *actGen) newID() string {
	u, err := uuid.NewRandomFromReader(a.ids)
	if err != nil {
		panic("demo: " + err.Error())
	}
	return u.String()
}

// date is the day of d in the window: the ten months before now and the
// two after.
func (a *actGen) date(month, day int) time.Time {
	t := time.Date(a.now.Year(), time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.After(a.now.AddDate(0, 2, 0)) {
		t = t.AddDate(-1, 0, 0)
	} else if t.Before(a.now.AddDate(0, -10, 0)) {
		t = t.AddDate(1, 0, 0)
	}
	return t
}

func dateOf(t time.Time) data.Date { return data.NewDate(t.Year(), t.Month(), t.Day()) }

// notAfterNow keeps a record's time in the past, and after the demo's start.
func (a *actGen) notAfterNow(t time.Time) time.Time {
	if t.After(a.now) {
		t = a.now.Add(-time.Duration(1+a.r.IntN(3600)) * time.Second)
	}
	if t.Before(a.start) {
		t = a.start
	}
	return t
}

func (a *actGen) activity(d *actDef, nPersons, nOrgs int) error {
	start := a.date(d.month, d.day)
	// Announced three to six weeks before, at office hours.
	created := a.notAfterNow(start.AddDate(0, 0, -21-a.r.IntN(21)).Add(time.Duration(8*3600+a.r.IntN(6*3600)) * time.Second))
	past := start.Before(a.now)
	act := &data.Activity{Meta: a.meta(data.KindActivity, created, a.newID()), Name: d.title, ActivityKind: d.kind,
		Start: dateOf(start), StartTime: d.start, EndTime: d.end, ByOffice: true, Description: d.desc, Tags: d.tags,
		Place: data.Place{Country: d.country, City: d.city, Address: d.address, Online: d.online}}
	if d.days > 1 {
		act.End = dateOf(start.AddDate(0, 0, d.days-1))
	}
	if d.online {
		act.Place.URL = "https://meet.example.org/" + slug(d.title, '-', 40)
	}
	orgs := a.pickOrgs(d, nOrgs+d.organisers)
	for _, o := range orgs[nOrgs:] {
		act.OrganiserIDs = append(act.OrganiserIDs, o.id)
	}
	orgs = orgs[:nOrgs]
	if d.kind == "consultation" {
		end := start.AddDate(0, 0, d.days-1)
		act.Consultation = &data.Consultation{DraftTitle: "Strategija saradnje s dijasporom Unsko-sanskog kantona 2027–2030",
			Reference:   "10-02-" + strconv.Itoa(140+a.r.IntN(60)) + "/" + strconv.Itoa(start.Year()%100),
			IssuingBody: "Vlada Unsko-sanskog kantona", Link: "nacrt-strategije-dijaspora.pdf",
			From: dateOf(start), To: dateOf(end)}
		// About a third of the organisations invited respond, each with one
		// comment, in the last two weeks of the period.
		n := min(len(orgs)*2/5, len(consultationComments))
		if !past {
			n = 0
		}
		last := end
		if last.After(a.now) {
			last = a.now
		}
		span := min(14, int(last.Sub(start).Hours()/24))
		for i := 0; i < n; i++ {
			c := consultationComments[i]
			day := a.notAfterNow(last.AddDate(0, 0, -a.r.IntN(span+1)))
			cm := data.Comment{ID: a.newID(), FromKind: data.KindOrganisation, FromID: orgs[i].id, Date: dateOf(day),
				Article: c.article, Text: c.text}
			if end.Before(a.now) {
				cm.Response, cm.Reason = c.response, c.reason
			}
			act.Consultation.Comments = append(act.Consultation.Comments, cm)
		}
	}
	if err := a.put(act); err != nil {
		return err
	}

	// The participants: persons, then organisations.
	var who []int32
	if d.council {
		if len(a.council) < nPersons {
			a.council = append(a.council, a.pickPersons(d, start, nPersons-len(a.council), a.council)...)
		}
		who = a.council[:nPersons]
	} else {
		who = a.pickPersons(d, start, nPersons, nil)
	}
	for _, pi := range who {
		p := &a.persons[pi]
		if err := a.participation(act, d, created, start, data.KindPerson, p.id.String(), "", past); err != nil {
			return err
		}
	}
	for i, o := range orgs {
		rep := ""
		if len(a.persons) > 0 && a.r.IntN(10) < 7 {
			rep = a.persons[a.r.IntN(len(a.persons))].id.String()
		}
		status := ""
		if d.kind == "consultation" && act.Consultation != nil {
			// Those who sent comments took part; the others did not answer.
			status = "invited"
			if i < len(act.Consultation.Comments) {
				status = "attended"
			}
		}
		if err := a.participationStatus(act, d, created, start, data.KindOrganisation, o.id, rep, past, status); err != nil {
			return err
		}
	}
	return nil
}

// pickOrgs draws n different organisations: those of the country where
// the activity is first (a consultation's civil-society organisations).
func (a *actGen) pickOrgs(d *actDef, n int) []actOrg {
	n = min(n, len(a.orgs))
	used := make(map[int]bool, n)
	out := make([]actOrg, 0, n)
	for len(out) < n {
		i := -1
		for try := 0; try < 20; try++ {
			j := a.r.IntN(len(a.orgs))
			if !used[j] && (a.orgs[j].country == d.country || try >= 10) {
				i = j
				break
			}
		}
		if i < 0 {
			for j := a.r.IntN(len(a.orgs)); ; j = (j + 1) % len(a.orgs) {
				if !used[j] {
					i = j
					break
				}
			}
		}
		used[i] = true
		out = append(out, a.orgs[i])
	}
	return out
}

// pickPersons draws n different persons not taken, of the activity's
// community and registered before it where there are enough.
func (a *actGen) pickPersons(d *actDef, start time.Time, n int, taken []int32) []int32 {
	n = min(n, len(a.persons)-len(taken))
	var pool []int32
	if d.cm >= 0 {
		pool = a.byComm[d.cm]
	}
	used := make(map[int32]bool, n+len(taken))
	for _, i := range taken {
		used[i] = true
	}
	out := make([]int32, 0, n)
	for len(out) < n {
		i := int32(-1)
		for try := 0; try < 24; try++ {
			var j int32
			if len(pool) > 0 && try < 16 {
				j = pool[a.r.IntN(len(pool))]
			} else {
				j = int32(a.r.IntN(len(a.persons)))
			}
			if !used[j] && (a.persons[j].created < start.Unix() || try >= 8) {
				i = j
				break
			}
		}
		if i < 0 {
			for j := int32(a.r.IntN(len(a.persons))); ; j = (j + 1) % int32(len(a.persons)) {
				if !used[j] {
					i = j
					break
				}
			}
		}
		used[i] = true
		out = append(out, i)
	}
	return out
}

func (a *actGen) participation(act *data.Activity, d *actDef, created, start time.Time, kind data.Kind, id, rep string, past bool) error {
	return a.participationStatus(act, d, created, start, kind, id, rep, past, "")
}

// participationStatus puts one participation, with status when given, else
// one drawn as such events end.
func (a *actGen) participationStatus(act *data.Activity, d *actDef, created, start time.Time, kind data.Kind, id, rep string, past bool, status string) error {
	if status == "" {
		status = a.status(d, past)
	}
	role := "participant"
	switch x := a.r.IntN(100); {
	case d.session || d.kind == "consultation":
	case x < 3 && (d.kind == "business_forum" || d.kind == "info_session" || d.kind == "training"):
		role = "speaker"
	case x < 5 && (d.kind == "cultural" || d.kind == "sports" || d.kind == "summer_school"):
		role = "volunteer"
	case x < 7:
		role = "guest"
	}
	// Invited when the activity was announced; updated at the door.
	t := a.notAfterNow(created.Add(time.Duration(60+a.r.IntN(3*86400)) * time.Second))
	p := &data.Participation{Meta: a.meta(data.KindParticipation, t, data.ParticipationID(act.ID, id)),
		ActivityID: act.ID, ParticipantKind: kind, ParticipantID: id, RepresentedBy: rep, Status: status, Role: role}
	if past && status != "invited" {
		p.UpdatedAt = a.notAfterNow(start.Add(time.Duration(9*3600+a.r.IntN(10*3600)) * time.Second))
		if p.UpdatedAt.Before(p.CreatedAt) {
			p.UpdatedAt = p.CreatedAt
		}
	}
	return a.put(p)
}

// status is how a participation ended (past) or stands (to come).
func (a *actGen) status(d *actDef, past bool) string {
	x := a.r.IntN(100)
	switch {
	case !past && x < 65:
		return "invited"
	case !past:
		return "registered"
	case d.session && x < 82:
		return "attended"
	case d.session && x < 95:
		return "excused"
	case d.session:
		return "absent"
	case x < 62:
		return "attended"
	case x < 71:
		return "excused"
	case x < 83:
		return "absent"
	case x < 89:
		return "registered"
	}
	return "invited"
}
