package data

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// OfficeSetting is the name of the store setting that holds the office's
// details (Office) as JSON.
const OfficeSetting = "office"

// Office is the office's own details. They are kept with the registry (a
// store setting, not the app's preferences) so that a backup or a restore
// on another laptop carries them along. The app's first run and Settings
// and `registar-cli office` write them; publications print them, imports
// put new local communities in the municipality, and phone numbers are
// read in the region. Every field may be empty.
type Office struct {
	Name         string `json:"name,omitempty"`
	Municipality string `json:"municipality,omitempty"`
	Address      string `json:"address,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Website      string `json:"website,omitempty"`
	// Region is the country local phone numbers are read in ("BA", "XK",
	// "RS") when the person's own country does not make them valid.
	Region string `json:"region,omitempty"`
	// Logo is a PNG or JPEG (or GIF) for publications; one that cannot be
	// read as an image is left out of them.
	Logo []byte `json:"logo,omitempty"`
	// Foreword is the pocket book's foreword; empty gives the catalogue's.
	Foreword string `json:"foreword,omitempty"`
	// About is what the brochure says about the office; empty gives the
	// catalogue's.
	About string `json:"about,omitempty"`
}

// ParseOffice reads the office's details as stored under OfficeSetting.
// Nothing stored is the zero Office. The logo is read under "logo", as the
// app has always written it, or else under "logo_png", the key the
// publications once expected (and so an --office file may carry); JSON
// writes "logo" only.
func ParseOffice(b []byte) (Office, error) {
	var o Office
	if len(bytes.TrimSpace(b)) == 0 {
		return o, nil
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return Office{}, fmt.Errorf("office details: %w", err)
	}
	return o, nil
}

// JSON is the office's details as stored under OfficeSetting.
func (o Office) JSON() ([]byte, error) { return json.Marshal(o) }

// UnmarshalJSON reads both keys of the logo (see ParseOffice), so that
// decoding the setting with encoding/json gives the same as ParseOffice.
func (o *Office) UnmarshalJSON(b []byte) error {
	type fields Office // the same fields without this method
	var v struct {
		fields
		LogoPNG []byte `json:"logo_png"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Office(v.fields)
	if len(o.Logo) == 0 {
		o.Logo = v.LogoPNG
	}
	return nil
}

// LangSetting is the name of the store setting that holds the office's
// language ("bs", "sr-Latn", …), the one the app runs in; registar-cli
// speaks it when no --lang is given.
const LangSetting = "lang"
