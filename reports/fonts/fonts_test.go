package fonts

import (
	"strings"
	"testing"
)

// The letters of every language and script the publications are printed in,
// plus the punctuation the layouts use.
var needed = map[string]string{
	"Latin Extended-A (bs, hr, sr-Latn)": "ČĆĐŠŽčćđšž ǄǅǆǇǈǉǊǋǌ",
	"Albanian":                           "ÇçËë",
	"Serbian Cyrillic":                   "АБВГДЂЕЖЗИЈКЛЉМНЊОПРЋСТУФХЦЧЏШабвгдђежзијклљмнњопрћстуфхцчџш",
	"other Cyrillic in names":            "ЁёЙйЩщЪъЫыЬьЭэЮюЯяЇїІіЄєҐґЅѕЌќЃѓ",
	"Western European in addresses":      "ÄÖÜäöüßÅåÆæØøÉéÈèÊêÀàÂâÎîÔôÛûÑñ",
	"punctuation and figures":            "–—‘’“”„«»…•·№€ \u2007\u00A0",
}

func TestCoverage(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	for what, s := range needed {
		var missing []string
		for _, r := range s {
			if r != ' ' && !Covers(r) {
				missing = append(missing, string(r))
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: no glyph for %s", what, strings.Join(missing, " "))
		}
	}
}

func TestNotCovered(t *testing.T) {
	for _, r := range []rune{0x1F600 /* 😀 */, 0x4E2D /* 中 */, 0x0627 /* ا */, -1, 0x110000} {
		if Covers(r) {
			t.Errorf("Covers(%U) = true", r)
		}
	}
}

func TestLicenceShipped(t *testing.T) {
	l := Licence()
	for _, want := range []string{"SIL OPEN FONT LICENSE Version 1.1", "Copyright 2015 Google Inc."} {
		if !strings.Contains(l, want) {
			t.Errorf("OFL.txt lacks %q", want)
		}
	}
	if len(Regular()) < 100_000 || len(Bold()) < 100_000 {
		t.Fatal("embedded fonts look truncated")
	}
}

func TestBadFont(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not a font"), make([]byte, 64)} {
		if _, err := bmpCoverage(b); err == nil {
			t.Errorf("bmpCoverage(%q...) gave no error", b[:min(len(b), 8)])
		}
	}
}
