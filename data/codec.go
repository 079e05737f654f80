package data

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	gojson "github.com/goccy/go-json"
)

// Encode writes a record as the store keeps it: JSON with the kind and the
// schema version inside Meta, so Decode needs nothing else.
func Encode(r Record) ([]byte, error) {
	m := r.Base()
	m.Kind = KindOf(r)
	m.Schema = SchemaVersion
	return json.Marshal(r)
}

// Decode reads what Encode wrote, for a record of kind k, migrating older
// schema versions.
func Decode(k Kind, b []byte) (Record, error) {
	r, err := New(k)
	if err != nil {
		return nil, err
	}
	if err := gojson.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("decode %s: %w", k, err)
	}
	m := r.Base()
	if m.Schema > SchemaVersion {
		return nil, fmt.Errorf("decode %s %s: schema %d is newer than this program (%d)", k, m.ID, m.Schema, SchemaVersion)
	}
	// Schema 1 is the first; migrations from older versions go here.
	m.Schema = SchemaVersion
	m.Kind = k
	return r, nil
}

// DecodeMeta reads only the Meta of what Encode wrote (a merge looks up
// the versions of thousands of records and decodes the whole of few).
func DecodeMeta(b []byte, m *Meta) error { return gojson.Unmarshal(b, m) }

// Clone returns a deep copy of a record.
func Clone(r Record) Record {
	b, err := Encode(r)
	if err != nil {
		panic(fmt.Sprintf("clone: %v", err)) // every record type encodes
	}
	c, err := Decode(KindOf(r), b)
	if err != nil {
		panic(fmt.Sprintf("clone: %v", err))
	}
	return c
}

// FieldByJSON finds the struct field a record's JSON names name, at the top
// level (Meta's fields included): how exports, imports and the phone forms
// tie their columns and questions to the model's fields and rules.
func FieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	if t == nil {
		return reflect.StructField{}, false
	}
	for _, sf := range reflect.VisibleFields(t) {
		if sf.Anonymous || !sf.IsExported() {
			continue
		}
		if n, _, _ := strings.Cut(sf.Tag.Get("json"), ","); n == name {
			return sf, true
		}
	}
	return reflect.StructField{}, false
}
