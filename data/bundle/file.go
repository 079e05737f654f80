package bundle

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

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
	b.RecordCount, b.TombstoneCount = len(b.Records), len(b.Tombstones)
	return writeHeadAnd(w, &b.Info, passphrase, kdfMemKiB, func(content io.Writer) error {
		cw, err := newContentWriter(content)
		if err != nil {
			return err
		}
		for _, r := range b.Records {
			if err := cw.record(r); err != nil {
				return err
			}
		}
		for _, t := range b.Tombstones {
			if err := cw.tombstone(t); err != nil {
				return err
			}
		}
		return cw.close()
	})
}

// writeHeadAnd writes the first two lines (the format and info, with
// info's counts as the caller set them) and then the sealed content that
// body writes.
func writeHeadAnd(w io.Writer, info *Info, passphrase string, kdfMemKiB uint32, body func(content io.Writer) error) error {
	info.Format = Format
	info.Encrypted, info.KDF = false, nil
	var key []byte
	if passphrase != "" {
		k, kk, err := store.NewKDF(passphrase, kdfMemKiB)
		if err != nil {
			return err
		}
		info.Encrypted, info.KDF, key = true, &k, kk
	}
	hdr, err := json.Marshal(info)
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
	if err := body(sw); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// contentWriter writes a bundle's content: gzip of one line per record,
// then one per tombstone, counting them.
type contentWriter struct {
	zw                  *gzip.Writer
	zb                  *bufio.Writer
	records, tombstones int
}

func newContentWriter(w io.Writer) (*contentWriter, error) {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	return &contentWriter{zw: zw, zb: bufio.NewWriterSize(zw, 256<<10)}, nil
}

func (c *contentWriter) record(r data.Record) error {
	rb, err := data.Encode(r)
	if err != nil {
		return err
	}
	c.zb.WriteString(string(data.KindOf(r)))
	c.zb.WriteByte('\t')
	c.zb.Write(rb)
	err = c.zb.WriteByte('\n') // a bufio.Writer's error is sticky: the last one says
	c.records++
	return err
}

func (c *contentWriter) tombstone(t store.Tombstone) error {
	tb, err := json.Marshal(t)
	if err != nil {
		return err
	}
	c.zb.WriteString("tomb\t")
	c.zb.Write(tb)
	err = c.zb.WriteByte('\n')
	c.tombstones++
	return err
}

func (c *contentWriter) close() error {
	if err := c.zb.Flush(); err != nil {
		return err
	}
	return c.zw.Close()
}

// writeStreamed writes a bundle whose records and tombstones fill hands
// over one at a time, so that a bundle of a whole registry never sits in
// memory. The header comes first and holds the counts, which are known only
// at the end: the content goes to a spool file first, sealed under a key of
// its own that lives only in this process (the spool is no readable copy
// of people's data, whatever the bundle's passphrase), then is copied
// behind the header. info's counts are set from what fill wrote.
func writeStreamed(w io.Writer, info *Info, passphrase string, kdfMemKiB uint32, fill func(*contentWriter) error) error {
	spool, err := os.CreateTemp("", "registar-bundle-*.spool")
	if err != nil {
		return err
	}
	defer func() {
		spool.Close()
		os.Remove(spool.Name())
	}()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	sb := bufio.NewWriterSize(spool, 256<<10)
	ss, err := store.NewSealWriter(sb, key, nil)
	if err != nil {
		return err
	}
	cw, err := newContentWriter(ss)
	if err != nil {
		return err
	}
	if err := fill(cw); err != nil {
		return err
	}
	if err := cw.close(); err != nil {
		return err
	}
	if err := ss.Close(); err != nil {
		return err
	}
	if err := sb.Flush(); err != nil {
		return err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	info.RecordCount, info.TombstoneCount = cw.records, cw.tombstones
	errSpool := errors.New("bundle: the spool file changed while the bundle was written")
	return writeHeadAnd(w, info, passphrase, kdfMemKiB, func(content io.Writer) error {
		sr, err := store.NewSealReader(bufio.NewReaderSize(spool, 256<<10), key, nil, errSpool)
		if err != nil {
			return err
		}
		if _, err := io.Copy(content, sr); err != nil {
			return err
		}
		return sr.Finish()
	})
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
	b := &Bundle{}
	info, err := scan(r, passphrase, func(r data.Record) error {
		b.Records = append(b.Records, r)
		return nil
	}, func(t store.Tombstone) error {
		b.Tombstones = append(b.Tombstones, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	b.Info = info
	return b, nil
}

// scan reads a bundle and checks it as Read does, handing each record and
// tombstone over as it is read instead of keeping them; its error, if any,
// comes only after the checksum was checked. With record nil the records
// are only checked (their JSON, IDs and schema), not decoded.
func scan(r io.Reader, passphrase string, record func(data.Record) error, tomb func(store.Tombstone) error) (Info, error) {
	return scanIDs(r, passphrase, record, tomb, newIDSet())
}

// scanIDs is scan that puts the IDs of the bundle's records in ids.
func scanIDs(r io.Reader, passphrase string, record func(data.Record) error, tomb func(store.Tombstone) error, ids *idSet) (Info, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	info, head, err := readHead(br)
	if err != nil {
		return Info{}, err
	}
	var key []byte
	if info.Encrypted {
		if passphrase == "" {
			return Info{}, ErrNeedPassphrase
		}
		var ok bool
		if key, ok = info.KDF.Key(passphrase); !ok {
			return Info{}, ErrWrongPassphrase
		}
	}
	sr, err := store.NewSealReader(br, key, head, ErrDamaged)
	if err != nil {
		return Info{}, err
	}
	var records, tombs int
	counted := func(r data.Record) error {
		records++
		return record(r)
	}
	if record == nil { // check only
		counted = nil
	}
	content := readContent(sr, ids, counted, &records, func(t store.Tombstone) error {
		tombs++
		return tomb(t)
	})
	// Whatever the content said, the checksum decides first: a damaged
	// file is damaged, not "of a newer format".
	if err := sr.Finish(); err != nil {
		return Info{}, ErrDamaged
	}
	if content != nil {
		return Info{}, content
	}
	if records != info.RecordCount || tombs != info.TombstoneCount {
		return Info{}, ErrDamaged
	}
	return info, nil
}

// readContent reads the content's lines; with record nil it only checks
// the records and counts them in *checked.
func readContent(r io.Reader, ids *idSet, record func(data.Record) error, checked *int, tomb func(store.Tombstone) error) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return ErrDamaged
	}
	zr.Multistream(false)
	ra := newReadAhead(zr, 256<<10, 4)
	defer ra.Close() // before the caller reads r's checksum
	sc := bufio.NewScanner(ra)
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
			if err := tomb(t); err != nil {
				return err
			}
			continue
		}
		k, err := data.ParseKind(string(kind))
		if err != nil || string(k) != string(kind) {
			return ErrDamaged
		}
		if record == nil {
			// Checked only: the JSON, the ID, the schema (a third of the
			// cost of decoding the whole record; goccy/go-json's half of
			// encoding/json's, as in data.Decode).
			var m struct {
				ID     string `json:"id"`
				Schema int    `json:"schema"`
			}
			if err := gojson.Unmarshal(raw, &m); err != nil {
				return ErrDamaged
			}
			if m.Schema > data.SchemaVersion {
				return ErrNewer
			}
			if m.ID == "" || !ids.add(m.ID) {
				return ErrDamaged
			}
			*checked++
			continue
		}
		r, err := data.Decode(k, raw)
		if err != nil {
			if strings.Contains(err.Error(), "newer than this program") {
				return ErrNewer
			}
			return ErrDamaged
		}
		id := r.Base().ID
		if id == "" || !ids.add(id) {
			return ErrDamaged // a bundle never holds a record twice
		}
		if err := record(r); err != nil {
			return err
		}
	}
	if sc.Err() != nil {
		return ErrDamaged
	}
	return nil
}

// readAhead reads r on a goroutine of its own, up to n buffers of size
// bytes ahead of its reader: unzipping a bundle and checking its checksum
// then run beside the parsing of its lines, on the other core (a bundle of
// a whole registry is read twice in a merge: 1,000,000 records, some 20 s
// of work). Close stops the goroutine and waits for it.
type readAhead struct {
	full, free chan []byte
	cur, last  []byte
	err        error // r's error other than the end, set before full is closed
	stop       chan struct{}
	closed     bool
}

func newReadAhead(r io.Reader, size, n int) *readAhead {
	ra := &readAhead{full: make(chan []byte, n), free: make(chan []byte, n), stop: make(chan struct{})}
	for range n {
		ra.free <- make([]byte, size)
	}
	go func() {
		defer close(ra.full)
		for {
			var buf []byte
			select {
			case buf = <-ra.free:
			case <-ra.stop:
				return
			}
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				ra.full <- buf[:k] // never blocks: there are only n buffers
			}
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF {
					ra.err = err
				}
				return
			}
		}
	}()
	return ra
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.last != nil {
			ra.free <- ra.last[:cap(ra.last)]
			ra.last = nil
		}
		buf, ok := <-ra.full
		if !ok {
			if ra.err != nil {
				return 0, ra.err
			}
			return 0, io.EOF
		}
		ra.cur, ra.last = buf, buf
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

func (ra *readAhead) Close() {
	if ra.closed {
		return
	}
	ra.closed = true
	close(ra.stop)
	for range ra.full { // until the goroutine is gone
	}
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
