// Package search is the registry's in-memory search index: it finds records
// by the prefixes of their words in whatever script, case or diacritics the
// user types, filters them by facets (country, city, interest, consent, …),
// counts them for statistics, and pages through them in title order. The
// store keeps it current: DocOf on every save, Put or Remove. At open it
// answers from the snapshot file written at the last close; when there is
// none (after a restore, a format change, damage) a DumpBuilder streams the
// records into a new one in bounded batches (stream.go). An in-memory
// store, which has no file, builds with PutAll.
//
// # Why an index
//
// A linear scan over 100,000 persons folds or at least compares some two
// million words per query: milliseconds to tens of milliseconds, and a
// search bar that queries on every key stroke, or a statistics page that
// counts twenty ways, feels it. The index does the folding once, when a doc
// is put, and answers a query in tens of microseconds, touching only the docs
// that contain the words typed.
//
// # How
//
// Folding is fold.Words: "Đorđe", "Djordje", "Dorde" and "Ђорђе" are all the
// word "dorde". Every doc gets a dense number (reused after Remove, so that
// bitsets over doc numbers stay small) and a list of term ids. A term is a
// folded word, or a facet ("\x01country\x00DE"), the kind, or the trash
// flag: facets live in the same dictionary behind a control byte no folded
// word starts with. Each term has a postings list, the sorted numbers of the
// docs that have it.
//
// The dictionary is kept sorted, so the terms starting with a query word are
// one binary-searched range: "petr" covers petrovic (which Petrović and
// Петровић both fold to), petrovac and petar. A query is a set
// of conditions, one per word (any term of its range) and one per facet name
// (any of its values). They are taken smallest first: the first becomes the
// candidates (a postings list as it is, a few lists merged, or a bitset when
// dense); each further condition narrows them by merging or galloping
// through sorted lists, by testing bits, or, when the candidates are few and
// the condition's postings many, by looking at the candidates' own terms.
// Total is exact. Hits are in folded-title order: a short page of few matches
// is picked with a small heap; many matches walk the docs in title order
// (kept sorted on every Put) and stop when the page is full. With
// Query.Order ByRelevance the matches are ranked instead, best match first
// (a whole word of the name, the start of one, another name, any other
// field; see rank.go), title order within a rank. FacetCounts
// intersects each value's postings with the matches, so statistics by
// country or gender cost about one pass over those postings.
//
// PutAll (and DumpBuilder, a batch at a time) folds on every core with per-worker dictionaries
// and caches (names, cities and professions repeat), merges the sorted
// dictionaries, and builds all postings in one pass into one backing array;
// Put then keeps everything current one doc at a time, touching only the
// postings of the terms that changed.
//
// The index is safe for concurrent use: searches share a read lock and their
// own reusable scratch buffers; writes take the write lock.
package search
