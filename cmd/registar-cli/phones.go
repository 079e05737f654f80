package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"

	"registar/data"
)

func init() {
	register(command{
		name:    "phones",
		usage:   "[--json]",
		summary: "list the records whose phone number is not valid in its country (stored before numbers were checked)",
		run:     runPhones,
	})
}

// invalidPhone is one line of `phones --json`; field names are the contract.
type invalidPhone struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Phone   string `json:"phone"`
	Country string `json:"country,omitempty"`
	Problem string `json:"problem"` // unreadable, extension, unknown_code, invalid, invalid_local
	Message string `json:"message"` // in --lang
}

func runPhones(e *env, args []string) error {
	fs := e.flags("phones")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	found, err := data.InvalidPhones(st, st.Region()) // REGISTAR_REGION, else the office's
	if err != nil {
		return err
	}
	out := make([]invalidPhone, len(found))
	for i, f := range found {
		out[i] = invalidPhone{ID: f.ID, Kind: string(f.Kind), Title: f.Title, Phone: f.Phone, Country: f.Country,
			Problem: f.Err.Problem.String(), Message: f.Err.Message(e.lang)}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, p := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Kind, p.ID, p.Title, p.Phone, p.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.say("cli.phones.count", "n", strconv.Itoa(len(out)))
	return nil
}
