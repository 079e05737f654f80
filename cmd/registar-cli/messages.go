package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"registar/data/i18n"
)

// T is a message of the command in its language (see env.lang): the
// registry's, unless --lang or REGISTAR_LANG named another.
func (e *env) T(key string, args ...string) string { return i18n.T(e.lang, key, args...) }

// say prints one message line on stdout.
func (e *env) say(key string, args ...string) { fmt.Fprintln(e.stdout, e.T(key, args...)) }

// fileOp is what the command was doing to a file when it failed.
type fileOp string

const (
	opOpen    fileOp = "open"
	opWrite   fileOp = "write"
	opRestore fileOp = "restore"
)

// fileError is a file the command could not read or write. The OS's own
// text ("open x.partial: no such file or directory") names a temporary
// file and is English; this says which of the user's files, and why, in
// the user's language.
type fileError struct {
	op   fileOp
	path string
	err  error
}

// wrapFile ties err to the user's file; nil stays nil.
func wrapFile(op fileOp, path string, err error) error {
	if err == nil {
		return nil
	}
	return &fileError{op, path, err}
}

func (e *fileError) Unwrap() error { return e.err }

func (e *fileError) Error() string { return e.Message(i18n.EN) }

// Message is the sentence in language l.
func (e *fileError) Message(l i18n.Lang) string {
	return i18n.T(l, "cli.file."+string(e.op), "file", e.path, "reason", e.reason(l))
}

// reason says why, in l: the inner error's own sentence when it has one
// (a full disk naming its folder), a catalogue sentence for the common OS
// errors, else the OS's text without the path it repeats.
func (e *fileError) reason(l i18n.Lang) string {
	var t i18n.Translated
	if errors.As(e.err, &t) {
		return t.Message(l)
	}
	switch {
	case errors.Is(e.err, fs.ErrNotExist) && e.op == opWrite:
		return i18n.T(l, "cli.reason.no_folder")
	case errors.Is(e.err, fs.ErrNotExist):
		return i18n.T(l, "cli.reason.not_exist")
	case errors.Is(e.err, fs.ErrPermission):
		return i18n.T(l, "cli.reason.permission")
	case errors.Is(e.err, syscall.EISDIR):
		return i18n.T(l, "cli.reason.is_dir")
	case errors.Is(e.err, syscall.ENOSPC):
		return i18n.T(l, "cli.reason.disk_full")
	}
	var pe *fs.PathError
	if errors.As(e.err, &pe) {
		return pe.Err.Error()
	}
	return e.err.Error()
}
