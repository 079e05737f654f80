package exchange

import (
	"path/filepath"
	"strings"
	"testing"

	"registar/data/i18n"
)

// The files of a folder that are skipped are listed with their reason in
// the user's language.
func TestUnreadableInTheUsersLanguage(t *testing.T) {
	folder := filepath.Join("testdata", "field", "instances")
	for lang, want := range map[i18n.Lang]string{
		i18n.EN: "damaged XML",
		i18n.BS: i18n.T(i18n.BS, "fieldimport.reason.damaged", "param", "")[:10],
		i18n.SQ: "XML i dëmtuar",
	} {
		sh, err := OpenSource(folder, ReadOptions{Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		if u := sh.Origin.Unreadable; len(u) != 1 || !strings.Contains(u[0], want) || !strings.HasSuffix(strings.SplitN(u[0], ":", 2)[0], ".xml") {
			t.Errorf("%s: %q, want the file and %q", lang, u, want)
		}
	}
}
