package data

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The home numbers people abroad keep: Bosnian mobiles (06x xxx xxx)
// written locally for persons living in each country, with the office in
// Bosnia. German and Croatian numbering take most of them as landlines of
// their own; such a number is read as the Bosnian mobile. Only where it is
// a mobile of the country of residence too (Austria's 066x, Slovenia's
// 064/065, all of Serbia's 06x) does the residence win, and the reading
// says it is also valid in Bosnia.
func TestHomeMobilesAbroad(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, residence := range []string{"DE", "AT", "CH", "SE", "SI", "HR", "RS", "US"} {
		home, bothMobile, n := 0, 0, 0
		for n < 400 {
			s := fmt.Sprintf("06%d %03d %03d", rng.IntN(6)+1, rng.IntN(1000), rng.IntN(1000))
			if r, err := ReadPhone(s, "", "BA"); err != nil || r.Region != "BA" {
				continue // not a Bosnian number at all
			}
			n++
			r, err := ReadPhone(s, residence, "BA")
			if err != nil {
				t.Fatalf("%s %s: %v", residence, s, err)
			}
			there, _ := phonenumbers.Parse(s, residence)
			mobileThere := phonenumbers.IsValidNumber(there) && isMobile(there)
			switch {
			case r.Region == "BA":
				home++
			case mobileThere && r.Region == residence && r.AlsoValidIn == "BA":
				bothMobile++
			default:
				t.Errorf("%s: %s read as %+v", residence, s, r)
			}
		}
		t.Logf("%s: %d of %d read as Bosnian, %d mobiles of both countries read as %s's", residence, home, n, bothMobile, residence)
	}
}
