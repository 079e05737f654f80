// Package store keeps the registry in an embedded Badger database in one
// folder on the laptop: no server.
//
// Layout of keys (one prefix per job, one per kind of record):
//
//	r/<kind>/<id>          the record, JSON with its schema version (data.Encode)
//	a/<nanos>              audit entry: who, when, what changed (JSON)
//	h/<id>/<nanos>         pointer from a record to its audit entries (history)
//	j/<op>                 journal of a multi-record step in progress (see Apply)
//	u/<op>                 undo data of a finished multi-record step
//	s/<name>               settings kept with the data (office, laptop ID, …)
//	e/<id>                 tombstone of an erased record (kind and time only)
//	c/<id>                 versions of a record set aside by a merge conflict
//	s/index-snapshot       marker: which saved search index file is valid
//	x/<gen>/<n>            the search index as older versions saved it (deleted
//	                       at the next save; see snapshot.go)
//
// Beside the Badger files the folder holds registar.json (format version,
// encryption salt and check), laptop.json (this laptop's identity for
// bundles; a copied folder notices it and takes a new identity) and
// index-<gen>.snapshot, the search index saved at close and memory-mapped
// at open (snapshot.go).
//
// Every change goes through one write path (put) that validates, bumps the
// version, updates the search index and appends an audit entry in the same
// transaction. A session opened with Options.ReadOnly refuses every write
// (ErrReadOnly) and, where Badger can, opens its files read-only. Badger's errors never leave the package: callers see the
// sentinel errors in errors.go, whose messages a clerk can read.
package store
