package data

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without time or zone, as people write it on a form.
// The zero value means "not given". It is stored and exchanged as YYYY-MM-DD.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate builds a Date; it does not check the calendar (see ParseDate).
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// DateOf takes the calendar date of t in t's own location.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight UTC of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String is the ISO form, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Local is the form used in Bosnia, Croatia, Serbia and Kosovo: 12.03.1985.
func (d Date) Local() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d.", d.Day, d.Month, d.Year)
}

// AgeOn returns the age in whole years on the given day.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// Before reports whether d is strictly earlier than o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// ErrBadDate is returned by ParseDate for text that is not a real date.
var ErrBadDate = fmt.Errorf("not a date")

// ParseDate accepts the ways people type a date here: 12.03.1985.,
// 12.03.1985, 12. 3. 1985, 1985-03-12 and 12/03/1985 (day first). The empty
// string gives the zero date. A date that does not exist (31.02.) is an error.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if d, ok := parseISO(s); ok { // the stored form, which every record validated has
		return d, nil
	}
	var y, m, d int
	var err error
	switch {
	case strings.Count(s, "-") == 2:
		_, err = fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d)
	default:
		f := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' || r == ' ' })
		if len(f) != 3 {
			return Date{}, ErrBadDate
		}
		_, err = fmt.Sscanf(strings.Join(f, " "), "%d %d %d", &d, &m, &y)
	}
	if err != nil || y < 1000 || y > 9999 {
		return Date{}, ErrBadDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return Date{}, ErrBadDate
	}
	return Date{y, time.Month(m), d}, nil
}

// parseISO reads exactly "YYYY-MM-DD", the stored form, without fmt: it is
// on the path of every record decoded.
func parseISO(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	num := func(part string) (int, bool) {
		n := 0
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || y < 1000 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, false
	}
	return Date{y, time.Month(m), d}, true
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MarshalJSON writes "YYYY-MM-DD", or "" for the zero date.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads what MarshalJSON writes (and the other forms ParseDate takes).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) == 12 && b[0] == '"' && b[11] == '"' {
		if v, ok := parseISO(string(b[1:11])); ok {
			*d = v
			return nil
		}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("date %q: %w", s, err)
	}
	*d = v
	return nil
}
