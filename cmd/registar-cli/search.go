package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"registar/data"
	"registar/data/search"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "search",
		usage:   "QUERY [--kind K] [--limit N] [--json] [--by-title] | --queries FILE",
		summary: "find records, best match first, blind to script, case and diacritics (filters: country:DE city:… interest:invest consent:publish tag:…)",
		run:     runSearch,
	})
}

func runSearch(e *env, args []string) error {
	fs := e.flags("search")
	kind := fs.String("kind", "", "person, business, organisation, locality or activity")
	asJSON := fs.Bool("json", false, "print the records as a JSON array")
	limit := fs.Int("limit", -1, "most hits to print (0: all; default 50, with --json all)")
	byTitle := fs.Bool("by-title", false, "list the hits in alphabetical order instead of best match first")
	queries := fs.String("queries", "", "file with one query per line: print the hit count of each")
	trash := fs.Bool("trash", false, "search the trash instead")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *queries == "" && len(pos) == 0 {
		return usagef("give a QUERY or --queries FILE")
	}
	if *queries != "" && len(pos) > 0 {
		return usagef("give a QUERY or --queries FILE, not both")
	}
	var k data.Kind
	if *kind != "" {
		if k, err = data.ParseKind(*kind); err != nil {
			return usagef("%v", err)
		}
	}
	// Read the query file before opening the store: a missing file is the
	// user's error and should not cost an open.
	var lines []string
	if *queries != "" {
		f, err := os.Open(*queries)
		if err != nil {
			return wrapFile(opOpen, *queries, err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return wrapFile(opOpen, *queries, err)
		}
	}
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()

	build := func(text string) search.Query {
		q := search.ParseQuery(text)
		if k != "" {
			q.Kind = k
		}
		if *trash {
			q.Trash = search.TrashOnly
		}
		return q
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	if *queries != "" {
		counts := countAll(st.Index(), lines, build)
		for i, line := range lines {
			fmt.Fprintf(out, "%d\t%s\n", counts[i], line)
		}
		return nil
	}
	q := build(strings.Join(pos, " "))
	q.Limit = *limit
	if q.Limit < 0 {
		q.Limit = 50
		if *asJSON {
			q.Limit = 0
		}
	}
	if !*byTitle {
		q.Order = search.ByRelevance
	}
	res := st.Search(q)
	// The records: all of them for --json, else those whose match the
	// index could not explain (a city, a profession, …).
	var ids []string
	for _, h := range res.Hits {
		if *asJSON || h.Matched.Field == "" && h.Rank >= search.RankOtherName {
			ids = append(ids, h.ID)
		}
	}
	recs := map[string]data.Record{}
	if len(ids) > 0 {
		rs, err := st.Records(ids)
		if err != nil {
			return err
		}
		for _, r := range rs {
			recs[r.Base().ID] = r
		}
	}
	matched := func(h search.Hit) search.Match {
		if h.Rank < search.RankOtherName {
			return search.Match{}
		}
		return search.Explain(h, recs[h.ID], q.Text)
	}
	if *asJSON {
		items := make([]json.RawMessage, 0, len(res.Hits))
		for _, h := range res.Hits {
			r, ok := recs[h.ID]
			if !ok {
				continue
			}
			b, err := recordJSON(r, matched(h))
			if err != nil {
				return err
			}
			if a, ok := r.(*data.Activity); ok {
				if b, err = withParticipants(st, a, b); err != nil {
					return err
				}
			}
			items = append(items, b)
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	for _, h := range res.Hits {
		fmt.Fprintf(out, "%s\t%s\t%s", h.Kind, h.ID, h.Title)
		if m := matched(h); m.Field != "" {
			fmt.Fprintf(out, "\t%s", e.T("searchrank.matched", "field", e.T("field."+m.Field), "value", m.Value))
		}
		fmt.Fprintln(out)
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintln(out, e.T("cli.search.shown", "n", strconv.Itoa(len(res.Hits)), "total", strconv.Itoa(res.Total)))
	} else {
		fmt.Fprintln(out, e.T("cli.search.found", "n", strconv.Itoa(res.Total)))
	}
	return nil
}

// matchedJSON is search.Match as --json prints it.
type matchedJSON struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// recordJSON is a record as --json prints it: the record's own JSON, and
// "matched": {"field", "value"} when the search matched it by another field
// than its name.
func recordJSON(r data.Record, m search.Match) (json.RawMessage, error) {
	b, err := data.Encode(r)
	if err != nil || m.Field == "" {
		return b, err
	}
	extra, err := json.Marshal(struct {
		Matched matchedJSON `json:"matched"`
	}{matchedJSON{m.Field, m.Value}})
	if err != nil {
		return nil, err
	}
	return joinObjects(b, extra), nil
}

// participantsJSON is an activity's participants as --json prints them:
// how many have each status, and how many women and men attended.
type participantsJSON struct {
	Invited          int            `json:"invited"`
	Registered       int            `json:"registered"`
	Attended         int            `json:"attended"`
	Excused          int            `json:"excused"`
	Absent           int            `json:"absent"`
	Total            int            `json:"total"`
	AttendedByGender map[string]int `json:"attended_by_gender"`
}

// withParticipants adds "participants" to an activity's JSON object b.
func withParticipants(st *store.Store, a *data.Activity, b json.RawMessage) (json.RawMessage, error) {
	c, err := st.ParticipationCounts(a.ID)
	if err != nil {
		return nil, err
	}
	p := participantsJSON{Invited: c.ByStatus["invited"], Registered: c.ByStatus["registered"],
		Attended: c.ByStatus["attended"], Excused: c.ByStatus["excused"], Absent: c.ByStatus["absent"], Total: c.Total,
		AttendedByGender: map[string]int{"f": c.AttendedByGender["f"], "m": c.AttendedByGender["m"]}}
	extra, err := json.Marshal(struct {
		Participants participantsJSON `json:"participants"`
	}{p})
	if err != nil {
		return nil, err
	}
	return joinObjects(b, extra), nil
}

// joinObjects makes of the JSON objects {a…} and {b…} one, {a…,b…}.
func joinObjects(a, b []byte) []byte {
	a = bytes.TrimSpace(a)
	if len(a) < 2 || a[len(a)-1] != '}' {
		return a
	}
	if len(a) > 2 {
		a = append(a[:len(a)-1:len(a)-1], ',')
	} else {
		a = a[:1:1]
	}
	return append(a, b[1:]...)
}

// countAll counts the hits of every query, the queries shared out among the
// processors (the index takes concurrent readers); the counts come back in
// the order of the queries.
func countAll(ix *search.Index, lines []string, build func(string) search.Query) []int {
	counts := make([]int, len(lines))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(lines)/64))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				// Blocks of 16 queries: few atomic steps, and the workers
				// still finish together.
				lo := int(next.Add(16)) - 16
				if lo >= len(lines) {
					return
				}
				for i := lo; i < min(lo+16, len(lines)); i++ {
					counts[i] = ix.Count(build(lines[i]))
				}
			}
		})
	}
	wg.Wait()
	return counts
}
