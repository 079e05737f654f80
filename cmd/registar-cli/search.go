package main

import (
	"bufio"
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
)

func init() {
	register(command{
		name:    "search",
		usage:   "QUERY [--kind K] [--limit N] [--json] | --queries FILE",
		summary: "find records, blind to script, case and diacritics (filters: country:DE city:… interest:invest consent:publish tag:…)",
		run:     runSearch,
	})
}

func runSearch(e *env, args []string) error {
	fs := e.flags("search")
	kind := fs.String("kind", "", "person, business, organisation or locality")
	asJSON := fs.Bool("json", false, "print the records as a JSON array")
	limit := fs.Int("limit", 50, "most hits to print (0: all)")
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
	res := st.Search(q)
	if *asJSON {
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		recs, err := st.Records(ids)
		if err != nil {
			return err
		}
		items := make([]json.RawMessage, 0, len(recs))
		for _, r := range recs {
			b, err := data.Encode(r)
			if err != nil {
				return err
			}
			items = append(items, b)
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	for _, h := range res.Hits {
		fmt.Fprintf(out, "%s\t%s\t%s\n", h.Kind, h.ID, h.Title)
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintln(out, e.T("cli.search.shown", "n", strconv.Itoa(len(res.Hits)), "total", strconv.Itoa(res.Total)))
	} else {
		fmt.Fprintln(out, e.T("cli.search.found", "n", strconv.Itoa(res.Total)))
	}
	return nil
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
