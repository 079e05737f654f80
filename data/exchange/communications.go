package exchange

import (
	"context"
	"io"
	"slices"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// communicationFields are the columns of the outreach log's export: one row
// per recipient of each communication.
var communicationFields = []Field{
	{Name: "sent", typ: typeDate},
	{Name: "channel", typ: typeCode, group: data.GroupChannel},
	{Name: "subject"},
	{Name: "audience"},
	{Name: "created_by"},
	{Name: "recipient"},
	{Name: "recipient_kind"},
	{Name: "address"},
	{Name: "result", typ: typeCode, group: data.GroupDeliveryStatus},
	{Name: "reason"},
}

// ExportCommunications writes the outreach log (every communication, newest
// first) with one row per recipient: when, by which channel, what, to whom
// and what became of it. Recipients erased since are no longer in it.
func ExportCommunications(ctx context.Context, w io.Writer, st *store.Store, opt ExportOptions) (n int, err error) {
	defer guard(&err)
	if st == nil {
		return 0, ErrNoStore
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	var coms []*data.Communication
	if err := st.Each(data.KindCommunication, func(r data.Record) error {
		if c := r.(*data.Communication); !c.Trashed() {
			coms = append(coms, c)
		}
		return nil
	}); err != nil {
		return 0, err
	}
	slices.SortStableFunc(coms, func(a, b *data.Communication) int { return b.Sent.Compare(a.Sent) })
	names := map[string]string{}
	for _, c := range coms {
		for _, d := range c.Recipients {
			names[d.ID] = ""
		}
	}
	if err := fillTitles(st, names); err != nil {
		return 0, err
	}
	var rows [][]any
	for _, c := range coms {
		for _, d := range c.Recipients {
			rows = append(rows, []any{
				c.Sent.Local(), data.ValueLabel(data.GroupChannel, c.Channel, opt.Lang), nilIfEmpty(c.Subject), nilIfEmpty(c.Audience),
				nilIfEmpty(c.CreatedBy), nilIfEmpty(names[d.ID]), i18n.T(opt.Lang, "kind."+string(d.Kind)),
				nilIfEmpty(d.Address), data.ValueLabel(data.GroupDeliveryStatus, d.Status, opt.Lang), nilIfEmpty(d.Reason),
			})
		}
	}
	return writeTable(ctx, w, data.KindCommunication, communicationFields, rows, opt)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
