// Package exchange moves records between the registry and spreadsheets:
// import of .xlsx and .csv sheets with a preview, export of any list to
// .xlsx, and blank templates with drop-down lists for field volunteers.
//
// An import runs in steps a GUI can show one by one:
//
//	sh, err := exchange.Open(path, exchange.ReadOptions{})     // read the sheet
//	m, err := exchange.Recognise(sh, "")                       // which column is which field; kind guessed
//	m.Set(3, "phone")                                          // the user maps an unknown column
//	plan, err := exchange.Prepare(ctx, st, sh, m, opt)         // the preview: nothing is written
//	plan.Counts                                                // added, updated, duplicates, rejected
//	plan.WriteRejects(w)                                       // the rejected rows, with reasons
//	res, err := plan.Apply(ctx, st, progress)                  // one journaled, undoable step
//	st.Undo(ctx, res.Step)                                     // … if the user changes their mind
//
// Header recognition has one table (headers.go), documented in
// docs/import-headers.md; the duplicate rule is data.MatchKeys; field rules
// are data.Validate. Nothing here imports Fyne, and every exported function
// that reads a file from outside turns a panic into an error.
package exchange
