package exchange

import (
	"errors"
	"fmt"
	"runtime/debug"

	"registar/data"
)

// Errors a caller may test with errors.Is. Their texts are meant for people.
var (
	ErrUnknownFormat = errors.New("the file is neither an .xlsx workbook nor a .csv file")
	ErrDamaged       = errors.New("the spreadsheet is damaged or not a real .xlsx file")
	ErrTooLarge      = errors.New("the spreadsheet is too large to import")
	ErrNoHeader      = errors.New("the sheet is empty: no header row was found")
	ErrNoSheet       = errors.New("the workbook has no such sheet")
	ErrUnknownKind   = errors.New("cannot tell from the headers whether the sheet lists persons, businesses or organisations: choose the kind")
	ErrNoStore       = errors.New("no registry to import into")
	ErrApplied       = errors.New("this import has already been written")
	ErrCSVOneKind    = errors.New("a .csv file holds one kind of record: choose persons, businesses, organisations or local communities (or export to .xlsx, one sheet per kind)")
)

// FieldNameError is a mapping to a field the kind does not have.
type FieldNameError struct {
	Kind  data.Kind
	Field string
}

func (e *FieldNameError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("cannot import records of kind %q", e.Kind)
	}
	return fmt.Sprintf("a %s has no field %q", e.Kind, e.Field)
}

// ColumnError is a user mapping that names a header the sheet lacks.
type ColumnError struct{ Header string }

func (e *ColumnError) Error() string { return fmt.Sprintf("the sheet has no column %q", e.Header) }

// PanicError is what a panic inside the importer or a library it calls
// becomes: the file is refused, the program goes on.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%v (internal error: %v)", ErrDamaged, e.Value)
}

// Unwrap makes errors.Is(err, ErrDamaged) hold.
func (e *PanicError) Unwrap() error { return ErrDamaged }

// guard turns a panic into a *PanicError in *err. Every exported function
// that touches a file from outside defers it: a crafted workbook must never
// take the app down.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = &PanicError{Value: r, Stack: debug.Stack()}
	}
}
