package main

import (
	"registar/data/store"
)

func init() {
	register(command{
		name:    "backup",
		usage:   "OUT",
		summary: "write the whole registry to one file (encrypted if the registry is)",
		run:     runBackup,
	})
	register(command{
		name:    "restore",
		usage:   "IN",
		summary: "replace the registry with a backup; the old one is kept beside it",
		run:     runRestore,
	})
}

func runBackup(e *env, args []string) error {
	pos, err := parse(e.flags("backup"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one output file")
	}
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.BackupFile(pos[0]); err != nil {
		return wrapFile(opWrite, pos[0], err)
	}
	e.say("cli.backup.written", "file", pos[0])
	return nil
}

func runRestore(e *env, args []string) error {
	pos, err := parse(e.flags("restore"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one backup file")
	}
	dir, err := e.dir()
	if err != nil {
		return err
	}
	// Restore refuses while any program has the registry open (a reading
	// command too), and a restore killed half-way is finished by the next
	// command that opens the registry.
	previous, err := store.RestoreFile(dir, pos[0], store.Options{Passphrase: e.getenv("REGISTAR_PASSPHRASE"), Lang: e.lang})
	if err != nil {
		return wrapFile(opRestore, pos[0], err)
	}
	e.restoredLang()
	e.say("cli.restore.done", "file", pos[0])
	if previous != "" {
		e.say("cli.restore.previous", "folder", previous)
	}
	return nil
}

// restoredLang speaks in the language of the registry just restored, when
// the user named none. It opens the registry once for reading; after a
// restore that open rebuilds the search index, which the next command
// would otherwise do, so it costs the office nothing.
func (e *env) restoredLang() {
	if e.langChosen {
		return
	}
	// Never ask for a passphrase only to choose the language of a message.
	if dir, err := e.dir(); err != nil || (store.IsEncrypted(dir) && e.getenv("REGISTAR_PASSPHRASE") == "") {
		return
	}
	if st, err := e.openForReading(); err == nil {
		st.Close()
	}
}
