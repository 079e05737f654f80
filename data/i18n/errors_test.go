package i18n

import (
	"errors"
	"fmt"
	"testing"
)

type testTranslated struct{}

func (testTranslated) Error() string         { return "disk full" }
func (testTranslated) Message(l Lang) string { return "disk pun (" + string(l) + ")" }

func TestErrorMessage(t *testing.T) {
	wrapped := fmt.Errorf("sheet.xlsx: %w", testTranslated{})
	if msg, ok := ErrorMessage(wrapped, BS); !ok || msg != "sheet.xlsx: disk pun (bs)" {
		t.Errorf("wrapped: %q %v", msg, ok)
	}
	if msg, ok := ErrorMessage(testTranslated{}, SQ); !ok || msg != "disk pun (sq)" {
		t.Errorf("bare: %q %v", msg, ok)
	}
	if msg, ok := ErrorMessage(errors.New("plain"), BS); ok || msg != "plain" {
		t.Errorf("plain: %q %v", msg, ok)
	}
}
