// Package outreach reaches the people of the registry who consented to be
// contacted: audiences (a search, a saved audience, an activity's invited,
// registered or attended), the contact lists made from them (addresses for
// a BCC field, vCards, spreadsheets, address labels, letters), e-mail sent
// from the office's own account, and the record of what was sent
// (data.Communication). Persons and businesses without consent to contact
// are never in an audience's contacts; counts say how many were left out
// and why.
//
// It does not import Fyne: the app's Outreach screen and registar-cli's
// contacts and mail commands share it.
package outreach
