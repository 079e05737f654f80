package data

import (
	"encoding/json"
	"testing"
)

func TestParseDate(t *testing.T) {
	ok := map[string]Date{
		"12.03.1985.": NewDate(1985, 3, 12), "12.03.1985": NewDate(1985, 3, 12), "12. 3. 1985": NewDate(1985, 3, 12),
		"1985-03-12": NewDate(1985, 3, 12), "12/03/1985": NewDate(1985, 3, 12), "": {}, "29.02.2024.": NewDate(2024, 2, 29),
	}
	for in, want := range ok {
		if got, err := ParseDate(in); err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"31.02.1985.", "29.02.2023", "1985-13-01", "yesterday", "12.03", "0000-01-01"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func TestDateJSON(t *testing.T) {
	for _, d := range []Date{NewDate(1985, 3, 12), {}, NewDate(2024, 2, 29)} {
		b, _ := json.Marshal(d)
		var got Date
		if err := json.Unmarshal(b, &got); err != nil || got != d {
			t.Errorf("round trip of %v: %v %v", d, got, err)
		}
	}
	var d Date
	if err := json.Unmarshal([]byte(`"2023-02-29"`), &d); err == nil {
		t.Error("a date that does not exist decoded")
	}
	if err := json.Unmarshal([]byte(`"12.03.1985."`), &d); err != nil || d != NewDate(1985, 3, 12) {
		t.Errorf("local form: %v %v", d, err)
	}
	if NewDate(1985, 3, 12).AgeOn(NewDate(2003, 3, 11)) != 17 || NewDate(1985, 3, 12).AgeOn(NewDate(2003, 3, 12)) != 18 {
		t.Error("AgeOn")
	}
}
