package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"strings"

	"registar/data"
	"registar/data/store"
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
	name := fs.String("name", "", "the office's name, as publications print it")
	municipality := fs.String("municipality", "", "the office's municipality: new local communities an import names belong to it")
	region := fs.String("region", "", "the country local phone numbers are read in when the person's own does not make them valid (BA, XK, RS…)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = f.Name != "json" })
	*region = strings.ToUpper(strings.TrimSpace(*region))
	if given["region"] && *region != "" {
		if _, known := data.ParseCountry(*region); !known || len(*region) != 2 {
			return usagef("--region must be a two-letter country code such as BA, XK or RS")
		}
	}
	change := given["name"] || given["municipality"] || given["region"]
	var st *store.Store
	var err error
	if change {
		st, err = e.open()
	} else {
		st, err = e.openForReading()
	}
	if err != nil {
		return err
	}
	defer st.Close()
	var o data.Office
	b, err := st.Setting(data.OfficeSetting)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		if o, err = data.ParseOffice(b); err != nil {
			return fmt.Errorf("the office's details are damaged (%v): set them again in the app's Settings", err)
		}
	}
	if change {
		if given["name"] {
			o.Name = strings.Join(strings.Fields(*name), " ")
		}
		if given["municipality"] {
			o.Municipality = strings.Join(strings.Fields(*municipality), " ")
		}
		if given["region"] {
			o.Region = *region
		}
		b, err := o.JSON()
		if err != nil {
			return err
		}
		if err := st.SetSetting(data.OfficeSetting, b); err != nil {
			return err
		}
	}
	shown := map[string]string{"name": o.Name, "municipality": o.Municipality, "address": o.Address,
		"email": o.Email, "phone": o.Phone, "region": o.Region}
	if *asJSON {
		maps.DeleteFunc(shown, func(_, v string) bool { return v == "" })
		return json.NewEncoder(e.stdout).Encode(shown)
	}
	for _, k := range []string{"name", "municipality", "address", "email", "phone", "region"} {
		fmt.Fprintf(e.stdout, "%-13s %s\n", k+":", shown[k])
	}
	return nil
}
