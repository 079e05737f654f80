package exchange_test

import (
	"context"
	"fmt"
	"io"
	"strings"

	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/store"
)

// The steps an import screen takes: read, map, preview, save the rejects,
// write as one step, undo.
func Example() {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	sheet := "Emri;Mbiemri;Data e lindjes;Shteti;Gjinia;Hobi\n" +
		"Arbër;Krasniqi;12.03.1985.;Gjermani;M;shah\n" +
		"ARBER;krasniqi;1985-03-12;DE;м;\n" +
		"Drita;;01.01.1990;Zvicra;F;\n"
	sh, err := exchange.Read(strings.NewReader(sheet), "terreni.csv", exchange.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := exchange.Recognise(sh, "") // the kind is guessed: persons
	fmt.Println(m.Kind, "unknown:", m.Unknown()[0].Header)
	_ = m.SetHeaders(map[string]string{"Hobi": "notes"}) // the user maps it

	ctx := context.Background()
	plan, _ := exchange.Prepare(ctx, st, sh, m, exchange.Options{Lang: i18n.SQ})
	fmt.Printf("%+v\n", plan.Counts)
	for _, r := range plan.Rows {
		fmt.Println(r.Row, r.Action, r.Reasons)
	}
	_, _ = plan.WriteRejects(io.Discard) // the "save rejected rows" button

	res, _ := plan.Apply(ctx, st, func(done, total int) {})
	fmt.Println(st.Counts()["person"], "person")
	_, _ = st.Undo(ctx, res.Step)
	fmt.Println(st.Counts()["person"], "after undo")
	// Output:
	// person unknown: Hobi
	// {Rows:3 Added:1 Updated:0 Unchanged:0 Duplicates:1 Rejected:1 AlreadyImported:0 NewLocalities:0}
	// 2 add []
	// 3 duplicate [I njëjtë me rreshtin 2 të këtij skedari.]
	// 4 reject [Fusha „Mbiemri” është e detyrueshme.]
	// 1 person
	// 0 after undo
}
