package reports

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
)

var letterDay = data.NewDate(2026, time.December, 7)

// makeLetters renders letters or fails the test, and returns the PDF's path.
func makeLetters(t testing.TB, letters []Letter, opt LetterOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Letters(&buf, letters, opt); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, buf.Bytes())
}

func letterOptions() LetterOptions {
	return LetterOptions{Office: testOffice(), Place: "Cazin", Date: letterDay,
		Signature: []string{"Amra Hodžić", "Šefica Ureda za dijasporu"}}
}

// sampleLetters are a letter in Bosnian, Albanian and Serbian Cyrillic.
func sampleLetters() []Letter {
	return []Letter{
		{Lang: i18n.BS, Recipient: []string{"Šefik Bajramović", "Hauptstraße 12", "70173 Stuttgart", "NJEMAČKA"},
			Body: "Poštovani gospodine Bajramoviću,\n\npozivamo Vas na Dane dijaspore u Cazinu, od 20. do 22. jula 2027. godine. " +
				"Program obuhvata sajam investicija, susrete s privrednicima i kulturno veče u Gradskoj čitaonici.\n\n" +
				"Molimo Vas da prisustvo potvrdite do 1. jula na dijaspora@cazin.ba ili telefonom.\n\nS poštovanjem,"},
		{Lang: i18n.SQ, Recipient: []string{"Arbër Çeliku", "Rruga Skënderbeu 14", "8001 Zürich", "ZVICËR"},
			Body: "I nderuar zoti Çeliku,\n\nju ftojmë në Ditët e Diasporës në Gjilan, më 20 korrik 2027. " +
				"Programi përfshin panairin e investimeve dhe një mbrëmje kulturore.\n\nMe respekt,"},
		{Lang: i18n.SR, Recipient: []string{"Ђорђе Петровић", "Булевар краља Александра 73", "11000 Београд", "СРБИЈА"},
			Body: "Поштовани господине Петровићу,\n\nпозивамо Вас на Дане дијаспоре у Цазину, од 20. до 22. јула 2027. године. " +
				"Програм обухвата сајам инвестиција и културно вече.\n\nС поштовањем,"},
	}
}

func TestLetterDate(t *testing.T) {
	for _, c := range []struct {
		lang i18n.Lang
		want string
	}{{i18n.BS, "7. 12. 2026."}, {i18n.HR, "7. 12. 2026."}, {i18n.SR, "7. 12. 2026."}, {i18n.SRLatn, "7. 12. 2026."},
		{i18n.SQ, "7.12.2026"}, {i18n.EN, "7 December 2026"}} {
		if got := letterDate(letterDay, c.lang); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
}

// TestLettersText reads each letter back from its own page: recipient in
// the envelope's window, place and date in its language, body, signature.
func TestLettersText(t *testing.T) {
	needPoppler(t)
	letters := sampleLetters()
	for _, a5 := range []bool{false, true} {
		opt := letterOptions()
		opt.PaperA5 = a5
		path := makeLetters(t, letters, opt)
		if got := pageCount(t, path); got != len(letters) {
			t.Fatalf("A5 %v: %d pages for %d short letters", a5, got, len(letters))
		}
		pages := pageTexts(t, path)
		w := 210.0
		if a5 {
			w = 148
		}
		for i, l := range letters {
			page := squash(pages[i])
			for _, want := range []string{"Ured za dijasporu Općine Cazin", "Općina Cazin", "dijaspora@cazin.ba",
				"Cazin, " + letterDate(letterDay, l.Lang), squash(strings.ReplaceAll(l.Body, "\n", " ")),
				"Amra Hodžić", "Šefica Ureda za dijasporu"} {
				if !strings.Contains(page, want) {
					t.Errorf("A5 %v letter %d (%s): %q missing in\n%s", a5, i, l.Lang, want, page)
				}
			}
			if strings.Contains(page, "1/") {
				t.Errorf("A5 %v letter %d: a one-page letter numbered", a5, i)
			}
			// the window of a DL / C6 envelope: 20 mm from the left, 45–90 mm from the top
			window := squash(cropText(t, path, i+1, 20, 45, 90, 45))
			if want := strings.Join(l.Recipient, " "); !strings.Contains(window, want) {
				t.Errorf("A5 %v letter %d: window shows %q, want %q", a5, i, window, want)
			}
			// the date is at the right, out of the window
			right := squash(cropText(t, path, i+1, w/2, 90, w/2, 12))
			if !strings.Contains(right, letterDate(letterDay, l.Lang)) {
				t.Errorf("A5 %v letter %d: date line reads %q", a5, i, right)
			}
		}
	}
	// the letterhead's "Tel." is in the letter's language
	if !strings.Contains(pdfText(t, makeLetters(t, sampleLetters()[2:], letterOptions()), 0, 0), "Тел.") {
		t.Error("Serbian letterhead lacks Тел.")
	}
}

// TestLettersLongBody continues a long letter on further pages with a
// small header and numbers them; the next letter starts on a new page.
func TestLettersLongBody(t *testing.T) {
	needPoppler(t)
	var b strings.Builder
	b.WriteString("Poštovana gospođo Hodžić,\n\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "Paragraf %d: Ured za dijasporu Općine Cazin priprema program susreta, sajma i kulturnih večeri, i želi čuti Vaše mišljenje.\n\n", i)
	}
	b.WriteString("Zadnji paragraf.\n\nS poštovanjem,")
	letters := []Letter{
		{Lang: i18n.BS, Recipient: []string{"Amila Hodžić", "Rue de Lyon 5", "1201 Genève", "ŠVICARSKA"}, Body: b.String()},
		sampleLetters()[1],
	}
	path := makeLetters(t, letters, letterOptions())
	pages := pageTexts(t, path)
	n := pageCount(t, path)
	if n < 3 {
		t.Fatalf("%d pages: the long letter did not continue", n)
	}
	long := n - 1
	for p := 0; p < long; p++ {
		text := squash(pages[p])
		if want := fmt.Sprintf("%d/%d", p+1, long); !strings.Contains(text, want) {
			t.Errorf("page %d lacks its number %s", p+1, want)
		}
		if p > 0 {
			if !strings.Contains(text, "Amila Hodžić · Cazin, 7. 12. 2026.") {
				t.Errorf("page %d lacks the small header: %q", p+1, text[:min(200, len(text))])
			}
			if strings.Contains(text, "Općina Cazin") || strings.Contains(text, "1201 Genève") {
				t.Errorf("page %d repeats the letterhead or address", p+1)
			}
		}
	}
	if !strings.Contains(squash(pages[0]), "Paragraf 1:") || strings.Contains(squash(pages[0]), "Paragraf 40:") {
		t.Error("page 1 holds the wrong part of the body")
	}
	last := squash(pages[long-1])
	if !strings.Contains(last, "Paragraf 40:") || !strings.Contains(last, "Zadnji paragraf.") || !strings.Contains(last, "Amra Hodžić") {
		t.Errorf("the long letter's last page: %q", last)
	}
	// every paragraph once, in order
	all := squash(strings.Join(pages[:long], " "))
	at := 0
	for i := 1; i <= 40; i++ {
		j := strings.Index(all[at:], fmt.Sprintf("Paragraf %d:", i))
		if j < 0 {
			t.Fatalf("paragraph %d lost or out of order", i)
		}
		at += j
	}
	next := squash(pages[long])
	if !strings.Contains(next, "Arbër Çeliku") || !strings.Contains(next, "Ured za dijasporu Općine Cazin") || strings.Contains(next, "Amila") {
		t.Errorf("the second letter does not start on its own page with the letterhead: %q", next)
	}
}

func TestLettersEmpty(t *testing.T) {
	var buf bytes.Buffer
	err := Letters(&buf, nil, letterOptions())
	if !errors.Is(err, ErrNoLetters) || buf.Len() != 0 {
		t.Fatalf("no letters: %v, %d bytes", err, buf.Len())
	}
	if msg, ok := i18n.ErrorMessage(err, i18n.SR); !ok || !strings.Contains(msg, "писма") {
		t.Errorf("Serbian message: %q", msg)
	}
}

// TestOutreachShots writes sample labels and letters to $OUTREACH_SHOTS,
// to be looked at (pdftoppm -png -r 70); it is skipped without it.
func TestOutreachShots(t *testing.T) {
	dir := os.Getenv("OUTREACH_SHOTS")
	if dir == "" {
		t.Skip("OUTREACH_SHOTS not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	labels := [][]string{
		{"Ђорђе Петровић", "Булевар краља Александра 73", "11000 Београд", "СРБИЈА"},
		{"Arbër Çeliku", "Rruga Skënderbeu 14", "8001 Zürich", "ZVICËR"},
		{"Šefik Bajramović", "Hauptstraße 12", "70173 Stuttgart", "NJEMAČKA"},
		{"Udruženje građana dijaspore Cazinske krajine „Bosanska kuća“ e. V.", "z. H. Amila Hodžić", "Königsallee 100", "40212 Düsseldorf", "NJEMAČKA"},
	}
	for len(labels) < 30 {
		labels = append(labels, numbered(30)[len(labels)])
	}
	for _, f := range LabelFormats {
		var buf bytes.Buffer
		if err := Labels(&buf, labels, LabelOptions{Format: f, Skip: 1, Outline: true}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "labels-"+f.Name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := benchLetters(1)[0] // three times the invitation: two A4 pages
	var buf bytes.Buffer
	if err := Letters(&buf, []Letter{long}, letterOptions()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "letter-long-bs.pdf"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, l := range sampleLetters() {
		for _, a5 := range []bool{false, true} {
			opt := letterOptions()
			opt.PaperA5 = a5
			var buf bytes.Buffer
			if err := Letters(&buf, []Letter{l}, opt); err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("letter-%d-%s", i, l.Lang)
			if a5 {
				name += "-a5"
			}
			if err := os.WriteFile(filepath.Join(dir, name+".pdf"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestLettersWithoutLogo: a logo that does not decode is left out, and an
// office with no details gives letters without a letterhead, not an error.
func TestLettersWithoutLogo(t *testing.T) {
	needPoppler(t)
	opt := letterOptions()
	opt.Office.Logo = []byte("not an image")
	text := squash(pdfText(t, makeLetters(t, sampleLetters()[:1], opt), 0, 0))
	if !strings.Contains(text, "Ured za dijasporu Općine Cazin") || !strings.Contains(text, "Šefik Bajramović") {
		t.Errorf("letter with a broken logo: %q", text)
	}
	text = squash(pdfText(t, makeLetters(t, sampleLetters()[1:2], LetterOptions{Date: letterDay}), 0, 0))
	if !strings.HasPrefix(text, "Arbër Çeliku") || !strings.Contains(text, "7.12.2026") || strings.Contains(text, "Cazin,") {
		t.Errorf("letter of an office with no details: %q", text)
	}
}
