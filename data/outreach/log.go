package outreach

import (
	"context"
	"slices"
	"strings"
	"time"

	"registar/data"
	"registar/data/store"
)

// Run is what one run of letters, labels or e-mail did, to be recorded.
type Run struct {
	Channel  string // email, letter, labels
	Subject  string
	Audience string // Audience.Describe
	// Deliveries, one per recipient.
	Deliveries []data.Delivery
	// Undeliverable maps a recipient's ID to the server's reason when the
	// server refused their address for good; the person (or business) is
	// flagged (EmailUndeliverable) in the same step.
	Undeliverable map[string]string
	// Now is the time of the run (zero: now).
	Now time.Time
}

// Record writes the run as a communication, and flags the addresses the
// server refused, as one step of the store's one write path (validated,
// audited, in bundles). A run that reached nobody is not recorded (nil,
// nil).
func Record(st *store.Store, r Run) (*data.Communication, error) {
	if len(r.Deliveries) == 0 {
		return nil, nil
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := &data.Communication{Channel: r.Channel, Subject: truncate(r.Subject, 300), Audience: truncate(r.Audience, 500),
		Sent: now.UTC().Truncate(time.Second), Recipients: r.Deliveries}
	c.Kind = data.KindCommunication
	recs := []data.Record{c}
	for i := range c.Recipients {
		c.Recipients[i].Reason = truncate(c.Recipients[i].Reason, 500)
	}
	ids := make([]string, 0, len(r.Undeliverable))
	for id := range r.Undeliverable {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	flagged, err := st.Records(ids)
	if err != nil {
		return nil, err
	}
	day := data.DateOf(now).String()
	for _, rec := range flagged {
		if rec == nil {
			continue
		}
		reason := truncate(day+": "+r.Undeliverable[rec.Base().ID], 500)
		switch v := rec.(type) {
		case *data.Person:
			v.EmailUndeliverable = reason
		case *data.Business:
			v.EmailUndeliverable = reason
		default:
			continue
		}
		recs = append(recs, rec)
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: store.StepOutreach, Note: r.Channel + ": " + c.Title()}, recs, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// truncate cuts s to at most n runes (the model's limits), on a rune.
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// DeliveriesOf turns a mail run's outcomes into deliveries and the
// undeliverable addresses. A dry run's messages (neither sent nor failed)
// are left out.
func DeliveriesOf(outs []Outcome) ([]data.Delivery, map[string]string) {
	var ds []data.Delivery
	bad := map[string]string{}
	for _, o := range outs {
		if o.Message == nil || (!o.Sent && o.Reason == "") {
			continue
		}
		d := data.Delivery{ID: o.Message.ContactID, Kind: o.Message.Kind, Address: o.Message.To, Status: "sent"}
		if !o.Sent {
			d.Status, d.Reason = "failed", o.Reason
			if o.Undeliverable {
				bad[d.ID] = o.Reason
			}
		}
		ds = append(ds, d)
	}
	return ds, bad
}

// Printed is the deliveries of a letter or label run.
func Printed(cs []Contact) []data.Delivery {
	ds := make([]data.Delivery, 0, len(cs))
	for _, c := range cs {
		ds = append(ds, data.Delivery{ID: c.ID, Kind: c.Kind, Status: "printed"})
	}
	return ds
}

// Log is every communication (trash left out), newest first.
func Log(st *store.Store) ([]*data.Communication, error) {
	var out []*data.Communication
	err := st.Each(data.KindCommunication, func(r data.Record) error {
		if c, ok := r.(*data.Communication); ok && !c.Trashed() {
			out = append(out, c)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b *data.Communication) int { return b.Sent.Compare(a.Sent) })
	return out, err
}

// CommunicationsOf is the communications that went to the record, newest
// first (Communication.DeliveryTo gives what became of it).
func CommunicationsOf(st *store.Store, id string) ([]*data.Communication, error) {
	all, err := Log(st)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(c *data.Communication) bool {
		_, ok := c.DeliveryTo(id)
		return !ok
	}), nil
}

// WithdrawConsent withdraws a person's or business's consent to contact on
// the day, the way given (data.ConsentWays or ""): a new version of the
// record through the one write path, and at once out of every audience
// (the index follows the write).
func WithdrawConsent(st *store.Store, id string, on data.Date, how string) error {
	if how != "" && !slices.Contains(data.ConsentWays, how) {
		return errorf("outreach.error.how", "how", how, "ways", strings.Join(data.ConsentWays, ", "))
	}
	r, err := st.Get(id)
	if err != nil {
		return err
	}
	switch v := r.(type) {
	case *data.Person:
		v.ConsentContact.Withdraw(on, how)
	case *data.Business:
		v.ConsentContact.Withdraw(on, how)
	default:
		return errorf("outreach.error.noconsent", "kind", string(data.KindOf(r)))
	}
	return st.Save(r)
}
