package app

// settingOffice is the store setting holding the office data as JSON.
const settingOffice = "office"

// Office is the office's own data, kept with the registry (not in the
// preferences) so that a backup or another laptop carries it along.
type Office struct {
	Name         string `json:"name"`
	Municipality string `json:"municipality,omitempty"`
	Address      string `json:"address,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	// Region is the default country for phone numbers ("BA", "XK", "RS").
	Region string `json:"region,omitempty"`
	// Logo is a PNG or JPEG, for publications.
	Logo []byte `json:"logo,omitempty"`
}

// phoneRegions are the default phone regions offered, the offices' own first.
var phoneRegions = []string{"BA", "XK", "RS", "HR", "ME", "MK", "AL", "SI", "DE", "AT", "CH"}
