package bundle

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"registar/data"
	"registar/data/store"
)

// Random histories: on three laptops, random sequences of creating,
// editing, trashing, restoring and erasing records, with bundles exchanged
// at random (incremental or whole), and conflicts resolved at random
// moments by a rule every laptop applies alike. Once every laptop has every
// bundle and the conflicts are resolved, the three registries must be the
// same, and every version a resolution did not keep must be in the history.
func TestRandomHistoriesConverge(t *testing.T) {
	seeds, steps := 60, 80
	if testing.Short() {
		seeds = 10
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomHistory(t, uint64(seed), steps) })
	}
}

// Small pools, so that laptops often make the same change, register the
// same person twice, and edit the same records.
var (
	givenPool  = []string{"Amra", "Edin", "Selma", "Mirza", "Vjosa", "Đorđe", "Ђорђе"}
	familyPool = []string{"Begić", "Hodžić", "Berisha", "Petrović", "Петровић"}
	cityPool   = []string{"Wien", "Graz", "Linz", "München", "Zürich", ""}
	notePool   = []string{"", "Zove se vikendom.", "Ima firmu.", "Vraća se 2027."}
)

type randomRun struct {
	t      *testing.T
	rng    *rand.Rand
	ls     []*store.Store
	losers []map[string][]string // per laptop: record ID → contents not kept
}

func randomHistory(t *testing.T, seed uint64, steps int) {
	c := &clock{}
	r := &randomRun{t: t, rng: rand.New(rand.NewPCG(seed, 1))}
	for _, n := range []string{"Office", "Amra", "Edin"} {
		r.ls = append(r.ls, laptop(t, c, n))
		r.losers = append(r.losers, map[string][]string{})
	}
	for range steps {
		i := r.rng.IntN(len(r.ls))
		st := r.ls[i]
		switch op := r.rng.IntN(100); {
		case op < 18:
			r.createPerson(st)
		case op < 24:
			r.createBusiness(st)
		case op < 28:
			r.createOrganisation(st)
		case op < 32:
			save(t, st, &data.Locality{Name: pick(r.rng, []string{"Ostrožac", "Stijena", "Pećigrad"}), Municipality: "Cazin"})
		case op < 56:
			r.edit(st)
		case op < 62:
			if id := r.anyRecord(st); id != "" {
				var err error
				if get(t, st, id).Base().Trashed() {
					err = st.Restore(id)
				} else {
					err = st.Trash(id)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		case op < 65:
			if id := r.anyRecord(st); id != "" {
				if err := st.Erase(id); err != nil {
					t.Fatal(err)
				}
			}
		case op < 80:
			j := (i + 1 + r.rng.IntN(len(r.ls)-1)) % len(r.ls)
			send(t, r.ls[j], st)
		case op < 92:
			j := (i + 1 + r.rng.IntN(len(r.ls)-1)) % len(r.ls)
			merge(t, st, full(t, r.ls[j]))
		default:
			r.resolve(i)
		}
	}
	// Everyone gets everything; conflicts are resolved alike.
	for round := 0; ; round++ {
		if round == 12 {
			t.Fatal("laptops do not converge")
		}
		changed := false
		for _, a := range r.ls {
			for _, b := range r.ls {
				if a != b && send(t, a, b).Changed() {
					changed = true
				}
			}
		}
		for i := range r.ls {
			if r.resolve(i) {
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	first := registry(t, r.ls[0])
	for _, l := range r.ls[1:] {
		if d := diffRegistries(first, registry(t, l)); d != "" {
			t.Fatalf("%s and %s differ:\n%s", r.ls[0].LaptopName(), l.LaptopName(), d)
		}
	}
	// Nothing lost: every version a resolution did not keep is still in the
	// history, unless the record was erased since.
	for i, l := range r.ls {
		for id, want := range r.losers[i] {
			if _, err := l.Get(id); errors.Is(err, store.ErrErased) {
				continue
			}
			checkKept(t, l, id, want)
		}
	}
}

func (r *randomRun) resolve(i int) bool {
	losers := resolveAll(r.t, r.ls[i])
	for id, ls := range losers {
		r.losers[i][id] = append(r.losers[i][id], ls...)
	}
	return len(losers) > 0
}

func pick[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }

// ids lists the records of a kind on a laptop (with the trash), in key order.
func ids(t testing.TB, st *store.Store, k data.Kind) []string {
	var out []string
	if err := st.Each(k, func(r data.Record) error { out = append(out, r.Base().ID); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func (r *randomRun) anyRecord(st *store.Store) string {
	var all []string
	for _, k := range data.Kinds {
		all = append(all, ids(r.t, st, k)...)
	}
	if len(all) == 0 {
		return ""
	}
	return pick(r.rng, all)
}

func (r *randomRun) createPerson(st *store.Store) {
	p := person(pick(r.rng, givenPool), pick(r.rng, familyPool))
	p.City = pick(r.rng, cityPool)
	if locs := ids(r.t, st, data.KindLocality); len(locs) > 0 && r.rng.IntN(2) == 0 {
		p.LocalityID = pick(r.rng, locs)
	}
	save(r.t, st, p)
}

func (r *randomRun) createBusiness(st *store.Store) {
	b := &data.Business{Name: pick(r.rng, []string{"Bau GmbH", "Taxi Bosna", "Pekara Cazin"}), Country: "AT"}
	if ps := ids(r.t, st, data.KindPerson); len(ps) > 0 {
		b.Owners = []data.Owner{{PersonID: pick(r.rng, ps), Share: "owner"}}
	}
	save(r.t, st, b)
}

func (r *randomRun) createOrganisation(st *store.Store) {
	o := &data.Organisation{Name: pick(r.rng, []string{"KUD Bosna", "Shoqata Gjilani"}), OrgKind: "cultural", Country: "CH"}
	ps := ids(r.t, st, data.KindPerson)
	for range r.rng.IntN(3) {
		if len(ps) > 0 {
			if id := pick(r.rng, ps); !contains(o.MemberIDs, id) {
				o.MemberIDs = append(o.MemberIDs, id)
			}
		}
	}
	if orgs := ids(r.t, st, data.KindOrganisation); len(orgs) > 0 && r.rng.IntN(3) == 0 {
		o.UmbrellaID = pick(r.rng, orgs)
	}
	save(r.t, st, o)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *randomRun) edit(st *store.Store) {
	id := r.anyRecord(st)
	if id == "" {
		return
	}
	switch rec := get(r.t, st, id).(type) {
	case *data.Person:
		if r.rng.IntN(2) == 0 {
			rec.City = pick(r.rng, cityPool)
		} else {
			rec.Notes = pick(r.rng, notePool)
		}
		if locs := ids(r.t, st, data.KindLocality); len(locs) > 0 && r.rng.IntN(4) == 0 {
			rec.LocalityID = pick(r.rng, locs)
		}
		save(r.t, st, rec)
	case *data.Business:
		rec.City = pick(r.rng, cityPool)
		if ps := ids(r.t, st, data.KindPerson); len(ps) > 0 && r.rng.IntN(3) == 0 {
			rec.Owners = append(rec.Owners, data.Owner{PersonID: pick(r.rng, ps), Share: "co-owner"})
			seen := map[string]bool{}
			kept := rec.Owners[:0]
			for _, o := range rec.Owners {
				if !seen[o.PersonID] {
					seen[o.PersonID] = true
					kept = append(kept, o)
				}
			}
			rec.Owners = kept
		}
		save(r.t, st, rec)
	case *data.Organisation:
		rec.Notes = pick(r.rng, notePool)
		if ps := ids(r.t, st, data.KindPerson); len(ps) > 0 && r.rng.IntN(2) == 0 {
			if id := pick(r.rng, ps); !contains(rec.MemberIDs, id) {
				rec.MemberIDs = append(rec.MemberIDs, id)
			}
		}
		save(r.t, st, rec)
	case *data.Locality:
		rec.CouncilContact = pick(r.rng, []string{"", "Mujo", "Haso"})
		save(r.t, st, rec)
	}
}
