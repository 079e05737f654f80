package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"registar/data"
	"registar/data/store"
	"registar/reports"
)

func init() {
	register(command{
		name:    "office",
		usage:   "[--name N] [--municipality M] [--region BA] [--json]",
		summary: "show the office's details kept with the registry, or set them (as the app's Settings do)",
		run:     runOffice,
	})
}

// runOffice shows or changes the office's details. Only the flags given
// change; the rest of what the app keeps there (address, logo, texts) is
// left as it is.
func runOffice(e *env, args []string) error {
	fs := e.flags("office")
	fs.String("name", "", "the office's name, as publications print it")
	fs.String("municipality", "", "the office's municipality: new local communities an import names belong to it")
	fs.String("region", "", "the country local phone numbers are read in when the person's own does not make them valid (BA, XK, RS…)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	set := map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name", "municipality":
			set[f.Name] = strings.Join(strings.Fields(f.Value.String()), " ")
		case "region":
			set[f.Name] = strings.ToUpper(strings.TrimSpace(f.Value.String()))
		}
	})
	if r, ok := set["region"]; ok && r != "" {
		if _, known := data.ParseCountry(r); !known || len(r) != 2 {
			return usagef("--region must be a two-letter country code such as BA, XK or RS")
		}
	}
	var st *store.Store
	var err error
	if len(set) > 0 {
		st, err = e.open()
	} else {
		st, err = e.openForReading()
	}
	if err != nil {
		return err
	}
	defer st.Close()
	details := map[string]any{}
	b, err := st.Setting(reports.OfficeSetting)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(b, &details); err != nil {
			return fmt.Errorf("the office's details are damaged (%v): set them again in the app's Settings", err)
		}
	}
	if len(set) > 0 {
		for k, v := range set {
			details[k] = v
		}
		b, err := json.Marshal(details)
		if err != nil {
			return err
		}
		if err := st.SetSetting(reports.OfficeSetting, b); err != nil {
			return err
		}
	}
	shown := map[string]string{}
	for _, k := range []string{"name", "municipality", "address", "email", "phone", "region"} {
		if v, ok := details[k].(string); ok {
			shown[k] = v
		}
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(shown)
	}
	for _, k := range []string{"name", "municipality", "address", "email", "phone", "region"} {
		fmt.Fprintf(e.stdout, "%-13s %s\n", k+":", shown[k])
	}
	return nil
}
