package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"registar/data"
)

// screen is one entry of the navigation. To add a screen, write its file in
// app/ with a view function and add one row to screens; its label is the
// catalogue key "screen.<key>" (ui.<lang>.json has those of the rows below).
type screen struct {
	// key is stable: it is kept in the preferences as the last screen shown
	// and names the label "screen.<key>".
	key  string
	icon fyne.Resource
	// view builds the screen each time it is shown.
	view func(*Shell) fyne.CanvasObject
}

// screens drives the navigation, in the order it lists them. It is filled
// in init because the views navigate, which reads screens.
var screens []screen

func init() {
	screens = []screen{
		{"home", theme.HomeIcon(), homeView},
		{"persons", theme.AccountIcon(), listView(data.KindPerson)},
		{"businesses", theme.StorageIcon(), listView(data.KindBusiness)},
		{"organisations", theme.GridIcon(), listView(data.KindOrganisation)},
		{"localities", theme.NavigateNextIcon(), listView(data.KindLocality)},
		{"activities", theme.CalendarIcon(), activitiesView},
		{"outreach", theme.MailComposeIcon(), outreachView},
		{"trash", theme.DeleteIcon(), trashView},
		{"exchange", theme.UploadIcon(), exchangeView},
		{"publications", theme.DocumentPrintIcon(), publicationsView},
		{"bundles", theme.MailSendIcon(), bundlesView},
		{"settings", theme.SettingsIcon(), settingsView},
	}
}

// screenIndex is the row of a key in screens, or -1.
func screenIndex(key string) int {
	for i, sc := range screens {
		if sc.key == key {
			return i
		}
	}
	return -1
}

// kindScreen is the list screen of each kind.
var kindScreen = map[data.Kind]string{
	data.KindPerson:       "persons",
	data.KindBusiness:     "businesses",
	data.KindOrganisation: "organisations",
	data.KindLocality:     "localities",
}
