// Package data is the registry's model: the four kinds of record (person,
// business, organisation, locality), the fields every record carries, and the
// rules that make a record valid. It never imports Fyne, so the CLI, the
// reports and the tests build with CGO_ENABLED=0.
//
// Sub-packages each own one job and sit above the model:
//   - data/fold and data/script: script-, case- and diacritic-blind folding;
//   - data/search: the in-memory search index;
//   - data/store: the Badger store, its single write path, audit, trash,
//     erase, encryption and backup;
//   - data/exchange: spreadsheet import, export and templates;
//   - data/bundle: bundles between laptops, merge and conflicts;
//   - data/demo: deterministic demo records.
package data
