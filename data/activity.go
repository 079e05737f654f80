package data

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// Activities are what an office does with the people it registers: meetings,
// cultural events, summer schools, council sessions, consultations on policy
// drafts. An activity is a record like the others (audit, versions, trash,
// bundles). Who took part is kept in participations, one small record per
// activity and participant, so that two laptops checking people in at one
// event write different records and a bundle merge never conflicts; the
// same person checked in on both laptops is the same record (its ID is
// derived from the activity's and the participant's: ParticipationID), and
// the merge keeps the further status (see ParticipationStatusRank).

// The kinds of record an office's own work adds.
const (
	KindActivity      Kind = "activity"
	KindParticipation Kind = "participation"
)

// ActivityKinds are the kinds of activity, in the order forms show them.
var ActivityKinds = []string{"meeting", "cultural", "sports", "summer_school", "session", "consultation",
	"info_session", "business_forum", "visit", "training", "other"}

// ParticipationStatuses, in the order of a participation's life: invited,
// registered, then attended, excused or absent.
var ParticipationStatuses = []string{"invited", "registered", "attended", "excused", "absent"}

// ParticipationRoles a participant can have.
var ParticipationRoles = []string{"participant", "organiser", "speaker", "guest", "volunteer"}

// CommentResponses are the office's answers to a consultation comment, as
// BiH's rules on consultations ask them in the report.
var CommentResponses = []string{"accepted", "partly", "rejected", "noted"}

// The value groups of activities (see ValueLabel, ParseValue).
const (
	GroupActivityKind    = "activity_kind"
	GroupParticipation   = "participation_status"
	GroupRole            = "participation_role"
	GroupCommentResponse = "comment_response"
)

// Place is where an activity happens: a country and city abroad, or a
// local community at home, an address, or online.
type Place struct {
	Country    string `json:"country,omitempty" validate:"omitempty,country"`
	City       string `json:"city,omitempty" validate:"max=100"`
	LocalityID string `json:"locality_id,omitempty" validate:"omitempty,link=locality"`
	Address    string `json:"address,omitempty" validate:"max=200"`
	Online     bool   `json:"online,omitempty"`
	URL        string `json:"url,omitempty" validate:"omitempty,url,max=500"`
}

// Activity is one thing the office organised or took part in.
type Activity struct {
	Meta
	// Name is the activity's title (Title is the method every record has).
	Name         string `json:"title" validate:"required,min=2,max=200"`
	ActivityKind string `json:"activity_kind" validate:"required,oneof=meeting cultural sports summer_school session consultation info_session business_forum visit training other"`
	Start        Date   `json:"start" validate:"required"`
	StartTime    string `json:"start_time,omitempty" validate:"omitempty,datetime=15:04"`
	End          Date   `json:"end,omitempty"`
	EndTime      string `json:"end_time,omitempty" validate:"omitempty,datetime=15:04"`
	Place        Place  `json:"place"`
	// OrganiserIDs are organisations of the registry that organised it;
	// ByOffice says the office did (alone or with them).
	OrganiserIDs []string `json:"organiser_ids,omitempty" validate:"dive,link=organisation"`
	ByOffice     bool     `json:"by_office,omitempty"`
	Description  string   `json:"description,omitempty" validate:"max=5000"`
	Tags         []string `json:"tags,omitempty" validate:"max=20,dive,max=50"`
	// Consultation is set for an activity of kind "consultation".
	Consultation *Consultation `json:"consultation,omitempty"`
}

// Consultation is a policy draft put to civil-society organisations, and
// the comments received on it.
type Consultation struct {
	DraftTitle  string    `json:"draft_title" validate:"required,max=300"`
	Reference   string    `json:"reference,omitempty" validate:"max=100"`
	IssuingBody string    `json:"issuing_body,omitempty" validate:"max=200"`
	Link        string    `json:"link,omitempty" validate:"max=500"` // a web address or a file name
	From        Date      `json:"from,omitempty"`
	To          Date      `json:"to,omitempty"`
	Comments    []Comment `json:"comments,omitempty" validate:"dive"`
}

// Comment is one comment received in a consultation, with the office's
// response.
type Comment struct {
	// ID tells comments apart when they are edited (set when added).
	ID string `json:"id"`
	// FromKind and FromID: the organisation or person of the registry who
	// sent it.
	FromKind Kind   `json:"from_kind,omitempty" validate:"omitempty,oneof=organisation person"`
	FromID   string `json:"from_id,omitempty"`
	Date     Date   `json:"date,omitempty"`
	Article  string `json:"article,omitempty" validate:"max=100"` // the article or section commented
	Text     string `json:"text" validate:"required,max=10000"`
	Response string `json:"response,omitempty" validate:"omitempty,oneof=accepted partly rejected noted"`
	Reason   string `json:"reason,omitempty" validate:"max=5000"`
}

// Participation is one participant of one activity: a person, or an
// organisation or business (with the person who represented it).
type Participation struct {
	Meta
	ActivityID      string `json:"activity_id" validate:"required,link=activity"`
	ParticipantKind Kind   `json:"participant_kind" validate:"required,oneof=person organisation business"`
	ParticipantID   string `json:"participant_id" validate:"required"`
	// RepresentedBy is the person who came for an organisation or business.
	RepresentedBy string `json:"represented_by,omitempty" validate:"omitempty,link=person"`
	Status        string `json:"status" validate:"required,oneof=invited registered attended excused absent"`
	Role          string `json:"role,omitempty" validate:"omitempty,oneof=participant organiser speaker guest volunteer"`
	Note          string `json:"note,omitempty" validate:"max=500"`
}

var (
	_ Record = (*Activity)(nil)
	_ Record = (*Participation)(nil)
)

// Title is the activity's title.
func (a *Activity) Title() string { return strings.TrimSpace(a.Name) }

// Title of a participation: the activity and participant IDs (it is never
// listed by itself).
func (p *Participation) Title() string { return p.ActivityID + " " + p.ParticipantID }

// Links of an activity: its organisers and its local community.
func (a *Activity) Links() []Link {
	var l []Link
	for _, id := range a.OrganiserIDs {
		l = append(l, Link{"organiser_ids", KindOrganisation, id})
	}
	if a.Place.LocalityID != "" {
		l = append(l, Link{"place.locality_id", KindLocality, a.Place.LocalityID})
	}
	if c := a.Consultation; c != nil {
		for _, cm := range c.Comments {
			if cm.FromID != "" {
				l = append(l, Link{"consultation.comments.from_id", cm.FromKind, cm.FromID})
			}
		}
	}
	return l
}

// Links of a participation: the activity, the participant and whoever
// represented an organisation or business.
func (p *Participation) Links() []Link {
	l := []Link{{"activity_id", KindActivity, p.ActivityID}, {"participant_id", p.ParticipantKind, p.ParticipantID}}
	if p.RepresentedBy != "" {
		l = append(l, Link{"represented_by", KindPerson, p.RepresentedBy})
	}
	return l
}

// ParticipationID is the ID of the participation of participant in
// activity: the same on every laptop, so that two laptops adding the same
// person to one event write one record, not two. It has the shape of a
// UUID (version 8, name-based) so it sits among the store's IDs.
func ParticipationID(activityID, participantID string) string {
	h := sha256.Sum256([]byte("registar/participation\x00" + activityID + "\x00" + participantID))
	h[6] = h[6]&0x0f | 0x80 // version 8
	h[8] = h[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// ParticipationStatusRank orders statuses by how far a participation got,
// for the merge of one participation changed on two laptops: attended
// beats excused and absent (someone checked them in), which beat
// registered, which beats invited.
func ParticipationStatusRank(status string) int {
	switch status {
	case "attended":
		return 4
	case "excused":
		return 3
	case "absent":
		return 2
	case "registered":
		return 1
	}
	return 0
}
