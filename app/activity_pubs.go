package app

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data/i18n"
	"registar/reports"
)

// The publications of one activity, made from its page: the attendance
// sheet to print before the event, the activity report after it and, for a
// consultation, the consultation report. A button makes the PDF as a job
// (the bar and Cancel), in the UI language, and shows it in the preview
// (preview.go) in a large dialog, where another language can be chosen and
// Save PDF writes it through saveAs, into the Publications screen's folder.
// The PDF is made from the activity as it is saved.

// activityPubs lists the publications an activity's page offers: the
// consultation report only for a consultation.
func activityPubs(consultation bool) []reports.Publication {
	out := []reports.Publication{}
	for _, pub := range reports.ActivityPublications {
		if pub.ForActivity() && (pub != reports.ConsultationReport || consultation) {
			out = append(out, pub)
		}
	}
	return out
}

// pubButtons are the page's buttons that make its publications (none for
// an activity not yet saved).
func (p *activityPage) pubButtons() fyne.CanvasObject {
	box := container.NewHBox()
	p.pubBtns = map[reports.Publication]*widget.Button{}
	if p.isNew {
		return box
	}
	for _, pub := range activityPubs(p.act.ActivityKind == "consultation") {
		b := widget.NewButtonWithIcon(pub.Title(p.shell.lang), theme.DocumentPrintIcon(), func() { p.onPublication(pub) })
		b.Importance = widget.LowImportance
		p.pubBtns[pub] = b
		box.Add(b)
	}
	// A sign-in sheet typed up after the event: the Import screen, preset
	// to this activity (matched people attended, unmatched offered as new).
	signIn := widget.NewButtonWithIcon(p.shell.T("activityxui.signin.button"), theme.UploadIcon(), func() {
		p.shell.importParticipants(p.act.ID)
	})
	signIn.Importance = widget.LowImportance
	box.Add(signIn)
	return box
}

// onPublication makes one of the activity's publications in the UI
// language and previews it. Unsaved changes are not in it: the clerk is
// asked to save first.
func (p *activityPage) onPublication(pub reports.Publication) {
	s := p.shell
	if p.form.dirty {
		dialog.ShowInformation(pub.Title(s.lang), s.T("activitypubs.unsaved"), s.window)
		return
	}
	ap := &actPub{shell: s, pub: pub, activity: p.act.ID, name: p.act.Title(), lang: s.lang}
	ap.make(ap.show)
}

// actPub is one publication of an activity, made in a language, and the
// dialog that previews and saves it.
type actPub struct {
	shell    *Shell
	pub      reports.Publication
	activity string // its ID
	name     string // its title, for the file's name
	lang     i18n.Lang
	pdf      []byte
	info     reports.Info

	viewer  *pdfViewer
	d       dialog.Dialog
	langSel *widget.Select
	saveBtn *widget.Button
	status  *widget.Label
	pages   *fyne.Container
}

// actPubShown is the last activity publication shown (tests).
var actPubShown *actPub

// make makes the PDF in ap.lang as a job behind a dialog with the bar and
// Cancel, and calls then with it made; an error is said in a dialog.
func (ap *actPub) make(then func()) {
	s := ap.shell
	pub, lang, id := ap.pub, ap.lang, ap.activity
	opt := reports.Options{Lang: lang, Office: s.office, Now: timeNow(), Activity: id}
	var (
		buf  bytes.Buffer
		info reports.Info
	)
	s.runModal(pub.Title(s.lang), s.T("activitypubs.making"), func(ctx context.Context, progress func(int, int)) error {
		opt.Progress = progress
		var err error
		info, err = reports.Generate(ctx, &buf, pub, s.store, opt)
		return err
	}, func(err error) {
		var ae *reports.ActivityError
		switch {
		case errors.As(err, &ae):
			fyne.LogError("making an activity's publication", err)
			dialog.ShowError(errors.New(ae.Msg), s.window) // said in the publication's language
			return
		case err != nil:
			if errors.Is(err, context.Canceled) {
				return
			}
			s.showError("making an activity's publication", err)
			return
		}
		ap.pdf, ap.info = buf.Bytes(), info
		then()
	})
}

// show opens the preview dialog over the window.
func (ap *actPub) show() {
	s := ap.shell
	actPubShown = ap
	langNames := make([]string, len(i18n.All))
	for i, l := range i18n.All {
		langNames[i] = l.Name()
	}
	ap.langSel = widget.NewSelect(langNames, nil)
	ap.langSel.SetSelectedIndex(slices.Index(i18n.All, ap.lang))
	ap.langSel.OnChanged = func(string) { ap.onLang(i18n.All[ap.langSel.SelectedIndex()]) }
	ap.saveBtn = widget.NewButtonWithIcon(s.T("pubui.save"), theme.DocumentSaveIcon(), ap.onSave)
	ap.saveBtn.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon(s.T("keys.dismiss"), theme.CancelIcon(), func() { ap.d.Hide() })
	ap.status = widget.NewLabel("")
	ap.status.Truncation = fyne.TextTruncateEllipsis
	ap.viewer = &pdfViewer{shell: s}
	warmUpPreview()
	ap.pages = container.NewStack(ap.viewerView())
	bar := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabel(s.T("pubui.language")), ap.langSel, ap.saveBtn),
		closeBtn, ap.status)
	content := container.NewBorder(bar, nil, nil, nil, ap.pages)
	ap.d = dialog.NewCustomWithoutButtons(ap.pub.Title(s.lang)+": "+ap.name, content, s.window)
	size := s.window.Canvas().Size()
	ap.d.Resize(fyne.NewSize(size.Width*0.92, size.Height*0.92))
	ap.d.SetOnClosed(ap.onClosed)
	ap.d.Show()
	ap.showInfo()
}

// onClosed lets the renderer go of the PDF (and drops a page or an open
// still under way).
func (ap *actPub) onClosed() {
	v := ap.viewer
	v.gen++
	if v.doc != nil {
		go v.doc.Close()
		v.doc = nil
	}
}

// viewerView is the preview of the PDF, without the button that folds
// the Publications screen's options away (there are none here).
func (ap *actPub) viewerView() fyne.CanvasObject {
	o := ap.viewer.show(ap.pdf)
	ap.viewer.wideBtn.Hide()
	return o
}

// showInfo says how many pages the PDF has.
func (ap *actPub) showInfo() {
	ap.status.SetText(ap.shell.T("pubui.info.pages", "n", strconv.Itoa(ap.info.Pages)))
}

// onLang makes the publication again in another language.
func (ap *actPub) onLang(l i18n.Lang) {
	if l == ap.lang {
		return
	}
	ap.lang = l
	ap.make(func() {
		ap.pages.Objects = []fyne.CanvasObject{ap.viewerView()}
		ap.pages.Refresh()
		ap.showInfo()
	})
}

// onSave asks where to save the PDF and writes it there.
func (ap *actPub) onSave() {
	s := ap.shell
	name := ap.fileName()
	pdf := ap.pdf
	s.saveAs(func(cb func(fyne.URIWriteCloser, error)) { pubSaveFile(s, name, cb) },
		"saving a publication", prefPubFolder, ".pdf", nil, nil, func(w fyne.URIWriteCloser) {
			_, err := w.Write(pdf)
			if err = closeWritten(w, err); err != nil {
				s.showError("saving a publication", err)
				return
			}
			ap.status.SetText(s.T("pubui.saved", "file", w.URI().Name()))
		})
}

// fileName is the name the save dialog proposes: the publication's title
// and the activity's, in the publication's language, without the
// characters a file name cannot have.
func (ap *actPub) fileName() string {
	name := ap.pub.Title(ap.lang) + " - " + ap.name
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, name)
	return strings.TrimSpace(name) + ".pdf"
}
