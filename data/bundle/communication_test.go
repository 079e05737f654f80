package bundle

import (
	"testing"

	"registar/data"
	"registar/data/store"
)

// A communication (a run of e-mail, letters or labels) travels to the other
// laptop like any record, and an erasure there takes the erased person's
// delivery out of it on both laptops.
func TestCommunicationTravelsAndErasureFollows(t *testing.T) {
	var c clock
	office, field := laptop(t, &c, "office"), laptop(t, &c, "field")
	amra, besa := person("Amra", "Hodžić"), person("Besa", "Krasniqi")
	save(t, office, amra)
	save(t, office, besa)
	com := &data.Communication{Channel: "email", Subject: "Poziv na Dane dijaspore", Audience: "Osobe", Sent: c.now(),
		Recipients: []data.Delivery{
			{ID: amra.ID, Kind: data.KindPerson, Address: "amra@example.de", Status: "sent"},
			{ID: besa.ID, Kind: data.KindPerson, Address: "besa@example.de", Status: "failed", Reason: "550 5.1.1 unknown"},
		}}
	save(t, office, com)
	send(t, office, field)
	got := get(t, field, com.ID).(*data.Communication)
	if got.Subject != com.Subject || len(got.Recipients) != 2 || got.Recipients[1].Reason != "550 5.1.1 unknown" {
		t.Fatalf("on the field laptop: %+v", got)
	}
	if err := field.Erase(besa.ID); err != nil {
		t.Fatal(err)
	}
	send(t, field, office)
	for _, st := range []*store.Store{office, field} {
		c := get(t, st, com.ID).(*data.Communication)
		if _, ok := c.DeliveryTo(besa.ID); ok || len(c.Recipients) != 1 {
			t.Errorf("%s: after the erasure %+v", st.LaptopName(), c.Recipients)
		}
	}
}
