package store

import (
	"context"
	"errors"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

// LastStep finds the newest step of a kind still in effect: an import
// after a merge, the older import once the newer is undone, nothing once
// every import is undone.
func TestLastStep(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{User: "amra"})
	ctx := context.Background()
	if _, err := s.LastStep(StepImport); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("fresh registry: %v, want ErrNothingToUndo", err)
	}
	first, err := s.Apply(ctx, Step{Action: StepImport, Note: "cazin.xlsx"}, []data.Record{person("Amra", "Hodžić")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, Step{Action: StepDemo}, []data.Record{person("Demo", "Demić")}, nil); err != nil {
		t.Fatal(err)
	}
	second, err := s.Apply(ctx, Step{Action: StepImport, Note: "bihac.xlsx"}, []data.Record{person("Edin", "Kovač")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, Step{Action: StepDemo}, []data.Record{person("Demo", "Drugi")}, nil); err != nil {
		t.Fatal(err)
	}
	e, err := s.LastStep(StepImport)
	if err != nil || e.Key != second.Key || e.Note != "bihac.xlsx" || e.Action != string(StepImport) || e.Counts["created"] != 1 {
		t.Fatalf("last import: %+v, %v; want %s", e, err, second.Key)
	}
	if _, err := s.Undo(ctx, second.Key); err != nil {
		t.Fatal(err)
	}
	if e, err := s.LastStep(StepImport); err != nil || e.Key != first.Key {
		t.Fatalf("after undoing the newer: %+v, %v; want %s", e, err, first.Key)
	}
	if _, err := s.Undo(ctx, first.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LastStep(StepImport); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("all undone: %v", err)
	}
	if _, err := s.LastStep(StepMerge); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("no merge: %v", err)
	}
	if _, err := s.LastStep(StepDemo); err != nil {
		t.Fatalf("demo: %v", err)
	}
}

// Every error of the store has a sentence in every language, and one
// wrapped with a folder names the folder.
func TestErrorMessage(t *testing.T) {
	for _, e := range errorKeys {
		for _, l := range i18n.All {
			msg, ok := ErrorMessage(e.err, l)
			if !ok || msg == "" || msg == e.key {
				t.Errorf("%v in %s: %q", e.err, l, msg)
			}
		}
	}
	msg, ok := ErrorMessage(translate(errors.New("Cannot acquire directory lock on \"x\""), "/home/amra/registar"), i18n.BS)
	if !ok || msg != "Registar je već otvoren u drugom prozoru ili programu. Prvo ga tamo zatvorite. Fascikla: /home/amra/registar" {
		t.Errorf("locked: %q", msg)
	}
	if msg, ok := ErrorMessage(errors.New("something else"), i18n.BS); ok || msg != "something else" {
		t.Errorf("unknown: %q %v", msg, ok)
	}
	if msg, ok := ErrorMessage(ErrNothingToUndo, i18n.SR); !ok || msg != "За тај корак нема шта да се поништи: већ је поништен или такав корак не постоји." {
		t.Errorf("sr: %q", msg)
	}
}
