package bundle

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"registar/data"
	"registar/data/store"
)

// A bundle file is:
//
//	"REGISTAR BUNDLE 1\n"                 the format version is in the first line
//	one line of JSON: Info (laptop, time, counts, Argon2id salt if sealed)
//	the content as a sealed stream (store.SealWriter): frames, AES-256-GCM
//	        with a passphrase, an end frame with the SHA-256 of the first
//	        two lines and the content, so a truncated or altered file is refused
//
// The content is gzip of lines: one per record, its kind, a tab and the
// record's JSON (data.Encode), then one per tombstone, "tomb", a tab and
// {"id":…,"kind":…,"time":…}.

// Format is the bundle format this program writes and reads.
const Format = 1

const magic = "REGISTAR BUNDLE "

// Info is what a bundle says about itself; ReadInfo gives it without a
// passphrase, to show before merging.
type Info struct {
	Format     int       `json:"format"`
	Laptop     string    `json:"laptop"`      // the exporting laptop's ID
	LaptopName string    `json:"laptop_name"` // and its name
	Created    time.Time `json:"created"`
	// Since is the moment the changes start from (zero: the whole registry).
	Since time.Time `json:"since,omitzero"`
	// To is the laptop the bundle was made for, when it was.
	To             string     `json:"to,omitempty"`
	RecordCount    int        `json:"records"`
	TombstoneCount int        `json:"tombstones"`
	Encrypted      bool       `json:"encrypted"`
	KDF            *store.KDF `json:"kdf,omitempty"`

	end string // the store's mark at export, remembered for To by MarkSent
}

// Bundle is a bundle read into memory.
type Bundle struct {
	Info
	Records    []data.Record
	Tombstones []store.Tombstone
}

// Write writes b to w, sealed with the passphrase when it is not empty.
// It fills in b's Format, counts and encryption fields.
func Write(w io.Writer, b *Bundle, passphrase string) error {
	return write(w, b, passphrase, 0)
}

func write(w io.Writer, b *Bundle, passphrase string, kdfMemKiB uint32) error {
	b.Format, b.RecordCount, b.TombstoneCount = Format, len(b.Records), len(b.Tombstones)
	b.Encrypted, b.KDF = false, nil
	var key []byte
	if passphrase != "" {
		k, kk, err := store.NewKDF(passphrase, kdfMemKiB)
		if err != nil {
			return err
		}
		b.Encrypted, b.KDF, key = true, &k, kk
	}
	hdr, err := json.Marshal(b.Info)
	if err != nil {
		return err
	}
	head := []byte(magic + strconv.Itoa(Format) + "\n" + string(hdr) + "\n")
	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := bw.Write(head); err != nil {
		return err
	}
	sw, err := store.NewSealWriter(bw, key, head)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(sw, gzip.BestSpeed)
	if err != nil {
		return err
	}
	zb := bufio.NewWriterSize(zw, 256<<10)
	for _, r := range b.Records {
		rb, err := data.Encode(r)
		if err != nil {
			return err
		}
		zb.WriteString(string(data.KindOf(r)))
		zb.WriteByte('\t')
		zb.Write(rb)
		zb.WriteByte('\n')
	}
	for _, t := range b.Tombstones {
		tb, err := json.Marshal(t)
		if err != nil {
			return err
		}
		zb.WriteString("tomb\t")
		zb.Write(tb)
		zb.WriteByte('\n')
	}
	if err := zb.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// readHead reads the first two lines: the format and Info.
func readHead(br *bufio.Reader) (Info, []byte, error) {
	var info Info
	first, err := readLine(br, 64)
	if err != nil || !strings.HasPrefix(string(first), magic) {
		return info, nil, ErrNotABundle
	}
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(string(first), magic), "\n"))
	if err != nil || v < 1 {
		return info, nil, ErrNotABundle
	}
	if v > Format {
		return info, nil, ErrNewer
	}
	second, err := readLine(br, 64<<10)
	if err != nil {
		return info, nil, ErrDamaged
	}
	if err := json.Unmarshal(second, &info); err != nil {
		return info, nil, ErrDamaged
	}
	if info.Format > Format {
		return info, nil, ErrNewer
	}
	if info.Laptop == "" || info.RecordCount < 0 || info.TombstoneCount < 0 || (info.Encrypted && info.KDF == nil) {
		return info, nil, ErrDamaged
	}
	return info, append(first, second...), nil
}

// readLine reads one line of at most limit bytes, with its newline.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for len(line) <= limit {
		b, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		line = append(line, b)
		if b == '\n' {
			return line, nil
		}
	}
	return nil, ErrDamaged
}

// ReadInfo reads what a bundle says about itself, without a passphrase and
// without checking the rest of the file.
func ReadInfo(r io.Reader) (Info, error) {
	info, _, err := readHead(bufio.NewReader(r))
	return info, err
}

// Read reads a whole bundle and checks it: its format, its passphrase (when
// sealed) and its checksum. Only a bundle that passes every check is
// returned, so a merge never starts on a damaged file.
func Read(r io.Reader, passphrase string) (*Bundle, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	info, head, err := readHead(br)
	if err != nil {
		return nil, err
	}
	var key []byte
	if info.Encrypted {
		if passphrase == "" {
			return nil, ErrNeedPassphrase
		}
		var ok bool
		if key, ok = info.KDF.Key(passphrase); !ok {
			return nil, ErrWrongPassphrase
		}
	}
	sr, err := store.NewSealReader(br, key, head, ErrDamaged)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Info: info}
	content := readContent(sr, b)
	// Whatever the content said, the checksum decides first: a damaged
	// file is damaged, not "of a newer format".
	if err := sr.Finish(); err != nil {
		return nil, ErrDamaged
	}
	if content != nil {
		return nil, content
	}
	if len(b.Records) != info.RecordCount || len(b.Tombstones) != info.TombstoneCount {
		return nil, ErrDamaged
	}
	return b, nil
}

func readContent(r io.Reader, b *Bundle) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return ErrDamaged
	}
	zr.Multistream(false)
	ids := map[string]bool{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 256<<10), 64<<20)
	for sc.Scan() {
		kind, raw, ok := bytes.Cut(sc.Bytes(), []byte("\t"))
		if !ok || len(raw) == 0 || raw[0] != '{' {
			return ErrDamaged
		}
		if string(kind) == "tomb" {
			var t store.Tombstone
			if err := json.Unmarshal(raw, &t); err != nil || t.ID == "" {
				return ErrDamaged
			}
			b.Tombstones = append(b.Tombstones, t)
			continue
		}
		k, err := data.ParseKind(string(kind))
		if err != nil || string(k) != string(kind) {
			return ErrDamaged
		}
		r, err := data.Decode(k, raw)
		if err != nil {
			if strings.Contains(err.Error(), "newer than this program") {
				return ErrNewer
			}
			return ErrDamaged
		}
		id := r.Base().ID
		if id == "" || ids[id] {
			return ErrDamaged // a bundle never holds a record twice
		}
		ids[id] = true
		b.Records = append(b.Records, r)
	}
	if sc.Err() != nil {
		return ErrDamaged
	}
	return nil
}

// ReadFile reads and checks a bundle file (see Read); errors name the file.
func ReadFile(path, passphrase string) (*Bundle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := Read(f, passphrase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
