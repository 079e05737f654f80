package main

import (
	"fmt"

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
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", pos[0])
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
		return fmt.Errorf("restore from %s: %w", pos[0], err)
	}
	fmt.Fprintf(e.stdout, "registry restored from %s\n", pos[0])
	if previous != "" {
		fmt.Fprintf(e.stdout, "the registry that was there is kept in %s\n", previous)
	}
	return nil
}
