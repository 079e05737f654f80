package data

import (
	"strings"
	"time"
)

// Communications are what the office sent: one record per run of letters,
// labels or e-mail, with every recipient and what became of the message to
// them (Delivery). A person's page lists the communications that reached
// them; the Outreach log lists them all. A communication is written once,
// by the laptop that sent it, and then only changed when a recipient is
// erased (their delivery is removed, see the store's erasure).
const KindCommunication Kind = "communication"

// Channels a communication goes by.
var Channels = []string{"email", "letter", "labels"}

// DeliveryStatuses: an e-mail sent (accepted by the office's server) or
// failed (with the server's reason), a letter or label printed.
var DeliveryStatuses = []string{"sent", "failed", "printed"}

// The value groups of communications (see ValueLabel, ParseValue).
const (
	GroupChannel        = "channel"
	GroupDeliveryStatus = "delivery_status"
)

// Delivery is one recipient of a communication.
type Delivery struct {
	ID   string `json:"id" validate:"required"`
	Kind Kind   `json:"kind" validate:"required,oneof=person business organisation"`
	// Address is the e-mail address the message went to (e-mail only),
	// as it was then.
	Address string `json:"address,omitempty" validate:"max=254"`
	// Status: sent, failed or printed (DeliveryStatuses).
	Status string `json:"result" validate:"required,oneof=sent failed printed"`
	// Reason is the server's answer when the message failed.
	Reason string `json:"reason,omitempty" validate:"max=500"`
}

// Communication is one run of letters, labels or e-mail.
type Communication struct {
	Meta
	Channel string `json:"channel" validate:"required,oneof=email letter labels"`
	// Subject of the e-mail, or the first line of the letter (empty for
	// labels).
	Subject string `json:"subject,omitempty" validate:"max=300"`
	// Audience says who it was for, as the clerk chose them: a saved
	// audience's name, a search, or an activity and statuses.
	Audience string    `json:"audience,omitempty" validate:"max=500"`
	Sent     time.Time `json:"sent"`
	// Recipients, in the order they were sent or printed.
	Recipients []Delivery `json:"recipients" validate:"dive"`
}

var _ Record = (*Communication)(nil)

// Title of a communication: its subject, or its channel and date.
func (c *Communication) Title() string {
	if s := strings.TrimSpace(c.Subject); s != "" {
		return s
	}
	return c.Channel + " " + c.Sent.Format("2006-01-02")
}

// Links of a communication: none the store checks. A recipient trashed or
// erased after the run stays (or is removed by the erasure) without making
// the record invalid.
func (c *Communication) Links() []Link { return nil }

// Counts of a communication's deliveries by status.
func (c *Communication) Counts() (sent, failed, printed int) {
	for _, d := range c.Recipients {
		switch d.Status {
		case "sent":
			sent++
		case "failed":
			failed++
		case "printed":
			printed++
		}
	}
	return
}

// DeliveryTo returns the delivery of the communication to the record id.
func (c *Communication) DeliveryTo(id string) (Delivery, bool) {
	for _, d := range c.Recipients {
		if d.ID == id {
			return d, true
		}
	}
	return Delivery{}, false
}

// ClearRefusedAddress forgets that the mail server refused a person's or
// business's e-mail address once the address has been changed (and the
// flag was not itself set in the same change): the new address deserves a
// try. old is the stored version (nil for a new record).
func ClearRefusedAddress(r, old Record) {
	switch v := r.(type) {
	case *Person:
		if o, ok := old.(*Person); ok && v.Email != o.Email && v.EmailUndeliverable == o.EmailUndeliverable {
			v.EmailUndeliverable = ""
		}
	case *Business:
		if o, ok := old.(*Business); ok && v.Email != o.Email && v.EmailUndeliverable == o.EmailUndeliverable {
			v.EmailUndeliverable = ""
		}
	}
}
