package app

import (
	"fmt"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data/i18n"
	"registar/data/script"
	"registar/data/store"
	"registar/reports/fonts"
)

// ShowAbout shows Registar's version, the folder the registry lives in
// (dataDir; the default folder when empty) with buttons to copy its path and
// open it, and the licences of the libraries and fonts built into the
// program. The full licence texts ship beside the program
// (THIRD_PARTY_LICENSES.txt, made by make dist); the fonts' OFL is shown here
// in full.
func ShowAbout(parent fyne.Window, dataDir string) {
	a := fyne.CurrentApp()
	l := chosenLang(a.Preferences())
	t := func(key string) string { return aboutText(l, key) }
	if dataDir == "" {
		dataDir, _ = store.DefaultDir()
	}

	icon := widget.NewIcon(a.Icon())
	if a.Icon() == nil {
		icon = widget.NewIcon(theme.InfoIcon())
	}
	name := widget.NewLabelWithStyle("Registar", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.NewBorder(nil, nil,
		container.NewGridWrap(fyne.NewSize(64, 64), icon), nil,
		container.NewVBox(name, widget.NewLabel(t("version")+" "+displayVersion(a))))

	path := widget.NewLabel(dataDir)
	path.Wrapping = fyne.TextWrapBreak
	path.TextStyle = fyne.TextStyle{Monospace: true}
	copyPath := widget.NewButtonWithIcon(t("copy"), theme.ContentCopyIcon(), func() {
		a.Clipboard().SetContent(dataDir)
	})
	openDir := widget.NewButtonWithIcon(t("open"), theme.FolderOpenIcon(), func() {
		if u, err := url.Parse(storage.NewFileURI(dataDir).String()); err == nil {
			if err := a.OpenURL(u); err != nil {
				dialog.ShowError(err, parent)
			}
		}
	})
	if fi, err := os.Stat(dataDir); err != nil || !fi.IsDir() {
		openDir.Disable()
	}

	built := widget.NewLabel(builtWith())
	built.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem(t("data"), container.NewVBox(path, container.NewHBox(copyPath, openDir))),
		widget.NewFormItem(t("built"), built),
	)

	libs := widget.NewLabel(strings.Join(libraryLines(), "\n"))
	libs.TextStyle = fyne.TextStyle{Monospace: true}
	libsNote := widget.NewLabel(t("fulltexts"))
	libsNote.Wrapping = fyne.TextWrapWord

	fontList := widget.NewLabel(strings.Join(fontLines, "\n"))
	fontList.Wrapping = fyne.TextWrapWord
	ofl := widget.NewLabel(fonts.Licence())
	ofl.Wrapping = fyne.TextWrapWord
	ofl.TextStyle = fyne.TextStyle{Monospace: true}

	acc := widget.NewAccordion(
		widget.NewAccordionItem(t("fonts"), container.NewVBox(fontList, widget.NewSeparator(), ofl)),
		widget.NewAccordionItem(t("libraries"), container.NewVBox(libsNote, libs)),
	)

	content := container.NewVScroll(container.NewVBox(head, widget.NewSeparator(), form, acc))
	d := dialog.NewCustom(t("title"), t("close"), content, parent)
	size := fyne.NewSize(640, 560)
	if c := parent.Canvas().Size(); c.Width > 0 && c.Height > 0 {
		size = fyne.NewSize(min(size.Width, c.Width*0.9), min(size.Height, c.Height*0.9))
	}
	d.Resize(size)
	d.Show()
}

// displayVersion is Version, and in a development build the FyneApp.toml
// version the Fyne tool put in the metadata, if any.
func displayVersion(a fyne.App) string {
	v := Version
	if v == "dev" {
		if m := a.Metadata().Version; m != "" {
			v += " (" + m + ")"
		}
	}
	return v
}

// builtWith names the toolchain, the platform and Fyne's version.
func builtWith() string {
	s := fmt.Sprintf("%s, %s/%s", strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH)
	s = "Go " + s
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "fyne.io/fyne/v2" {
				s += ", Fyne " + strings.TrimPrefix(m.Version, "v")
			}
		}
	}
	return s
}

// libraryLines lists the Go modules linked into this program, from its
// build information, each with its licence: "path version licence".
func libraryLines() []string {
	lines := []string{"Go standard library  BSD-3-Clause"}
	var mods []string
	info, ok := debug.ReadBuildInfo()
	if !ok || len(info.Deps) == 0 { // test binaries carry no module list
		for path, lic := range moduleLicences {
			mods = append(mods, path+"  "+lic)
		}
		sort.Strings(mods)
		return append(lines, mods...)
	}
	for _, m := range info.Deps {
		p := m
		if m.Replace != nil {
			p = m.Replace
		}
		lic := moduleLicences[m.Path]
		if lic == "" {
			lic = "see THIRD_PARTY_LICENSES.txt"
		}
		mods = append(mods, fmt.Sprintf("%s %s  %s", m.Path, p.Version, lic))
	}
	sort.Strings(mods)
	return append(lines, mods...)
}

// moduleLicences is the licence of each module Registar links, read from
// the module's LICENSE file (make dist copies the texts themselves into
// THIRD_PARTY_LICENSES.txt). A module missing here shows "see
// THIRD_PARTY_LICENSES.txt".
var moduleLicences = map[string]string{
	"fyne.io/fyne/v2":                               "BSD-3-Clause",
	"fyne.io/systray":                               "Apache-2.0",
	"github.com/BurntSushi/toml":                    "MIT",
	"github.com/cespare/xxhash/v2":                  "MIT",
	"github.com/clipperhouse/uax29/v2":              "MIT",
	"github.com/davecgh/go-spew":                    "ISC",
	"github.com/dgraph-io/badger/v4":                "Apache-2.0",
	"github.com/dgraph-io/ristretto/v2":             "Apache-2.0",
	"github.com/dustin/go-humanize":                 "MIT",
	"github.com/fredbi/uri":                         "MIT",
	"github.com/fsnotify/fsnotify":                  "BSD-3-Clause",
	"github.com/fyne-io/image":                      "BSD-3-Clause",
	"github.com/fyne-io/oksvg":                      "BSD-3-Clause",
	"github.com/gabriel-vasile/mimetype":            "MIT",
	"github.com/go-gl/gl":                           "MIT",
	"github.com/go-gl/glfw/v3.3/glfw":               "BSD-3-Clause, GLFW: Zlib",
	"github.com/go-logr/logr":                       "Apache-2.0",
	"github.com/go-logr/stdr":                       "Apache-2.0",
	"github.com/go-playground/locales":              "MIT",
	"github.com/go-playground/universal-translator": "MIT",
	"github.com/go-playground/validator/v10":        "MIT",
	"github.com/go-text/render":                     "BSD-3-Clause",
	"github.com/go-text/typesetting":                "BSD-3-Clause",
	"github.com/godbus/dbus/v5":                     "BSD-2-Clause",
	"github.com/google/flatbuffers":                 "Apache-2.0",
	"github.com/google/uuid":                        "BSD-3-Clause",
	"github.com/hhrutter/tiff":                      "BSD-3-Clause",
	"github.com/jeandeaual/go-locale":               "MIT",
	"github.com/jsummers/gobmp":                     "MIT",
	"github.com/jung-kurt/gofpdf":                   "MIT",
	"github.com/klauspost/compress":                 "BSD-3-Clause, Apache-2.0",
	"github.com/leodido/go-urn":                     "MIT",
	"github.com/mattn/go-runewidth":                 "MIT",
	"github.com/nfnt/resize":                        "ISC",
	"github.com/nicksnyder/go-i18n/v2":              "MIT",
	"github.com/nyaruka/phonenumbers":               "MIT",
	"github.com/pdfcpu/pdfcpu":                      "Apache-2.0",
	"github.com/pmezard/go-difflib":                 "BSD-3-Clause",
	"github.com/richardlehane/mscfb":                "Apache-2.0",
	"github.com/richardlehane/msoleps":              "Apache-2.0",
	"github.com/rymdport/portal":                    "Apache-2.0",
	"github.com/srwiley/oksvg":                      "BSD-3-Clause",
	"github.com/srwiley/rasterx":                    "BSD-3-Clause",
	"github.com/stretchr/testify":                   "MIT",
	"github.com/tiendc/go-deepcopy":                 "MIT",
	"github.com/xuri/efp":                           "BSD-3-Clause",
	"github.com/xuri/excelize/v2":                   "BSD-3-Clause",
	"github.com/xuri/nfp":                           "BSD-3-Clause",
	"github.com/yuin/goldmark":                      "MIT",
	"go.opentelemetry.io/auto/sdk":                  "Apache-2.0",
	"go.opentelemetry.io/otel":                      "Apache-2.0",
	"go.opentelemetry.io/otel/metric":               "Apache-2.0",
	"go.opentelemetry.io/otel/trace":                "Apache-2.0",
	"go.yaml.in/yaml/v3":                            "MIT, Apache-2.0",
	"golang.org/x/crypto":                           "BSD-3-Clause",
	"golang.org/x/image":                            "BSD-3-Clause",
	"golang.org/x/net":                              "BSD-3-Clause",
	"golang.org/x/sys":                              "BSD-3-Clause",
	"golang.org/x/term":                             "BSD-3-Clause",
	"golang.org/x/text":                             "BSD-3-Clause",
	"google.golang.org/protobuf":                    "BSD-3-Clause",
	"gopkg.in/yaml.v3":                              "MIT, Apache-2.0",
}

// fontLines are the typefaces built into the program.
var fontLines = []string{
	"Noto Sans (Registar's publications; Fyne's interface text): SIL Open Font License 1.1, below",
	"Inter Symbols (Fyne): SIL Open Font License 1.1",
	"DejaVu Sans Mono Powerline (Fyne): Bitstream Vera licence, public domain changes",
	"EmojiOne Color (Fyne): MIT",
}

// aboutTexts are the dialog's words. Serbian Latin is derived from the
// Cyrillic, as the catalogue does (data/i18n).
var aboutTexts = map[i18n.Lang]map[string]string{
	i18n.EN: {
		"title": "About Registar", "version": "Version", "data": "Data folder",
		"copy": "Copy", "open": "Open folder", "built": "Built with",
		"fonts": "Fonts and their licences", "libraries": "Libraries and their licences",
		"fulltexts": "The full licence texts are in THIRD_PARTY_LICENSES.txt in the Registar download.",
		"close":     "Close",
	},
	i18n.BS: {
		"title": "O programu Registar", "version": "Verzija", "data": "Folder s podacima",
		"copy": "Kopiraj", "open": "Otvori folder", "built": "Napravljeno pomoću",
		"fonts": "Fontovi i njihove licence", "libraries": "Biblioteke i njihove licence",
		"fulltexts": "Puni tekstovi licenci su u datoteci THIRD_PARTY_LICENSES.txt u preuzetom paketu Registra.",
		"close":     "Zatvori",
	},
	i18n.HR: {
		"title": "O programu Registar", "version": "Verzija", "data": "Mapa s podacima",
		"copy": "Kopiraj", "open": "Otvori mapu", "built": "Izrađeno pomoću",
		"fonts": "Fontovi i njihove licencije", "libraries": "Biblioteke i njihove licencije",
		"fulltexts": "Puni tekstovi licencija nalaze se u datoteci THIRD_PARTY_LICENSES.txt u preuzetom paketu Registra.",
		"close":     "Zatvori",
	},
	i18n.SR: {
		"title": "О програму Registar", "version": "Верзија", "data": "Фасцикла са подацима",
		"copy": "Копирај", "open": "Отвори фасциклу", "built": "Направљено помоћу",
		"fonts": "Фонтови и њихове лиценце", "libraries": "Библиотеке и њихове лиценце",
		"fulltexts": "Пуни текстови лиценци су у датотеци THIRD_PARTY_LICENSES.txt у преузетом пакету Регистра.",
		"close":     "Затвори",
	},
	i18n.SQ: {
		"title": "Rreth Registar", "version": "Versioni", "data": "Dosja e të dhënave",
		"copy": "Kopjo", "open": "Hap dosjen", "built": "Ndërtuar me",
		"fonts": "Shkronjat dhe licencat e tyre", "libraries": "Bibliotekat dhe licencat e tyre",
		"fulltexts": "Tekstet e plota të licencave janë në skedarin THIRD_PARTY_LICENSES.txt në paketën e shkarkuar të Registar.",
		"close":     "Mbyll",
	},
}

func aboutText(l i18n.Lang, key string) string {
	if l == i18n.SRLatn {
		return script.ToLatin(aboutText(i18n.SR, key))
	}
	if s, ok := aboutTexts[l][key]; ok {
		return s
	}
	return aboutTexts[i18n.EN][key]
}
