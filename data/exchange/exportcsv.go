package exchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// exportCSV writes the records of one kind as a .csv for a mail merge or
// another program: UTF-8 with a byte-order mark (so Excel on Windows reads
// č, ć, đ and Cyrillic), the same headers and values as the .xlsx, dates
// written as the language writes them, and the separator Excel expects
// where the office is (";" in the region's locales, "," in English). Import
// reads it back to the same records.
func exportCSV(ctx context.Context, w io.Writer, st *store.Store, q search.Query, hits []search.Hit, conv *converter, opt ExportOptions) (int, error) {
	kind := q.Kind
	for _, h := range hits {
		if kind == "" {
			kind = h.Kind
		}
		if h.Kind != kind {
			return 0, ErrCSVOneKind
		}
	}
	if kind == "" {
		kind = data.KindPerson
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // what Windows programs write and expect
	if opt.Lang != i18n.EN {
		cw.Comma = ';'
	}
	fields := kindFields[kind]
	row := make([]string, len(fields))
	for i, fd := range fields {
		row[i] = fd.Label(conv.lang)
	}
	if err := cw.Write(row); err != nil {
		return 0, err
	}
	n := 0
	next, stop := fetcher(ctx, st, ids, func(done int) {
		if opt.Progress != nil {
			opt.Progress(done, len(ids))
		}
	})
	defer stop()
	err := eachFetched(next, func(r data.Record) error {
		for i, fd := range fields {
			row[i] = csvText(conv.cellValue(r, fd), conv.lang)
		}
		n++
		return cw.Write(row)
	})
	if err != nil {
		return n, err
	}
	if err := ctx.Err(); err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// csvText is a cell's value as text: a date as the language writes it
// (12.03.1985. where the office is, 1985-03-12 in English).
func csvText(v any, lang i18n.Lang) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case time.Time:
		if lang == i18n.EN {
			return v.Format("2006-01-02")
		}
		return v.Format("02.01.2006.")
	}
	return ""
}
