package store

import (
	"io"
	"os"
)

// partialSuffix names the file WriteFileAtomically writes before renaming.
const partialSuffix = ".partial"

// WriteFileAtomically writes path through path+".partial": write fills the
// temporary file, which is then synced, closed and renamed over path. On
// any failure the temporary file is removed, so a failed write (a full
// disk, a crash) never leaves a file that looks whole and never harms the
// file that was there. Backups, bundles and the saved search index are
// written this way.
func WriteFileAtomically(path string, perm os.FileMode, write func(io.Writer) error) error {
	tmp := path + partialSuffix
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	// A .partial an old killed run left keeps its mode under O_TRUNC.
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
