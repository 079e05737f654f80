// Package sync keeps several laptops' registries in step through a shared
// folder that a file-sync engine (Syncthing, Nextcloud, OneDrive, a network
// share, a USB stick) carries between them. Registar runs no server: the
// engine moves files, this package writes and merges them.
//
// # The folder
//
//	DIR/<laptop-id>/<sequence>.registar
//
// Each laptop writes only into its own subfolder, and each file once: a
// Folder's Round writes this laptop's changes since its last file as one
// bundle (data/bundle) under a temporary name, renames it to the next
// sequence number and never touches it again. No engine ever sees two
// writers on one file, so none of them makes conflict copies of ours.
//
// A Round then merges every other laptop's files it has not merged yet, in
// sequence order per laptop. Which sequences were merged is kept in the
// registry's settings (sync_merged) as ranges, so files may arrive in any
// order, late, twice or never (a gap is merged when it turns up; a deleted
// file is simply not there). Merging is idempotent anyway: the ranges only
// save work. A file that does not read whole (still arriving, damaged) is
// skipped with a reason and tried again next round; the engines' partial
// and conflict files (.syncthing.*.tmp, ~syncthing~*, *.sync-conflict-*,
// "(conflicted copy)", ~$*, *.partial) and anything else whose name is not
// exactly <digits>.registar are never read. Conflicts go where every merge
// puts them: the Bundles screen's pending conflicts.
//
// # What a laptop writes
//
// Its first file carries the whole registry, so a laptop that joins later
// catches up from the folder. Later files carry the records written since
// the previous file that this laptop had a hand in (its ID in the record's
// version vector), the records they link to, and the erasures. Records a
// merge brought in unchanged are left out: their own laptop's file carries
// them, and echoing them back would double the folder for nothing. A round
// with nothing new writes nothing and changes nothing in the registry,
// except that a laptop silent for KeepAlive writes an empty bundle, so the
// others can tell "nothing to say" from "not heard from".
//
// # Compaction
//
// The folder grows by a file per laptop and change. Folder.Compact (run by
// the office laptop: registar-cli sync --compact) merges what has arrived,
// writes one file of everything its registry holds (records and erasures),
// then removes the files it has merged, keeping each other laptop's newest
// file merged, so that sequence numbers go on and a laptop that joins later
// learns when each was last heard from, and every file it has not merged:
// it may have arrived since. A laptop that joins later catches up from the
// file of everything and the few left.
//
// # Erased for good, in the folder too
//
// After an erase, made here or merged from a tombstone, a round looks for
// the erased IDs in every file of the folder it can read, and writes the
// rest of each file that holds one, once it has merged that file, as a new
// file of its own before removing the old one (purge.go). The engines'
// partial and conflict copies of our files go once they are known to hold
// nothing this registry has not merged.
//
// An encrypted registry never writes a bundle in clear text: its files are
// sealed with the office passphrase (Folder.Passphrase) and others' are
// opened with it.
package sync
