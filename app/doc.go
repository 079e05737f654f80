// Package app holds Registar's Fyne screens, one file per screen, and the
// shell that opens the store and hosts them. Business rules live in data/
// and reports/; a handler here calls them and shows the result.
package app
