package script

import "testing"

func TestToLatin(t *testing.T) {
	cases := map[string]string{
		"Ђорђе Петровић": "Đorđe Petrović",
		"Љиља Њего":      "Ljilja Njego",
		"ЉИЉА":           "LJILJA",
		"Џон":            "Džon",
		"ЏЕП":            "DŽEP",
		"Čelik":          "Čelik",
		"":               "",
		"Ниш 2024":       "Niš 2024",
	}
	for in, want := range cases {
		if got := ToLatin(in); got != want {
			t.Errorf("ToLatin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasCyrillic(t *testing.T) {
	if !HasCyrillic("abc ж") || HasCyrillic("Đorđe") {
		t.Fatal("HasCyrillic wrong")
	}
}
