// Package localeenv keeps Fyne from logging "Error parsing user locale C"
// on a C or POSIX locale (C.UTF-8 in most containers and minimal installs)
// or a locale with a modifier (sr_RS@latin).
//
// Fyne's lang package reads the locale in its package initialisation, before
// main runs. This package imports only the standard library, so Go
// initialises it before lang (packages are initialised in import-path order
// among those whose imports are ready, and lang waits for text/template);
// app imports it; localeenv_test checks the order in a real process.
package localeenv

import (
	"os"
	"runtime"
	"strings"
)

func init() { Quiet() }

// setHere is true once Quiet has set LANGUAGE.
var setHere bool

// Quiet sets LANGUAGE, which Fyne reads after LC_ALL, LC_MESSAGES and LANG
// and which the C library ignores for a C locale: English for a C or POSIX
// locale, the locale without its modifier for one like sr_RS@latin. Nothing
// changes when LANGUAGE is set already, or on Windows and macOS.
func Quiet() {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || os.Getenv("LANGUAGE") != "" {
		return
	}
	switch loc := UnixLocale(); {
	case IsC(loc):
		os.Setenv("LANGUAGE", "en")
		setHere = true
	case strings.Contains(loc, "@"):
		base, _, _ := strings.Cut(loc, "@")
		os.Setenv("LANGUAGE", base)
		setHere = true
	}
}

// SetHere tells whether LANGUAGE was set by Quiet, not by the user.
func SetHere() bool { return setHere }

// Forget makes Quiet's LANGUAGE count as the user's again (for tests that
// change the environment).
func Forget() { setHere = false }

// UnixLocale is the locale the C library would use for messages.
func UnixLocale() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return ""
}

// IsC tells a C or POSIX locale (or none) from a language's.
func IsC(s string) bool {
	base, _, _ := strings.Cut(s, ".")
	return base == "" || base == "C" || base == "POSIX"
}
