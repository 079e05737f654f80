// Command registar is the desktop application. It only wires things
// together: the Fyne app, the store, the window; the screens are in app/.
package main

import (
	"flag"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"registar/app"
	"registar/internal/peakheap"
)

// appMemoryLimit is the Go heap the desktop app aims to stay under.
const appMemoryLimit = 640 << 20

func main() {
	db := flag.String("db", "", "registry folder (default: the user's data folder)")
	flag.Parse()
	// A soft limit on the Go heap: office laptops have 4 GB shared with a
	// browser and Word, and with a million persons the garbage of an index
	// rebuild or a sort would otherwise be collected late (1.2 GB after a
	// rebuild and a sort; 0.8 GB with this). GOMEMLIMIT, if set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		app.KeepHeapLimit(appMemoryLimit)
	}

	// REGISTAR_MEMPROFILE=FILE: a heap profile at the largest heap.
	defer peakheap.Profile(os.Getenv("REGISTAR_MEMPROFILE"))()

	a := fyneapp.NewWithID(app.ID)
	w := a.NewWindow("Registar")
	shell := app.Start(a, w, *db)
	defer shell.Close()
	w.ShowAndRun()
}
