package reports

import (
	"fmt"
	"strings"
	"testing"

	"registar/data/i18n"
)

// The targets: labels for 5,000 persons ≤ 2 s, letters for 5,000
// persons ≤ 5 s (docs/bench-reports.md).
//
//	CGO_ENABLED=0 go test -run '^$' -bench 'Outreach' -benchtime 3x ./reports/

// benchAddresses are n address blocks in the offices' scripts.
func benchAddresses(n int) [][]string {
	givens := []string{"Šefik", "Amila", "Ђорђе", "Arbër", "Mirsad", "Јелена", "Fatmire", "Željko"}
	families := []string{"Bajramović", "Hodžić", "Петровић", "Çeliku", "Mujić", "Јовановић", "Krasniqi", "Đurić"}
	places := [][]string{{"Hauptstraße 12", "70173 Stuttgart", "NJEMAČKA"}, {"Rruga Skënderbeu 14", "8001 Zürich", "ZVICËR"},
		{"Булевар краља Александра 73", "1010 Wien", "АУСТРИЈА"}, {"Kungsgatan 5", "111 43 Stockholm", "ŠVEDSKA"}}
	out := make([][]string, n)
	for i := range out {
		p := places[i%len(places)]
		out[i] = append([]string{givens[i%len(givens)] + " " + families[(i/len(givens))%len(families)]}, p...)
		if i%50 == 0 { // now and then an association with a long name
			out[i] = append([]string{"Udruženje građana dijaspore Cazinske krajine „Bosanska kuća“ e. V.", "z. H. " + out[i][0]}, p...)
		}
	}
	return out
}

func BenchmarkOutreachLabels5000(b *testing.B) {
	labels := benchAddresses(5000)
	for _, f := range LabelFormats {
		b.Run(f.Name, func(b *testing.B) {
			var size int64
			for b.Loop() {
				cw := &countWriter{}
				if err := Labels(cw, labels, LabelOptions{Format: f}); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size)/1e6, "MB")
		})
	}
}

// benchLetters are n letters in five languages: an invitation of about
// 220 words (one A4 page, two A5 pages), and every tenth letter three
// times as long.
func benchLetters(n int) []Letter {
	addrs := benchAddresses(n)
	langs := []i18n.Lang{i18n.BS, i18n.SQ, i18n.SR, i18n.HR, i18n.EN}
	paras := []string{
		"Ured za dijasporu Općine Cazin poziva Vas na Dane dijaspore, od 20. do 22. jula 2027. godine. Program obuhvata sajam " +
			"investicija, susrete s privrednicima, kulturno veče u Gradskoj čitaonici i obilazak novih projekata u mjesnim zajednicama.",
		"Posebno nas zanima Vaše iskustvo: kako Općina može olakšati ulaganja, povratak ili saradnju s udruženjima u zemlji u kojoj " +
			"živite. Na okruglom stolu u subotu bit će riječi o dvojnom porezu, priznavanju diploma i stipendijama za mlade.",
		"Prijave primamo do 1. jula 2027. na dijaspora@cazin.ba, telefonom ili lično u Uredu, radnim danima od 8 do 16 sati. " +
			"Smještaj za goste iz inostranstva po povoljnijim cijenama osiguran je u dva hotela u gradu.",
		"Radujemo se susretu s Vama i Vašom porodicom. Ukoliko ne možete doći, pišite nam: Vaši prijedlozi ulaze u plan rada Ureda.",
	}
	letters := make([]Letter, n)
	for i, a := range addrs {
		var body strings.Builder
		fmt.Fprintf(&body, "Poštovani %s,\n\n", a[0])
		reps := 1
		if i%10 == 0 {
			reps = 3
		}
		for r := 0; r < reps; r++ {
			for _, p := range paras {
				body.WriteString(p + "\n\n")
			}
		}
		body.WriteString("S poštovanjem,")
		letters[i] = Letter{Lang: langs[i%len(langs)], Recipient: a, Body: body.String()}
	}
	return letters
}

func BenchmarkOutreachLetters5000(b *testing.B) {
	letters := benchLetters(5000)
	for _, a5 := range []bool{false, true} {
		name := "A4"
		if a5 {
			name = "A5"
		}
		b.Run(name, func(b *testing.B) {
			opt := letterOptions()
			opt.PaperA5 = a5
			d, err := letterDoc(letters, opt)
			if err != nil {
				b.Fatal(err)
			}
			pages := d.pdf.PageCount()
			var size int64
			for b.Loop() {
				cw := &countWriter{}
				if err := Letters(cw, letters, opt); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(pages), "pages")
			b.ReportMetric(float64(size)/1e6, "MB")
		})
	}
}

// countWriter counts the bytes written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
