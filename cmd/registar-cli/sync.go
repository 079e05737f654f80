package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"registar/data/bundle"
	"registar/data/i18n"
	"registar/data/store"
	datasync "registar/data/sync"
)

func init() {
	register(command{
		name:  "sync",
		usage: "--folder DIR [--watch] [--every 2m] [--compact] [--passphrase-env NAME]",
		summary: "write this laptop's changes into a sync folder and merge the other laptops' files\n" +
			"            (an encrypted registry seals its files with its passphrase, or with --passphrase-env NAME);\n" +
			"            --compact, on the office laptop: then write one file of everything and remove the old ones",
		run: runSync,
	})
}

func runSync(e *env, args []string) error {
	fs := e.flags("sync")
	folder := fs.String("folder", "", "the sync folder shared by the laptops (Syncthing, OneDrive, a network share)")
	watch := fs.Bool("watch", false, "sync again on a timer until interrupted")
	every := fs.Duration("every", 2*time.Minute, "how often to sync with --watch")
	passEnv := fs.String("passphrase-env", "", "name of the environment variable holding the office passphrase for the files")
	compact := fs.Bool("compact", false, "after the round, write one file of everything this registry holds and remove the files merged (on the office laptop)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *folder == "" {
		return usagef("give the sync folder with --folder DIR")
	}
	if *compact && *watch {
		return usagef("--compact runs once: give it without --watch")
	}
	if *every <= 0 {
		return usagef("--every %v: give a positive duration, e.g. 2m", *every)
	}
	dir, err := e.dir()
	if err != nil {
		return err
	}
	pass, err := e.passphrase(dir)
	if err != nil {
		return err
	}
	st, err := store.Open(dir, store.Options{Passphrase: pass, Lang: e.lang})
	if err != nil {
		return err
	}
	defer st.Close()
	f := datasync.New(st, *folder)
	if st.Encrypted() {
		f.Passphrase = pass
	}
	if *passEnv != "" {
		if f.Passphrase = e.getenv(*passEnv); f.Passphrase == "" {
			return fmt.Errorf("--passphrase-env %s: the variable %s is empty or not set", *passEnv, *passEnv)
		}
	}
	if *compact {
		return syncCompact(e, f)
	}
	if !*watch {
		return syncRound(e, f, context.Background())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "sync.watch", "folder", *folder, "every", every.String()))
	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "sync.round", "time", time.Now().Format("15:04:05")))
		if err := syncRound(e, f, ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// A folder that went away (a share disconnected) may come back.
			if !errors.Is(err, datasync.ErrNoFolder) {
				return err
			}
			fmt.Fprintln(e.stderr, "registar-cli: "+oneLine(syncMessage(err, e.lang)))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// syncRound runs one round and prints its summary.
func syncRound(e *env, f *datasync.Folder, ctx context.Context) error {
	sum, err := f.Round(ctx)
	for _, line := range sum.Lines(e.lang, time.Now()) {
		fmt.Fprintln(e.stdout, line)
	}
	if err != nil {
		return errors.New(syncMessage(err, e.lang))
	}
	return nil
}

// syncCompact runs a round and compacts the folder, and prints what it did.
func syncCompact(e *env, f *datasync.Folder) error {
	c, err := f.Compact(context.Background())
	for _, line := range c.Lines(e.lang, time.Now()) {
		fmt.Fprintln(e.stdout, line)
	}
	if err != nil {
		return errors.New(syncMessage(err, e.lang))
	}
	return nil
}

// syncMessage is a round's error in the user's language.
func syncMessage(err error, l i18n.Lang) string {
	var se *datasync.Error
	if errors.As(err, &se) {
		if full, inner := err.Error(), se.Error(); full != inner && len(full) > len(inner) {
			return full[:len(full)-len(inner)] + se.Message(l)
		}
		return se.Message(l)
	}
	return bundle.Message(err, l)
}
