package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"

	"golang.org/x/crypto/argon2"
)

// Sealed files. A backup and a bundle share one way of writing a stream to
// a file: frames of at most 256 KiB, each a 4-byte big-endian length and
// that many bytes (sealed with AES-256-GCM when there is a key, the frame's
// number as nonce, so frames cannot be reordered), then an end frame of
// length 0xFFFFFFFF holding the SHA-256 of the plain content (sealed too): a
// truncated or altered file is refused. A key comes from a passphrase through
// Argon2id with a random salt kept in the file's header, with a check value
// that tells a wrong passphrase from a damaged file.

const frameSize = 256 << 10

const endFrame = 0xFFFFFFFF

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func frameNonce(aead cipher.AEAD, n uint64) []byte {
	nonce := make([]byte, aead.NonceSize())
	binary.BigEndian.PutUint64(nonce[aead.NonceSize()-8:], n)
	return nonce
}

type frameWriter struct {
	w    io.Writer
	aead cipher.AEAD
	sum  hash.Hash
	buf  []byte
	n    uint64
}

func (f *frameWriter) Write(p []byte) (int, error) {
	written := len(p)
	for len(p) > 0 {
		take := min(frameSize-len(f.buf), len(p))
		f.buf = append(f.buf, p[:take]...)
		p = p[take:]
		if len(f.buf) == frameSize {
			if err := f.flush(); err != nil {
				return 0, err
			}
		}
	}
	return written, nil
}

func (f *frameWriter) flush() error {
	if len(f.buf) == 0 {
		return nil
	}
	f.sum.Write(f.buf)
	out := f.buf
	if f.aead != nil {
		out = f.aead.Seal(nil, frameNonce(f.aead, f.n), f.buf, nil)
	}
	f.n++
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(out)))
	if _, err := f.w.Write(l[:]); err != nil {
		return err
	}
	if _, err := f.w.Write(out); err != nil {
		return err
	}
	f.buf = f.buf[:0]
	return nil
}

func (f *frameWriter) Close() error {
	if err := f.flush(); err != nil {
		return err
	}
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], endFrame)
	sum := f.sum.Sum(nil)
	if f.aead != nil {
		sum = f.aead.Seal(nil, frameNonce(f.aead, f.n), sum, nil)
	}
	if _, err := f.w.Write(l[:]); err != nil {
		return err
	}
	_, err := f.w.Write(sum)
	return err
}

// frameReader undoes frameWriter; any damage gives bad, or
// ErrCorruptBackup when bad is nil.
type frameReader struct {
	r    io.Reader
	aead cipher.AEAD
	sum  hash.Hash
	buf  []byte
	n    uint64
	done bool
	bad  error
}

func (f *frameReader) damaged() error {
	if f.bad != nil {
		return f.bad
	}
	return ErrCorruptBackup
}

func (f *frameReader) Read(p []byte) (int, error) {
	for len(f.buf) == 0 {
		if f.done {
			return 0, io.EOF
		}
		if err := f.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, f.buf)
	f.buf = f.buf[n:]
	return n, nil
}

func (f *frameReader) next() error {
	var l [4]byte
	if _, err := io.ReadFull(f.r, l[:]); err != nil {
		return f.damaged()
	}
	size := binary.BigEndian.Uint32(l[:])
	if size == endFrame {
		want := make([]byte, sha256.Size)
		if f.aead != nil {
			want = make([]byte, sha256.Size+f.aead.Overhead())
		}
		if _, err := io.ReadFull(f.r, want); err != nil {
			return f.damaged()
		}
		if f.aead != nil {
			var err error
			if want, err = f.aead.Open(nil, frameNonce(f.aead, f.n), want, nil); err != nil {
				return f.damaged()
			}
		}
		if !hmac.Equal(want, f.sum.Sum(nil)) {
			return f.damaged()
		}
		f.done = true
		return nil
	}
	if size > 2*frameSize {
		return f.damaged()
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(f.r, buf); err != nil {
		return f.damaged()
	}
	if f.aead != nil {
		var err error
		if buf, err = f.aead.Open(buf[:0], frameNonce(f.aead, f.n), buf, nil); err != nil {
			return f.damaged()
		}
	}
	f.n++
	f.sum.Write(buf)
	f.buf = buf
	return nil
}

// KDF holds what a file header keeps to turn a passphrase into its key:
// Argon2id parameters, a random salt, and a check value of the key.
type KDF struct {
	Salt      []byte `json:"salt"`
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Lanes     uint8  `json:"lanes"`
	Check     []byte `json:"check"`
}

// NewKDF makes a fresh salt for a passphrase, with the store's Argon2id
// parameters (about 0.1 s and 64 MiB on an office laptop); memoryKiB 0 means
// those.
func NewKDF(pass string, memoryKiB uint32) (KDF, []byte, error) {
	if memoryKiB == 0 {
		memoryKiB = kdfMemoryKiB
	}
	k := KDF{Salt: make([]byte, 16), Time: kdfTime, MemoryKiB: memoryKiB, Lanes: kdfLanes}
	if _, err := rand.Read(k.Salt); err != nil {
		return KDF{}, nil, err
	}
	key := k.derive(pass)
	k.Check = checkValue(key)
	return k, key, nil
}

func (k KDF) derive(pass string) []byte {
	return argon2.IDKey([]byte(pass), k.Salt, k.Time, k.MemoryKiB, k.Lanes, 32)
}

// Key derives the key of a passphrase; ok is false when the passphrase is
// not the one the file was sealed with.
func (k KDF) Key(pass string) (key []byte, ok bool) {
	if k.MemoryKiB > 1<<20 || k.Time > 16 || k.Lanes == 0 || len(k.Salt) == 0 { // a damaged header must not eat the laptop
		return nil, false
	}
	key = k.derive(pass)
	return key, hmac.Equal(checkValue(key), k.Check)
}

// SealWriter writes a sealed stream (see the top of this file). Close
// writes the end frame; it does not close the underlying writer.
type SealWriter struct{ fw *frameWriter }

// NewSealWriter starts a sealed stream on w, encrypted when key is not nil.
// header, already written by the caller before the stream, is counted in
// the checksum, so altering it is caught too.
func NewSealWriter(w io.Writer, key, header []byte) (*SealWriter, error) {
	fw := &frameWriter{w: w, sum: sha256.New()}
	fw.sum.Write(header)
	if key != nil {
		var err error
		if fw.aead, err = newAEAD(key); err != nil {
			return nil, err
		}
	}
	return &SealWriter{fw}, nil
}

func (s *SealWriter) Write(p []byte) (int, error) { return s.fw.Write(p) }

// Close writes the last frame and the end frame.
func (s *SealWriter) Close() error { return s.fw.Close() }

// SealReader reads what SealWriter wrote; any damage gives the error bad.
type SealReader struct{ fr *frameReader }

// NewSealReader reads a sealed stream from r with the key (nil: not
// encrypted) and the header that preceded it.
func NewSealReader(r io.Reader, key, header []byte, bad error) (*SealReader, error) {
	fr := &frameReader{r: r, sum: sha256.New(), bad: bad}
	fr.sum.Write(header)
	if key != nil {
		var err error
		if fr.aead, err = newAEAD(key); err != nil {
			return nil, err
		}
	}
	return &SealReader{fr}, nil
}

func (s *SealReader) Read(p []byte) (int, error) { return s.fr.Read(p) }

// Finish reads to the end frame and checks the checksum: only then is
// what was read known to be whole and unaltered.
func (s *SealReader) Finish() error {
	if _, err := io.Copy(io.Discard, s.fr); err != nil {
		return err
	}
	if !s.fr.done {
		return s.fr.damaged()
	}
	return nil
}
