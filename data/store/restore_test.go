package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
)

// restoreFixture makes a registry holding Amir, a backup of it, and then
// adds Emina: the registry before the restore holds two persons, the
// restored one holds one.
func restoreFixture(t *testing.T) (dir, backup string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "registar")
	s := openTest(t, dir, Options{})
	if err := s.Save(person("Amir", "Hodžić")); err != nil {
		t.Fatal(err)
	}
	backup = filepath.Join(t.TempDir(), "registar.backup")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(person("Emina", "Mujkić")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, backup
}

func personsIn(t *testing.T, dir string) int {
	t.Helper()
	s, err := Open(dir, Options{kdfMemoryKiB: 1024})
	if err != nil {
		t.Fatalf("open after the restore: %v", err)
	}
	defer s.Close()
	return s.Counts()[data.KindPerson]
}

// A restore killed at any point leaves, at the next open, either the
// registry that was there or the restored one: never no registry, and
// never a new empty one (what a kill between the two renames gave).
func TestRestoreKilledAtEachPointOpensWhole(t *testing.T) {
	cases := []struct {
		point string
		want  int // persons after the next open: 2 the old registry, 1 the restored
	}{
		{"loaded", 2},  // backup read into .restoring, no marker yet
		{"marked", 1},  // marker written, nothing renamed
		{"aside", 1},   // registry renamed aside, restored copy not yet in place
		{"swapped", 1}, // both renamed, marker not yet removed
	}
	for _, c := range cases {
		t.Run(c.point, func(t *testing.T) {
			dir, backup := restoreFixture(t)
			restoreKillPoint = c.point
			_, err := RestoreFile(dir, backup, Options{})
			restoreKillPoint = ""
			if !errors.Is(err, errRestoreKilled) {
				t.Fatalf("the restore was not stopped at %s: %v", c.point, err)
			}
			if c.point == "aside" {
				if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("the kill did not land between the renames: %v", err)
				}
			}
			if got := personsIn(t, dir); got != c.want {
				t.Fatalf("persons after a kill at %s: %d, want %d", c.point, got, c.want)
			}
			if c.want == 1 {
				if _, err := os.Stat(restoreMarkerPath(dir)); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("the marker is still there: %v", err)
				}
				if _, err := os.Stat(dir + restoringSuffix); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("the restored copy is still beside the registry: %v", err)
				}
				prev, _ := filepath.Glob(dir + ".before-restore-*")
				if len(prev) != 1 || !IsStore(prev[0]) {
					t.Fatalf("the registry that was there is not kept: %v", prev)
				}
			}
			// A restore after the kill works and finds the folder tidy.
			if _, err := RestoreFile(dir, backup, Options{}); err != nil {
				t.Fatalf("restore after the kill: %v", err)
			}
			if got := personsIn(t, dir); got != 1 {
				t.Fatalf("persons after restoring again: %d", got)
			}
		})
	}
}

// A restore killed after creating its marker and before writing it had
// moved nothing: the registry stays and the half-made copy goes.
func TestRestoreKilledWritingItsMarkerKeepsTheRegistry(t *testing.T) {
	dir, _ := restoreFixture(t)
	os.MkdirAll(dir+restoringSuffix, 0o700)
	if err := os.WriteFile(restoreMarkerPath(dir), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := personsIn(t, dir); got != 2 {
		t.Fatalf("persons: %d", got)
	}
	for _, p := range []string{restoreMarkerPath(dir), dir + restoringSuffix} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s left behind: %v", p, err)
		}
	}
}

// While a restore runs (its marker locked), Open refuses instead of
// finishing it under the restore's feet or creating an empty registry.
func TestOpenDuringARestoreIsRefused(t *testing.T) {
	dir, backup := restoreFixture(t)
	restoreKillPoint = "aside"
	_, err := RestoreFile(dir, backup, Options{})
	restoreKillPoint = ""
	if !errors.Is(err, errRestoreKilled) {
		t.Fatal(err)
	}
	// Hold the marker as the running restore would.
	f, err := os.Open(restoreMarkerPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := lockFile(f); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("open during a restore: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("an open during a restore created a registry")
	}
	f.Close()
	if got := personsIn(t, dir); got != 1 {
		t.Fatalf("persons once the restore's holder is gone: %d", got)
	}
}

// Restoring onto a registry another program has open is refused with a
// clear message, for a reading command (which holds Badger's lock shared
// and leaves no LOCK file) as for a writing one; the registry is untouched.
func TestRestoreOntoAnOpenRegistryIsRefused(t *testing.T) {
	for _, readOnly := range []bool{true, false} {
		name := "reading"
		if !readOnly {
			name = "writing"
		}
		t.Run(name, func(t *testing.T) {
			dir, backup := restoreFixture(t)
			s, err := Open(dir, Options{ReadOnly: readOnly})
			if err != nil {
				t.Fatal(err)
			}
			_, err = RestoreFile(dir, backup, Options{})
			if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "already open") || !strings.Contains(err.Error(), dir) {
				t.Fatalf("restore onto an open registry: %v", err)
			}
			if got := s.Counts()[data.KindPerson]; got != 2 {
				t.Fatalf("the open registry changed: %d persons", got)
			}
			s.Close()
			for _, p := range []string{restoreMarkerPath(dir), dir + restoringSuffix} {
				if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("%s left behind: %v", p, err)
				}
			}
			if got := personsIn(t, dir); got != 2 {
				t.Fatalf("persons: %d", got)
			}
		})
	}
}

// A backup that fails on a full disk names the disk it was written to,
// not the registry's folder.
func TestBackupToAFullDiskNamesTheTarget(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	dir := filepath.Join(t.TempDir(), "registar")
	s := openTest(t, dir, Options{})
	if err := s.Save(person("Amir", "Hodžić")); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, backup := range map[string]func() error{
		"Backup":     func() error { return s.Backup(f) },
		"BackupFile": func() error { return s.BackupFile("/dev/full") },
	} {
		err := backup()
		var full *DiskFullError
		if !errors.Is(err, ErrDiskFull) || !errors.As(err, &full) {
			t.Fatalf("%s: %v", name, err)
		}
		if full.Folder != "/dev" || strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "/dev") {
			t.Fatalf("%s names %q: %v", name, full.Folder, err)
		}
	}
}
