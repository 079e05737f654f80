package demo

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"registar/data"
)

// A few things the office sent (Options.Communications), so that the
// Outreach log and a person's page have history: a newsletter e-mailed to
// the persons who consented to be contacted and have an e-mail address
// (a handful failed with a full mailbox), and, with the activities, the
// invitation letters for the Days of the Diaspora printed for its
// participants who consented and have a postal address. Persons who did
// not consent are never among the recipients.
//
// They come after every other record (after the activities too) and from
// their own random streams: the records before them are those of a demo
// without them.

// minCommPersons is the fewest persons for which the demo has
// communications: below it the audiences would be empty.
const minCommPersons = 100

// maxNewsletter caps the newsletter's recipients: at a million persons one
// communication with half a million deliveries would be a record of tens
// of megabytes, which no office sends from a laptop in one go.
const maxNewsletter = 5000

// invitedTo is the activity whose invitations went out as letters.
const invitedTo = "Dani dijaspore"

// communicationCount is how many records the communications add.
func communicationCount(opt Options) int {
	if !opt.Communications || opt.Persons < minCommPersons {
		return 0
	}
	if opt.Activities {
		return 2
	}
	return 1
}

// commWatch remembers, as Generate puts them, what the communications need:
// the newsletter's recipients, which persons could get a letter, and the
// participants of the activity invited by letter.
type commWatch struct {
	newsletter  []data.Delivery
	nlCapped    bool
	nlSent      time.Time
	postal      []uint64 // a bit per person in the order put: consented, with an address or a city
	nPersons    int
	activity    *data.Activity
	invited     []uuid.UUID
	invitedSeen map[uuid.UUID]bool
}

// withCommunications wraps put to watch the persons and the participations
// Generate puts, and returns the function that puts the communications at
// the end.
func withCommunications(g *gen, opt Options, put func(data.Record) error) (func(data.Record) error, func() error) {
	if communicationCount(opt) == 0 {
		return put, func() error { return nil }
	}
	w := &commWatch{nlSent: newsletterTime(g), invitedSeen: map[uuid.UUID]bool{}}
	watch := func(r data.Record) error {
		switch v := r.(type) {
		case *data.Person:
			w.person(v)
		case *data.Activity:
			if v.Name == invitedTo && w.activity == nil {
				w.activity = v
			}
		case *data.Participation:
			if w.activity != nil && v.ActivityID == w.activity.ID && v.ParticipantKind == data.KindPerson {
				if u, err := uuid.Parse(v.ParticipantID); err == nil && !w.invitedSeen[u] {
					w.invitedSeen[u] = true
					w.invited = append(w.invited, u)
				}
			}
		}
		return put(r)
	}
	return watch, func() error { return g.communications(opt, w, put) }
}

// newsletterTime is when the newsletter went out: three weeks before the
// demo's now, at half past nine.
func newsletterTime(g *gen) time.Time {
	d := g.now.AddDate(0, 0, -21)
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 30, 0, 0, time.UTC)
}

func (w *commWatch) person(p *data.Person) {
	i := w.nPersons
	w.nPersons++
	if i/64 >= len(w.postal) {
		w.postal = append(w.postal, 0)
	}
	if !p.ConsentContact.Given {
		return
	}
	if p.Address != "" || p.City != "" {
		w.postal[i/64] |= 1 << (i % 64)
	}
	if p.Email != "" && p.CreatedAt.Before(w.nlSent) {
		if len(w.newsletter) < maxNewsletter {
			w.newsletter = append(w.newsletter, data.Delivery{ID: p.ID, Kind: data.KindPerson, Address: p.Email, Status: "sent"})
		} else {
			w.nlCapped = true
		}
	}
}

func (w *commWatch) hasPostal(i int) bool { return w.postal[i/64]&(1<<(i%64)) != 0 }

func (g *gen) communications(opt Options, w *commWatch, put func(data.Record) error) error {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:8], uint64(opt.Seed))
	copy(seed[8:], "registar/data/demo communications")
	ids := rand.NewChaCha8(seed)
	r := rand.New(rand.NewPCG(uint64(opt.Seed), 0xC0111111))
	newID := func() string {
		u, err := uuid.NewRandomFromReader(ids)
		if err != nil {
			panic("demo: " + err.Error())
		}
		return u.String()
	}

	// The newsletter: about one in a hundred came back from a full mailbox.
	for i := range w.newsletter {
		if r.IntN(100) == 0 {
			w.newsletter[i].Status, w.newsletter[i].Reason = "failed", "452 4.2.2 Mailbox full"
		}
	}
	if w.newsletter == nil {
		w.newsletter = []data.Delivery{}
	}
	audience := "has:email"
	if w.nlCapped {
		audience = "has:email (prvih 5000)"
	}
	nl := &data.Communication{Meta: g.meta(data.KindCommunication, w.nlSent, newID()), Channel: "email",
		Subject:  "Bilten za dijasporu: ljetne manifestacije i investicijski poticaji",
		Audience: audience, Sent: w.nlSent, Recipients: w.newsletter}
	if err := put(nl); err != nil {
		return err
	}
	if !opt.Activities {
		return nil
	}

	// The invitation letters, printed two days after the activity was
	// announced, for its participants who could get one.
	sent := g.now.Add(-time.Hour)
	title := invitedTo
	if a := w.activity; a != nil {
		if t := a.CreatedAt.AddDate(0, 0, 2); t.Before(sent) {
			sent = time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, time.UTC)
		}
		title = a.Name
	}
	index := make(map[uuid.UUID]int, len(w.invited))
	for _, u := range w.invited {
		index[u] = -1
	}
	for i := range g.persons {
		if _, ok := index[g.persons[i].id]; ok {
			index[g.persons[i].id] = i
		}
	}
	letters := &data.Communication{Meta: g.meta(data.KindCommunication, sent, newID()), Channel: "letter",
		Subject: "Poziv na Dane dijaspore", Audience: title + ": pozvani", Sent: sent, Recipients: []data.Delivery{}}
	for _, u := range w.invited {
		if i := index[u]; i >= 0 && i < w.nPersons && w.hasPostal(i) {
			letters.Recipients = append(letters.Recipients, data.Delivery{ID: u.String(), Kind: data.KindPerson, Status: "printed"})
		}
	}
	return put(letters)
}
