package main

import (
	"encoding/json"
	"fmt"
	"runtime"

	"registar/data/store"
)

// version is set by release builds:
//
//	go build -ldflags "-X main.version=0.1.0" ./cmd/registar-cli
//
// make dist uses the same value as the desktop app's About (see
// scripts/dist-version.sh); a plain build says "dev".
var version = "dev"

func init() {
	register(command{
		name:    "version",
		usage:   "[--json]",
		summary: "print the version, the platform and the registry folder",
		run:     runVersion,
	})
}

// versionInfo is what `version --json` prints; field names are the contract.
type versionInfo struct {
	Version  string `json:"version"`
	Go       string `json:"go"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Registry string `json:"registry"`
	Exists   bool   `json:"registry_exists"`
}

func runVersion(e *env, args []string) error {
	fs := e.flags("version")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	v := versionInfo{Version: version, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	// The folder is informative: a machine without a home folder still
	// gets its version.
	if dir, err := e.dir(); err == nil {
		v.Registry = dir
		v.Exists = store.IsStore(dir)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	fmt.Fprintf(e.stdout, "registar-cli %s (%s, %s/%s)\n", v.Version, v.Go, v.OS, v.Arch)
	if v.Registry != "" {
		if v.Exists {
			e.say("cli.version.registry", "folder", v.Registry)
		} else {
			e.say("cli.version.no_registry", "folder", v.Registry)
		}
	}
	return nil
}
