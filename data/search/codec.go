package search

import (
	"encoding/binary"
	"errors"

	"registar/data"
)

// DocFormat is the version of the binary doc encoding and of what DocOf
// puts into a doc. The store keeps encoded docs beside the records so that
// opening a registry builds the index without decoding every record; when
// DocFormat changes, the store rebuilds them from the records.
const DocFormat = 3 // 2: the hidden other-name facets of the ranking (rank.go); 3: has: and channel: (outreach)

// ErrBadDoc is returned by DecodeDoc for bytes EncodeDoc did not write.
var ErrBadDoc = errors.New("search: damaged doc")

// EncodeDoc writes a doc compactly: length-prefixed strings.
func EncodeDoc(d Doc) []byte {
	n := 16 + len(d.ID) + len(d.Kind) + len(d.Title)
	for _, t := range d.Text {
		n += len(t) + 2
	}
	for _, f := range d.Facets {
		n += len(f.Name) + len(f.Value) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, DocFormat)
	if d.Trashed {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	str(d.ID)
	str(string(d.Kind))
	str(d.Title)
	b = binary.AppendUvarint(b, uint64(len(d.Text)))
	for _, t := range d.Text {
		str(t)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Facets)))
	for _, f := range d.Facets {
		str(f.Name)
		str(f.Value)
	}
	return b
}

// DecodeDoc reads what EncodeDoc wrote.
func DecodeDoc(b []byte) (Doc, error) {
	var d Doc
	if len(b) < 2 || b[0] != DocFormat {
		return d, ErrBadDoc
	}
	d.Trashed = b[1] == 1
	b = b[2:]
	bad := false
	num := func() int {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > uint64(len(b)) {
			bad = true
			return 0
		}
		b = b[n:]
		return int(v)
	}
	str := func() string {
		l := num()
		if bad || l > len(b) {
			bad = true
			return ""
		}
		s := string(b[:l])
		b = b[l:]
		return s
	}
	d.ID = str()
	d.Kind = data.Kind(str())
	d.Title = str()
	if nt := num(); !bad && nt > 0 {
		d.Text = make([]string, nt)
		for i := range d.Text {
			d.Text[i] = str()
		}
	}
	if nf := num(); !bad && nf > 0 {
		d.Facets = make([]Facet, nf)
		for i := range d.Facets {
			d.Facets[i] = Facet{str(), str()}
		}
	}
	if bad || len(b) != 0 {
		return Doc{}, ErrBadDoc
	}
	return d, nil
}
