// Package bundle carries changes between laptops that share one registry
// without a network: a laptop exports a bundle file (to a USB stick), another
// merges it.
//
// # What a bundle holds
//
// Every record changed since a moment, or since the last bundle made for a
// given laptop (kept per laptop in the settings), trashed ones included,
// plus the records they link to so that links can be checked; the
// tombstones of records erased (ID, kind, time: never personal data); the
// exporting laptop's ID and name, the time and a format version. The file
// (see file.go) is checksummed with SHA-256 and, with a passphrase, sealed
// with AES-256-GCM under a key derived with Argon2id, like a backup.
//
// # How a merge decides
//
// Each record carries a version vector (data.Meta.VV, kept by the store): for
// each laptop, how many versions of the record it wrote. For a record of the
// bundle (theirs) against the registry's (ours):
//
//	no record here            added
//	erased here               ignored: an erase wins over any edit
//	same vector               nothing
//	ours descends from theirs nothing: ours is newer
//	theirs descends from ours updated
//	both changed since        a conflict: ours stays, theirs is set aside
//	                          (store key c/<id>) until someone picks one or
//	                          takes fields from each (ResolveConflict)
//
// Two versions changed on both sides to the same content (the same fix made
// on two laptops) are not a conflict: they are joined into one version whose
// vector covers both, the same on every laptop. Nor are two versions of a
// participation (one participant of one activity): they are joined to the
// further status, the newer role and note (participation.go), so that two
// laptops checking people in at one event never conflict. A tombstone in the bundle
// erases the record here too, and is reported.
//
// The merge writes everything as one journaled step of the store (one audit
// entry with the counts, all or nothing, undoable with Store.Undo); the
// erasures follow it, each with its own audit entry like any erase (an erase
// cannot be undone by design). Nothing is lost: the version a merge replaces
// stays in the record's history, and so does every version a resolution
// does not keep (Store.PastVersions).
//
// # Duplicates across laptops
//
// Two volunteers may register the same person under different IDs. A merge
// reports every record it adds that matches a record already here by the
// import's rule (data.MatchKeys); MergeDuplicates then makes one record of the
// two: the record kept gets the chosen fields (by default its own, with the
// other's filling what it lacks), every link to the other (business owners,
// organisation members and umbrella, home locality) moves to it, and the other
// goes to the trash, not erased: its data stays recoverable, and a laptop
// that still edits it produces a conflict rather than a silent loss.
//
// Bundles are idempotent: merging one twice, or bundles in any order,
// gives the same registry once every bundle has been merged everywhere and
// the conflicts resolved alike.
package bundle
