// Command registar is the desktop application. It only wires things
// together: the Fyne app, the store, the window; the screens are in app/.
package main

import (
	"flag"

	fyneapp "fyne.io/fyne/v2/app"

	"registar/app"
)

func main() {
	db := flag.String("db", "", "registry folder (default: the user's data folder)")
	flag.Parse()

	a := fyneapp.NewWithID(app.ID)
	w := a.NewWindow("Registar")
	shell := app.Start(a, w, *db)
	defer shell.Close()
	w.ShowAndRun()
}
