package exchange

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
)

// The outreach log exports one row per recipient, newest run first, in the
// clerk's language, as .csv and .xlsx; read back, the rows are the runs.
func TestExportCommunications(t *testing.T) {
	st := memStore(t)
	amra := &data.Person{GivenName: "Amra", FamilyName: "Hodžić", BirthDate: data.NewDate(1980, 1, 2), Country: "AT"}
	gjon := &data.Person{GivenName: "Gjon", FamilyName: "Krasniqi", BirthDate: data.NewDate(1975, 4, 5), Country: "CH"}
	for _, p := range []*data.Person{amra, gjon} {
		if err := st.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	older := &data.Communication{Channel: "letter", Subject: "Pozivno pismo", Audience: "Dani dijaspore",
		Sent: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC), Recipients: []data.Delivery{{ID: amra.ID, Kind: data.KindPerson, Status: "printed"}}}
	newer := &data.Communication{Channel: "email", Subject: "Bilten", Audience: "Osobe",
		Sent: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Recipients: []data.Delivery{
			{ID: amra.ID, Kind: data.KindPerson, Address: "amra@example.at", Status: "sent"},
			{ID: gjon.ID, Kind: data.KindPerson, Address: "gjon@example.ch", Status: "failed", Reason: "550 5.1.1 unknown"}}}
	for _, c := range []*data.Communication{older, newer} {
		if err := st.Save(c); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	n, err := ExportCommunications(context.Background(), &buf, st, ExportOptions{Lang: i18n.BS, Format: FormatCSV})
	if err != nil || n != 3 {
		t.Fatalf("csv: %d rows, %v", n, err)
	}
	sh := readText(t, strings.TrimPrefix(buf.String(), "\ufeff"))
	if len(sh.Rows) != 3 {
		t.Fatalf("read back %d rows: %q", len(sh.Rows), buf.String())
	}
	want := [][]string{
		{"Bilten", "Amra Hodžić", "amra@example.at", data.ValueLabel(data.GroupDeliveryStatus, "sent", i18n.BS)},
		{"Bilten", "Gjon Krasniqi", "550 5.1.1 unknown", data.ValueLabel(data.GroupDeliveryStatus, "failed", i18n.BS)},
		{"Pozivno pismo", "Amra Hodžić", data.ValueLabel(data.GroupChannel, "letter", i18n.BS)},
	}
	for i, row := range sh.Rows {
		line := strings.Join(row.Cells, "|")
		for _, w := range want[i] {
			if !strings.Contains(line, w) {
				t.Errorf("row %d %q lacks %q", i+1, line, w)
			}
		}
	}
	if h := strings.Join(sh.Header, "|"); !strings.Contains(h, data.FieldLabel("recipient", i18n.BS)) || !strings.Contains(h, data.FieldLabel("result", i18n.BS)) {
		t.Errorf("headers %q", h)
	}
	buf.Reset()
	if n, err := ExportCommunications(context.Background(), &buf, st, ExportOptions{Lang: i18n.SQ}); err != nil || n != 3 {
		t.Fatalf("xlsx: %d, %v", n, err)
	}
	x, err := Read(bytes.NewReader(buf.Bytes()), "log.xlsx", ReadOptions{})
	if err != nil || len(x.Rows) != 3 {
		t.Fatalf("xlsx read back: %v %+v", err, x)
	}
}
