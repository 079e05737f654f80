package app

// Version is Registar's version as About shows it. Release builds set it:
//
//	go build -ldflags "-X registar/app.Version=0.1.0" …
//
// (make dist takes it from `git describe --tags`, else FyneApp.toml's
// Version: see scripts/dist-version.sh). A plain `go build` or `make run`
// leaves "dev".
var Version = "dev"
