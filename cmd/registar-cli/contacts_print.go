package main

import (
	"io"
	"strings"

	"registar/data/i18n"
	"registar/data/outreach"
	"registar/reports"
)

// check refuses a label format the printer does not know, before the
// registry is opened.
func (j *printJob) check(format string) error {
	if format != "labels" {
		return nil
	}
	if _, ok := reports.LabelFormatByName(j.labelFormat); !ok {
		var names []string
		for _, f := range reports.LabelFormats {
			names = append(names, f.Name)
		}
		return usagef("--label-format: %q is not one of %s", j.labelFormat, strings.Join(names, ", "))
	}
	return nil
}

// labels writes a sheet of address labels, the country line in the
// destination's convention and in the language of the command.
func (j *printJob) labels(w io.Writer, cs []outreach.Contact, l i18n.Lang) error {
	f, _ := reports.LabelFormatByName(j.labelFormat)
	labels := make([][]string, len(cs))
	for i, c := range cs {
		labels[i] = outreach.AddressLines(c, j.office.Region, l)
	}
	return reports.Labels(w, labels, reports.LabelOptions{Format: f, Skip: j.skip, Lang: l})
}

// letters writes one PDF of the personalised letters, each in the
// contact's language where the template has it, on the office's letterhead.
func (j *printJob) letters(w io.Writer, cs []outreach.Contact) error {
	ctx := outreach.Context{Office: j.office, OfficeLang: j.officeLang, Date: j.date}
	letters := make([]reports.Letter, len(cs))
	for i, c := range cs {
		l := j.template.LangFor(c, ctx)
		// The country line is for the post office that sends it: in the
		// office's language, whatever the letter's (UPU).
		letters[i] = reports.Letter{Lang: l, Recipient: outreach.AddressLines(c, j.office.Region, j.officeLang), Body: j.template.Render(c, ctx)}
	}
	place := j.place
	if place == "" {
		place = j.office.Municipality
	}
	var sig []string
	for _, s := range strings.Split(j.signature, "|") {
		if s = strings.TrimSpace(s); s != "" {
			sig = append(sig, s)
		}
	}
	return reports.Letters(w, letters, reports.LetterOptions{Office: j.office, Place: place, Date: j.date,
		Signature: sig, PaperA5: j.a5})
}
