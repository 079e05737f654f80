package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"text/tabwriter"

	"registar/data"
	"registar/data/search"
)

func init() {
	register(command{
		name:    "stats",
		usage:   "[--json]",
		summary: "count the records: totals, persons by country and gender, consent",
		run:     runStats,
	})
}

// stats is what `stats --json` prints; field names are the contract.
type stats struct {
	Persons            int            `json:"persons"`
	Businesses         int            `json:"businesses"`
	Organisations      int            `json:"organisations"`
	Localities         int            `json:"localities"`
	Trashed            int            `json:"trashed"`
	PersonsByCountry   map[string]int `json:"persons_by_country"`
	PersonsByGender    map[string]int `json:"persons_by_gender"`
	ConsentToContact   int            `json:"consent_to_contact"`
	ConsentToPublish   int            `json:"consent_to_publish"`
	BusinessesByCounty map[string]int `json:"businesses_by_country"`
	// Activities and participations not in the trash; the participations
	// by status (invited, registered, attended, excused, absent) and the
	// activities by kind (meeting, cultural, …).
	Activities             int            `json:"activities"`
	Participations         int            `json:"participations"`
	ActivitiesByKind       map[string]int `json:"activities_by_kind"`
	ParticipationsByStatus map[string]int `json:"participations_by_status"`
	// Communications (runs of e-mail, letters and labels) not in the
	// trash, by channel (email, letter, labels).
	Communications          int            `json:"communications"`
	CommunicationsByChannel map[string]int `json:"communications_by_channel"`
}

func runStats(e *env, args []string) error {
	fs := e.flags("stats")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	ix := st.Index()
	c := st.Counts()
	persons := search.Query{Kind: data.KindPerson}
	consent := ix.FacetCounts(persons, "consent")
	s := stats{
		Persons: c[data.KindPerson], Businesses: c[data.KindBusiness],
		Organisations: c[data.KindOrganisation], Localities: c[data.KindLocality],
		Trashed:            ix.Count(search.Query{Trash: search.TrashOnly}),
		PersonsByCountry:   ix.FacetCounts(persons, "country"),
		PersonsByGender:    ix.FacetCounts(persons, "gender"),
		ConsentToContact:   consent["contact"],
		ConsentToPublish:   consent["publish"],
		BusinessesByCounty: ix.FacetCounts(search.Query{Kind: data.KindBusiness}, "country"),

		Activities:             ix.Count(search.Query{Kind: data.KindActivity}),
		Participations:         ix.Count(search.Query{Kind: data.KindParticipation}),
		ActivitiesByKind:       ix.FacetCounts(search.Query{Kind: data.KindActivity}, search.FacetActivityKind),
		ParticipationsByStatus: ix.FacetCounts(search.Query{Kind: data.KindParticipation}, search.FacetStatus),

		Communications:          ix.Count(search.Query{Kind: data.KindCommunication}),
		CommunicationsByChannel: ix.FacetCounts(search.Query{Kind: data.KindCommunication}, search.FacetChannel),
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, row := range []struct {
		key string
		n   int
	}{
		{"cli.stats.persons", s.Persons}, {"cli.stats.businesses", s.Businesses},
		{"cli.stats.organisations", s.Organisations}, {"cli.stats.localities", s.Localities},
		{"activitybundle.stats.activities", s.Activities},
		{"activitybundle.stats.participations", s.Participations},
		{"outreachcli.stats.communications", s.Communications},
		{"cli.stats.trashed", s.Trashed},
	} {
		fmt.Fprintf(tw, "%s\t%d\n", e.T(row.key), row.n)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.say("cli.stats.consent", "contact", strconv.Itoa(s.ConsentToContact), "publish", strconv.Itoa(s.ConsentToPublish))
	e.say("cli.stats.by_country")
	for _, kv := range sortedCounts(s.PersonsByCountry) {
		fmt.Fprintf(e.stdout, "  %-4s %d\n", kv.key, kv.n)
	}
	if s.Communications > 0 {
		e.say("outreachcli.stats.by_channel")
		for _, kv := range sortedCounts(s.CommunicationsByChannel) {
			fmt.Fprintf(e.stdout, "  %-8s %d\n", data.ValueLabel(data.GroupChannel, kv.key, e.lang), kv.n)
		}
	}
	return nil
}

type keyCount struct {
	key string
	n   int
}

func sortedCounts(m map[string]int) []keyCount {
	out := make([]keyCount, 0, len(m))
	for k, n := range m {
		out = append(out, keyCount{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].key < out[j].key
	})
	return out
}
