package reports

import (
	"context"

	"registar/data"
)

// Source is where publications read records from. *store.Store is one;
// Records wraps records in memory. Each calls fn for every record of the
// kind; records in the trash are skipped by the reports.
type Source interface {
	Each(k data.Kind, fn func(data.Record) error) error
}

// counter is what a Source may also offer so that progress can be exact
// (*store.Store has it).
type counter interface {
	Counts() map[data.Kind]int
}

// Records is a Source over records in memory.
type Records []data.Record

// Each calls fn for every record of the kind, in order.
func (rs Records) Each(k data.Kind, fn func(data.Record) error) error {
	for _, r := range rs {
		if r != nil && data.KindOf(r) == k {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Counts counts the records of each kind that are not in the trash.
func (rs Records) Counts() map[data.Kind]int {
	out := map[data.Kind]int{}
	for _, r := range rs {
		if r != nil && !r.Base().Trashed() {
			out[data.KindOf(r)]++
		}
	}
	return out
}

// reader walks a source kind by kind, skipping the trash, checking for
// cancellation and reporting progress.
type reader struct {
	ctx      context.Context
	src      Source
	progress func(done, total int)
	done     int
	total    int
}

func newReader(ctx context.Context, src Source, kinds []data.Kind, progress func(done, total int)) *reader {
	r := &reader{ctx: ctx, src: src, progress: progress}
	if c, ok := src.(counter); ok {
		counts := c.Counts()
		for _, k := range kinds {
			r.total += counts[k]
		}
	}
	return r
}

// each calls fn for every record of the kind that is not in the trash.
func (r *reader) each(k data.Kind, fn func(data.Record)) error {
	return r.src.Each(k, func(rec data.Record) error {
		if rec == nil || rec.Base().Trashed() {
			return nil
		}
		r.done++
		if r.done&1023 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			if r.progress != nil && r.total > 0 {
				r.progress(min(r.done, r.total), r.total)
			}
		}
		fn(rec)
		return nil
	})
}
