package app

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data/bundle"
	"registar/data/i18n"
)

// The Bundles screen carries work between laptops: Send writes this
// laptop's changes to a bundle file, Receive previews and merges another
// laptop's bundle (with a progress bar, a cancel and an undo), Conflicts
// settles the records changed on two laptops, Duplicates merges the
// records two laptops registered separately. Each tab is a struct in its
// own file (bundles_send.go, …); the rules are all in data/bundle.

// bundleExt is the extension Registar gives bundle files. The bundle
// package names none (the CLI writes any name given), so the open dialog
// also lists the shorter ".bundle" people type at the command line.
const bundleExt = ".registar-bundle"

var bundleExts = []string{bundleExt, ".bundle"}

// Preferences of the screen.
const (
	prefBundlesTab    = "bundles.tab"    // the tab shown last
	prefBundlesFolder = "bundles.folder" // the folder of the last bundle (a USB stick)
)

// The tabs, in order.
const (
	bundleTabSend = iota
	bundleTabReceive
	bundleTabConflicts
	bundleTabDuplicates
)

// bundlesScreen is the screen: its four tabs and what they share.
type bundlesScreen struct {
	shell     *Shell
	tabs      *container.AppTabs
	send      *bundleSend
	receive   *bundleReceive
	conflicts *bundleConflicts
	dupes     *bundleDupes
}

func bundlesView(s *Shell) fyne.CanvasObject {
	return newBundlesScreen(s).buildUI()
}

func newBundlesScreen(s *Shell) *bundlesScreen {
	b := &bundlesScreen{shell: s}
	b.send = &bundleSend{screen: b, shell: s}
	b.receive = &bundleReceive{screen: b, shell: s}
	b.conflicts = &bundleConflicts{screen: b, shell: s}
	b.dupes = &bundleDupes{screen: b, shell: s}
	return b
}

func (b *bundlesScreen) buildUI() fyne.CanvasObject {
	s := b.shell
	b.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(s.T("bundleui.tab.send"), theme.UploadIcon(), b.send.buildUI()),
		container.NewTabItemWithIcon(s.T("bundleui.tab.receive"), theme.DownloadIcon(), b.receive.buildUI()),
		container.NewTabItemWithIcon(s.T("bundle.conflicts.title"), theme.WarningIcon(), b.conflicts.buildUI()),
		container.NewTabItemWithIcon(s.T("bundle.duplicates.title"), theme.ContentCopyIcon(), b.dupes.buildUI()),
	)
	tab := s.app.Preferences().IntWithFallback(prefBundlesTab, bundleTabSend)
	if tab < 0 || tab >= len(b.tabs.Items) {
		tab = bundleTabSend
	}
	b.tabs.SelectIndex(tab)
	b.tabs.OnSelected = b.onTabSelected
	b.conflicts.reload("")
	if tab == bundleTabDuplicates {
		b.dupes.reload()
	}
	title := widget.NewLabelWithStyle(s.T("screen.bundles"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(container.NewPadded(title), nil, nil, nil, b.tabs)
}

// onTabSelected remembers the tab, and reads again what the tab lists:
// another tab may have changed it.
func (b *bundlesScreen) onTabSelected(*container.TabItem) {
	i := b.tabs.SelectedIndex()
	b.shell.app.Preferences().SetInt(prefBundlesTab, i)
	switch i {
	case bundleTabConflicts:
		b.conflicts.reload("")
	case bundleTabDuplicates:
		b.dupes.reload()
	}
}

// showTab goes to a tab, as a user tapping it.
func (b *bundlesScreen) showTab(i int) {
	b.tabs.SelectIndex(i)
}

// setCount shows how many items a tab has beside its title.
func (b *bundlesScreen) setCount(tab, n int) {
	s := b.shell
	title := map[int]string{bundleTabConflicts: "bundle.conflicts.title", bundleTabDuplicates: "bundle.duplicates.title"}[tab]
	text := s.T(title)
	if n > 0 {
		text = s.T("bundleui.tab.count", "title", text, "n", i18n.FormatInt(n, s.lang))
	}
	if b.tabs.Items[tab].Text != text {
		b.tabs.Items[tab].Text = text
		b.tabs.Refresh()
	}
}

// errorText is the sentence for an error: a bundle error in the user's
// language (bundle.Message), else the shell's sentence.
func (b *bundlesScreen) errorText(err error) string {
	var be *bundle.Error
	if errors.As(err, &be) {
		return bundle.Message(err, b.shell.lang)
	}
	return b.shell.errorText(err)
}

// showError logs an error and tells the user in a sentence.
func (b *bundlesScreen) showError(what string, err error) {
	fyne.LogError(what, err)
	dialog.ShowError(errors.New(b.errorText(err)), b.shell.window)
}

// File dialogs. Tests replace these to answer as a user would.
var (
	bundleOpenDialog = func(s *Shell, cb func(fyne.URIReadCloser, error)) {
		openFileDialog(s, bundleExts, prefBundlesFolder, cb)
	}
	bundleSaveDialog = func(s *Shell, name string, cb func(fyne.URIWriteCloser, error)) {
		saveFileDialog(s, name, bundleExts, prefBundlesFolder, cb)
	}
)

// bundleTime is how the screen writes a moment: 20.11.2026. 10:30.
func bundleTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("02.01.2006. 15:04")
}
