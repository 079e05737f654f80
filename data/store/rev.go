package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"weak"

	"registar/data"
)

// Versions across laptops. Every record carries a version vector
// (data.Meta.VV): for each laptop that wrote it, how many versions of the
// record that laptop wrote. A write here adds one to this laptop's entry; a
// merge keeps the vector of the version it takes. Comparing two vectors says
// whether one version descends from the other (every entry ≥) or whether
// both were changed since their common version (each has an entry the other
// lacks): the rule bundles merge by. Version stays the local optimistic
// counter that Save checks; it is the sum of the vector, so it grows with
// every write and is the same on every laptop for the same version.

// Order is how version a relates to version b.
type Order int

// The four relations of two version vectors.
const (
	Same       Order = iota // the same version
	Older                   // a is an ancestor of b: b is strictly newer
	Newer                   // a descends from b: a is strictly newer
	Concurrent              // both changed since their common version
)

func (o Order) String() string {
	return [...]string{"same", "older", "newer", "concurrent"}[o]
}

// CompareVV compares two version vectors.
func CompareVV(a, b map[string]uint64) Order {
	aMore, bMore := false, false
	for k, av := range a {
		switch bv := b[k]; {
		case av > bv:
			aMore = true
		case av < bv:
			bMore = true
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok && bv > 0 {
			bMore = true
		}
	}
	switch {
	case aMore && bMore:
		return Concurrent
	case aMore:
		return Newer
	case bMore:
		return Older
	}
	return Same
}

// MaxVV is the entry-wise maximum of the vectors: a version that has seen
// all of them. It returns a new map.
func MaxVV(vs ...map[string]uint64) map[string]uint64 {
	out := map[string]uint64{}
	for _, v := range vs {
		for k, n := range v {
			if n > out[k] {
				out[k] = n
			}
		}
	}
	return out
}

// SumVV is the number of writes a version has seen: its Version.
func SumVV(v map[string]uint64) uint64 {
	var n uint64
	for _, c := range v {
		n += c
	}
	return n
}

// EffectiveVV is a record's vector, for a record written before vectors
// existed too: such a record was written only here, Version times.
func (s *Store) EffectiveVV(m *data.Meta) (map[string]uint64, error) {
	if len(m.VV) > 0 || m.Version == 0 {
		return m.VV, nil
	}
	id, err := s.laptop()
	if err != nil {
		return nil, err
	}
	return map[string]uint64{id: m.Version}, nil
}

// nextVV is the vector of a new version written here on top of old (nil
// for a new record): a new map, old's vector plus one for this laptop.
func (s *Store) nextVV(old *data.Meta) (map[string]uint64, error) {
	id, err := s.laptop()
	if err != nil {
		return nil, err
	}
	var base map[string]uint64
	if old != nil {
		if base, err = s.EffectiveVV(old); err != nil {
			return nil, err
		}
	}
	next := MaxVV(base)
	next[id]++
	return next, nil
}

// Stamp sets r's Meta as a write on this laptop would, for a version that
// supersedes every one of over (the version in the registry and versions
// set aside, or two duplicates): its vector is their maximum plus one for
// this laptop, its Version beyond all of theirs, updated now by this user.
// Created time and user come from the first of over when r has none. r is
// then written with ApplyMerge; resolving a conflict and merging duplicates
// do this.
func (s *Store) Stamp(r data.Record, over ...*data.Meta) error {
	m := r.Base()
	m.Kind = data.KindOf(r)
	id, err := s.laptop()
	if err != nil {
		return err
	}
	vvs := make([]map[string]uint64, 0, len(over))
	var top uint64
	for _, o := range over {
		vv, err := s.EffectiveVV(o)
		if err != nil {
			return err
		}
		vvs = append(vvs, vv)
		top = max(top, o.Version)
	}
	m.VV = MaxVV(vvs...)
	m.VV[id]++
	m.Version = max(SumVV(m.VV), top+1)
	now := s.opt.Now().UTC()
	if m.CreatedAt.IsZero() {
		m.CreatedAt, m.CreatedBy = now, s.opt.User
		if len(over) > 0 {
			m.CreatedAt, m.CreatedBy = over[0].CreatedAt, over[0].CreatedBy
		}
	}
	m.UpdatedAt, m.UpdatedBy = now, s.opt.User
	if m.Source == "" {
		m.Source = data.SourceOffice
	}
	return nil
}

// Laptop identity. Each registry has a random laptop ID, made the first
// time it is needed and kept in the setting "laptop_id"; version vectors
// count writes per laptop ID. Two registries must never write under the same
// ID, or a change on one could pass for a version the other already has. A
// registry copied to another computer or folder, or restored from a backup
// (which holds the settings), would carry its ID along, so the folder also
// holds laptop.json, outside Badger and outside backups, naming the ID, the
// computer and the folder it belongs to. When they do not match, the
// registry takes a new ID (the old one stays valid in the vectors). A new ID
// is always safe: it only adds an entry to vectors.

const (
	settingLaptopID     = "laptop_id"
	settingLaptopName   = "laptop_name"
	settingFormerLaptop = "laptop_ids_former"
	laptopFile          = "laptop.json"
)

type laptopStamp struct {
	ID   string `json:"id"`
	Host string `json:"host"`
	Dir  string `json:"dir"`
}

var (
	laptopMu sync.Mutex
	laptops  sync.Map // weak.Pointer[Store] → laptop ID, checked once per open store
)

// LaptopID is this registry's laptop identity, as bundles and version
// vectors name it: 16 hex digits, made once per registry.
func (s *Store) LaptopID() (string, error) { return s.laptop() }

func (s *Store) laptop() (string, error) {
	key := weak.Make(s)
	if id, ok := laptops.Load(key); ok {
		return id.(string), nil
	}
	laptopMu.Lock()
	defer laptopMu.Unlock()
	if id, ok := laptops.Load(key); ok {
		return id.(string), nil
	}
	id, err := s.checkLaptopID()
	if err != nil {
		return "", err
	}
	laptops.Range(func(k, _ any) bool { // forget closed, collected stores
		if k.(weak.Pointer[Store]).Value() == nil {
			laptops.Delete(k)
		}
		return true
	})
	laptops.Store(key, id)
	return id, nil
}

// checkLaptopID returns the registry's laptop ID, making a new one when
// there is none or laptop.json says the registry was copied or restored.
func (s *Store) checkLaptopID() (string, error) {
	cur := ""
	if b, err := s.Setting(settingLaptopID); err == nil {
		cur = string(b)
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	host, _ := os.Hostname()
	if s.opt.InMemory {
		if cur != "" {
			return cur, nil
		}
	} else if cur != "" {
		var st laptopStamp
		if b, err := os.ReadFile(filepath.Join(s.dir, laptopFile)); err == nil && json.Unmarshal(b, &st) == nil &&
			st.ID == cur && st.Host == host && st.Dir == s.dir {
			return cur, nil
		}
	}
	return s.newLaptopID(cur, host)
}

func (s *Store) newLaptopID(former, host string) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b)
	if !s.opt.InMemory {
		st, _ := json.Marshal(laptopStamp{ID: id, Host: host, Dir: s.dir})
		tmp := filepath.Join(s.dir, laptopFile+".tmp")
		if err := os.WriteFile(tmp, st, 0o600); err != nil {
			return "", translate(err, s.dir)
		}
		if err := os.Rename(tmp, filepath.Join(s.dir, laptopFile)); err != nil {
			return "", translate(err, s.dir)
		}
	}
	if former != "" {
		var list []string
		if b, err := s.Setting(settingFormerLaptop); err == nil {
			_ = json.Unmarshal(b, &list)
		}
		list = append(list, former)
		b, _ := json.Marshal(list)
		if err := s.SetSetting(settingFormerLaptop, b); err != nil {
			return "", err
		}
	}
	if err := s.SetSetting(settingLaptopID, []byte(id)); err != nil {
		return "", err
	}
	return id, nil
}

// RenewLaptopID gives the registry a new laptop ID, for a registry whose
// folder was copied to start another laptop. (A copy to another computer or
// folder and a restored backup get one by themselves.)
func (s *Store) RenewLaptopID() (string, error) {
	laptopMu.Lock()
	defer laptopMu.Unlock()
	cur, err := s.Setting(settingLaptopID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	host, _ := os.Hostname()
	id, err := s.newLaptopID(string(cur), host)
	if err != nil {
		return "", err
	}
	laptops.Store(weak.Make(s), id)
	return id, nil
}

// FormerLaptopIDs are the IDs this registry wrote under before it took its
// current one (after a copy or a restore).
func (s *Store) FormerLaptopIDs() []string {
	var list []string
	if b, err := s.Setting(settingFormerLaptop); err == nil {
		_ = json.Unmarshal(b, &list)
	}
	return list
}

// LaptopName is the name people know this laptop by ("Office", "Volunteer
// Amra"), shown beside its ID in bundles; the computer's name until set.
func (s *Store) LaptopName() string {
	if b, err := s.Setting(settingLaptopName); err == nil && len(b) > 0 {
		return string(b)
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "laptop"
}

// SetLaptopName names this laptop.
func (s *Store) SetLaptopName(name string) error {
	return s.SetSetting(settingLaptopName, []byte(name))
}
