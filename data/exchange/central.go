package exchange

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path"
	"sort"
	"strings"
)

// An ODK Central export is a CSV (or the .zip Central downloads, holding
// <form>.csv, a CSV per repeat group and the media) with the columns
// SubmissionDate, then the questions with their group paths joined by "-"
// ("osobni_podaci-given_name", "meta-instanceID"), then KEY, SubmitterID,
// SubmitterName, AttachmentsPresent, AttachmentsExpected, Status,
// ReviewState, DeviceID, Edits and FormVersion. "Split select multiples"
// adds a 0/1 column per choice ("interests/invest").

var centralMeta = map[string]bool{
	"SubmissionDate": true, "KEY": true, "SubmitterID": true, "SubmitterName": true,
	"AttachmentsPresent": true, "AttachmentsExpected": true, "Status": true, "ReviewState": true,
	"DeviceID": true, "Edits": true, "FormVersion": true, "instanceID": true, "PARENT_KEY": true,
	"start": true, "end": true, "today": true, "deviceid": true, "username": true,
	"phonenumber": true, "simserial": true, "subscriberid": true, "audit": true,
}

func centralFlavour(formID string) *flavour {
	return &flavour{
		origin: OriginCentral,
		sep:    "-",
		meta: func(h string) bool {
			return centralMeta[h] || strings.HasPrefix(h, "meta-")
		},
		ids:     []string{"meta-instanceID", "KEY", "instanceID"},
		dates:   []string{"SubmissionDate", "end", "start"},
		version: "FormVersion",
		rejected: func(col func(string) string) bool {
			return strings.EqualFold(col("ReviewState"), "rejected")
		},
		formID: formID,
	}
}

// maxZipEntries bounds the entries of a Central .zip looked at: an export
// with its photos has a few per submission.
const maxZipEntries = 1 << 20

// readCentralZip reads the submissions table of the .zip ODK Central
// downloads. Nothing is unpacked to disk, so a name like ../../x cannot
// write anywhere; the table is read only up to MaxFileSize, whatever size
// the zip declares (Go's zip reader also refuses an entry that unpacks to
// more than it declared).
func readCentralZip(b []byte, name string, opt ReadOptions) (*Sheet, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, ErrDamaged
	}
	if len(zr.File) > maxZipEntries {
		return nil, ErrTooLarge
	}
	// The submissions table is a .csv at the top; repeat groups' tables
	// are named after it (<form>-<repeat>.csv), so it is the shortest.
	var tables []*zip.File
	for _, f := range zr.File {
		n := f.Name
		if strings.ContainsAny(n, `/\`) || !strings.EqualFold(path.Ext(n), ".csv") || f.FileInfo().IsDir() {
			continue
		}
		tables = append(tables, f)
	}
	if len(tables) == 0 {
		return nil, &SourceError{key: keyZipNoTable, origin: OriginCentral}
	}
	sort.SliceStable(tables, func(i, j int) bool { return len(tables[i].Name) < len(tables[j].Name) })
	for _, f := range tables {
		if f.UncompressedSize64 > MaxFileSize {
			return nil, ErrTooLarge
		}
		rc, err := f.Open()
		if err != nil {
			return nil, ErrDamaged
		}
		csvBytes, err := io.ReadAll(io.LimitReader(rc, MaxFileSize+1))
		rc.Close()
		if err != nil {
			if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
				return nil, ErrDamaged
			}
			return nil, err
		}
		if len(csvBytes) > MaxFileSize {
			return nil, ErrTooLarge
		}
		first, delim, ok := firstCSVRecord(csvBytes)
		if !ok || !isMainTable(first) {
			continue
		}
		fl := flavourOf(first)
		if fl == nil || fl.origin != OriginCentral {
			continue
		}
		fl.formID = formIDOfFile(f.Name)
		rows, err := csvRows(csvBytes, delim, opt.MaxRows+1)
		if err != nil {
			return nil, err
		}
		return fl.sheet(&Sheet{Format: FormatCSV, Delimiter: delim}, rows, name)
	}
	return nil, &SourceError{key: keyZipNoTable, origin: OriginCentral}
}

// formIDOfFile is the form ID Central named a CSV after, when it is a
// Registar form's.
func formIDOfFile(name string) string {
	id := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if KindOfForm(id) == "" {
		return ""
	}
	return id
}
