package demo

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"

	"registar/data"
)

// Options say how many records to make and from which seed.
type Options struct {
	Persons, Businesses, Organisations int
	Seed                               int64
	// Now is the end of the three years over which registrations are
	// spread; the zero time means time.Now().
	Now time.Time
	// KnownLocality, when set, gives the ID of a locality the registry
	// already has (by name and municipality): Generate links the new
	// records to it instead of making it again, so that a second run on
	// the same registry adds no duplicate localities. The records made are
	// the same either way but for those links.
	KnownLocality func(name, municipality string) (id string, ok bool)
	// Activities adds a year of the offices' activities with their
	// participants after everything else (see activities.go).
	Activities bool
	// Communications adds a few things the office sent after everything
	// else: a newsletter e-mail and, with Activities, invitation letters
	// for one activity (see communications.go).
	Communications bool
}

// window is how far back registrations go.
const windowYears = 3

// Count is how many records Generate will produce with these options: the
// localities (fewer when KnownLocality knows some), then the persons,
// businesses and organisations asked for.
func Count(opt Options) int {
	prepare()
	n := len(localities)
	if opt.KnownLocality != nil {
		for _, d := range localities {
			if _, ok := opt.KnownLocality(d.name, munis[d.muni].name); ok {
				n--
			}
		}
	}
	return n + max(0, opt.Persons) + max(0, opt.Businesses) + max(0, opt.Organisations) + activityCount(opt) + communicationCount(opt)
}

// Generate makes the demo records and hands each to put, in dependency
// order: localities, persons, businesses (whose owners are earlier persons),
// organisations (whose umbrella is an earlier organisation and whose members
// are persons). The same options give the same records, byte for byte. It
// stops at the first error put returns and returns that error.
func Generate(opt Options, put func(data.Record) error) error {
	if put == nil {
		return errors.New("demo: Generate needs a put function")
	}
	prepare()
	g := newGen(opt)
	put, communications := withCommunications(g, opt, put)
	put, activities := withActivities(g, opt, put)
	for i := range localities {
		l := g.locality(i) // made even when known: the seed's sequence stays the same
		if opt.KnownLocality != nil {
			if id, ok := opt.KnownLocality(l.Name, l.Municipality); ok {
				g.locIDs[len(g.locIDs)-1] = id
				continue
			}
		}
		if err := put(l); err != nil {
			return err
		}
	}
	for i := 0; i < opt.Persons; i++ {
		if err := put(g.person(i)); err != nil {
			return err
		}
	}
	for i := 0; i < opt.Businesses; i++ {
		if err := put(g.business()); err != nil {
			return err
		}
	}
	nUmb := umbrellaCount(opt.Organisations)
	for i := 0; i < opt.Organisations; i++ {
		if err := put(g.organisation(i < nUmb)); err != nil {
			return err
		}
	}
	if err := activities(); err != nil {
		return err
	}
	return communications()
}

// umbrellaCount is how many of n organisations are umbrella bodies; they
// come first so that the others can link to them.
func umbrellaCount(n int) int {
	switch {
	case n <= 0:
		return 0
	case n < 4:
		return 1
	}
	return max(2, n/15)
}

// personRef is what later records need to know about a generated person;
// it is kept small, as the CLI makes up to two million persons.
type personRef struct {
	id      uuid.UUID
	created int64 // Unix seconds
	given   uint16
	family  uint16
	muni    uint16
	city    uint16
	country uint8
	cm      community
	female  bool
	cyr     bool
}

func (p *personRef) givenName() nm {
	if p.female {
		return names[p.cm].female[p.given]
	}
	return names[p.cm].male[p.given]
}

func (p *personRef) familyName() nm { return names[p.cm].family[p.family] }

// displayName is "Given Family" in the person's script.
func (p *personRef) displayName() string {
	return p.givenName().show(p.cyr) + " " + p.familyName().show(p.cyr)
}

// orgRef is what later organisations need to know about an umbrella body.
type orgRef struct {
	id      string
	fam     orgFamily
	country int
	created int64
}

type gen struct {
	r     *rand.Rand
	ids   *rand.ChaCha8
	now   time.Time
	start time.Time

	buckets []bucket
	total   float64

	locIDs  []string
	persons []personRef
	byComm  [nCommunities][]int32
	byCC    [nCommunities][][]int32 // by community, then country
	umbs    []orgRef

	// seen holds FNV-1a hashes of the e-mail addresses and phone numbers
	// given out, to keep them unique without keeping millions of strings.
	// and of the names of persons, businesses and organisations as
	// duplicate detection folds them.
	seen map[uint64]struct{}

	communityCum   []int
	buf            []byte
	resourceCentre bool // the USK resource centre has been made
}

func newGen(opt Options) *gen {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:8], uint64(opt.Seed))
	copy(seed[8:], "registar/data/demo record ids")
	g := &gen{
		r:     rand.New(rand.NewPCG(uint64(opt.Seed), 0x9E3779B97F4A7C15)),
		ids:   rand.NewChaCha8(seed),
		now:   now,
		start: now.AddDate(-windowYears, 0, 0),
		seen:  make(map[uint64]struct{}, max(0, opt.Persons)*5/2+max(0, opt.Businesses)*3),
	}
	if opt.Persons > 0 {
		g.persons = make([]personRef, 0, opt.Persons)
	}
	for cm := range g.byCC {
		g.byCC[cm] = make([][]int32, len(countries))
	}
	sum := 0
	for _, w := range communityWeight {
		sum += w
		g.communityCum = append(g.communityCum, sum)
	}
	g.buildBuckets()
	return g
}

// newID is a version-4 UUID drawn from the seeded ID stream.
func (g *gen) newID() uuid.UUID {
	u, err := uuid.NewRandomFromReader(g.ids)
	if err != nil {
		panic("demo: " + err.Error()) // ChaCha8 never fails to read
	}
	return u
}

func (g *gen) meta(k data.Kind, t time.Time, id string) data.Meta {
	return data.Meta{ID: id, Kind: k, Schema: data.SchemaVersion, CreatedAt: t, UpdatedAt: t, Source: data.SourceDemo}
}

// ---- random helpers ----

func (g *gen) intn(n int) int { return g.r.IntN(n) }

// chance is true with probability pct/100.
func (g *gen) chance(pct int) bool { return g.r.IntN(100) < pct }

// between is a uniform integer in [lo, hi] (lo when hi < lo).
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// pickCum picks an index from cumulative weights.
func (g *gen) pickCum(cum []int) int {
	x := g.r.IntN(cum[len(cum)-1])
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// pickWS picks a weighted string.
func (g *gen) pickWS(list []ws) string { return list[g.pickWSi(list)].s }

func (g *gen) pickWSi(list []ws) int {
	sum := 0
	for _, e := range list {
		sum += e.w
	}
	x := g.r.IntN(sum)
	for i, e := range list {
		if x < e.w {
			return i
		}
		x -= e.w
	}
	return len(list) - 1
}

func (g *gen) pickS(list []string) string { return list[g.r.IntN(len(list))] }

const capitals = "ABEHJLNPRSTWXYZ" // letters valid in Dutch, British and Canadian postcodes

// fill replaces # by a digit, @ by a capital and % by a small letter.
func (g *gen) fill(p string) string {
	b := g.buf[:0]
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '#':
			b = append(b, byte('0'+g.r.IntN(10)))
		case '@':
			b = append(b, capitals[g.r.IntN(len(capitals))])
		case '%':
			b = append(b, byte('a'+g.r.IntN(26)))
		default:
			b = append(b, c)
		}
	}
	g.buf = b
	return string(b)
}

// phone is a number in E.164 from one of the specs, unique in the data set.
func (g *gen) phone(cc string, specs []phoneSpec) string {
	for {
		s := specs[g.r.IntN(len(specs))]
		b := append(g.buf[:0], '+')
		b = append(b, cc...)
		b = append(b, s.p...)
		n := s.n
		if s.nanp {
			// exchange NXX without the N11 service codes, then four digits
			b = append(b, byte('2'+g.r.IntN(8)), byte('0'+g.r.IntN(10)), byte('2'+g.r.IntN(8)))
			n = 4
		}
		if s.nz {
			b = append(b, byte('1'+g.r.IntN(9)))
			n--
		}
		for range n {
			b = append(b, byte('0'+g.r.IntN(10)))
		}
		g.buf = b
		if h := fnv64(b); !g.dup(h) {
			return string(b)
		}
	}
}

// mobile is a mobile number of someone living in the city.
func (g *gen) mobile(c *country, ct *city) string {
	if len(ct.phones) > 0 {
		return g.phone(c.cc, ct.phones)
	}
	return g.phone(c.cc, c.mobile)
}

var twoDigits [100]string

func initTwoDigits() {
	for i := range twoDigits {
		twoDigits[i] = string([]byte{byte('0' + i/10), byte('0' + i%10)})
	}
}

func itoa(n int) string {
	if n >= 0 && n < 10 {
		return twoDigits[n][1:]
	}
	return strconv.Itoa(n)
}

// address is a street address in the style of the country.
func (g *gen) address(c *country, ct *city) string {
	streets := ct.streets
	if streets == nil {
		streets = c.streets
	}
	st := g.pickS(streets)
	no := itoa(1 + g.r.IntN(120))
	if g.r.IntN(20) == 0 && c.addr == addrEU {
		no += string(rune('a' + g.r.IntN(3)))
	}
	pc := g.fill(g.pickS(ct.pc))
	switch c.addr {
	case addrFR:
		return no + " " + st + ", " + pc + " " + ct.name
	case addrUS:
		return itoa(100+g.r.IntN(9800)) + " " + st + ", " + ct.name + ", " + ct.state + " " + pc
	case addrGB:
		return no + " " + st + ", " + ct.name + " " + pc
	case addrAU:
		return no + " " + st + ", " + ct.name + " " + ct.state + " " + pc
	case addrLU:
		return no + ", " + st + ", L-" + pc + " " + ct.name
	case addrTR:
		return st + " No: " + no + ", " + pc + " " + ct.name
	}
	return st + " " + no + ", " + pc + " " + ct.name
}

// email is a unique lower-case address at the domain.
func (g *gen) email(local, dom string) string {
	e := local + "@" + dom
	for g.dup(fnv64([]byte(e))) {
		e = local + itoa(1+g.r.IntN(999)) + "@" + dom
	}
	return e
}

// dup reports whether h was seen before, and remembers it.
func (g *gen) dup(h uint64) bool {
	if _, ok := g.seen[h]; ok {
		return true
	}
	g.seen[h] = struct{}{}
	return false
}

// fnv64 is the 64-bit FNV-1a hash: fixed, unlike maphash, so that the
// records stay the same from run to run.
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// ---- registration times ----

// bucket is one calendar month (cut to the window) and its cumulative weight.
type bucket struct {
	lo, hi int64
	cum    float64
}

// season weighs registrations by month: the diaspora is home in summer and
// around the new year, when the offices register most.
var season = [13]float64{0, 1.1, 0.75, 0.8, 0.85, 0.95, 1.2, 2.1, 2.4, 1.0, 0.85, 0.8, 1.5}

// buildBuckets spreads registrations over the window: a launch campaign in
// the first two months, steady growth afterwards, and the seasons.
func (g *gen) buildBuckets() {
	start, end := g.start.Unix(), g.now.Unix()
	if end <= start {
		end = start + 1
	}
	m := time.Date(g.start.Year(), g.start.Month(), 1, 0, 0, 0, 0, time.UTC)
	for i := 0; ; i++ {
		next := m.AddDate(0, 1, 0)
		lo, hi := max(m.Unix(), start), min(next.Unix(), end)
		if lo >= end {
			break
		}
		if hi > lo {
			progress := float64(lo-start) / float64(end-start)
			w := (0.6 + 0.9*progress) * season[m.Month()] * float64(hi-lo) / (30 * 86400)
			if i < 2 {
				w *= 1.8
			}
			g.total += w
			g.buckets = append(g.buckets, bucket{lo, hi, g.total})
		}
		m = next
	}
}

// regTime is a plausible registration time: a month by weight, a day in
// it, office hours on weekdays (field work on summer weekends).
func (g *gen) regTime() int64 {
	x := g.r.Float64() * g.total
	lo, hi := 0, len(g.buckets)-1
	for lo < hi {
		m := (lo + hi) / 2
		if g.buckets[m].cum > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	b := g.buckets[lo]
	return g.officeHours(b.lo + g.r.Int64N(b.hi-b.lo))
}

// officeHours moves a time to a plausible hour of its day: 06:00–14:59 UTC
// is office hours in Central Europe, a fifth come in the evening through the
// online form; outside summer most weekend registrations move to a weekday.
func (g *gen) officeHours(t int64) int64 {
	day := t - t%86400
	var sec int64
	if g.r.IntN(5) == 0 {
		sec = int64(15+g.r.IntN(5))*3600 + g.r.Int64N(3600)
	} else {
		sec = int64(6+g.r.IntN(9))*3600 + g.r.Int64N(3600)
	}
	t = day + sec
	u := time.Unix(t, 0).UTC()
	if wd, mo := u.Weekday(), u.Month(); (wd == time.Saturday || wd == time.Sunday) && mo != time.July && mo != time.August && g.r.IntN(10) < 8 {
		if wd == time.Saturday {
			t -= 86400
		} else {
			t += 86400
		}
	}
	if t < g.start.Unix() {
		t += 86400 // the window opened later that day
	}
	return g.clamp(t)
}

// regTimeAfter is a registration time not before after (an owner or an
// umbrella registered first): within four months of it when the usual
// draw falls earlier.
func (g *gen) regTimeAfter(after int64) int64 {
	t := g.regTime()
	if t >= after {
		return t
	}
	days := min(g.now.Unix()-after, 120*86400) / 86400
	if days > 0 {
		t = g.officeHours(after + 86400*(1+g.r.Int64N(days)))
	}
	if t < after {
		t = g.clamp(after + 60 + g.r.Int64N(3600))
	}
	return t
}

func (g *gen) clamp(t int64) int64 {
	if s := g.start.Unix(); t < s {
		t = s
	}
	if e := g.now.Unix(); t > e {
		t = e
	}
	return t
}

func unixTime(t int64) time.Time { return time.Unix(t, 0).UTC() }

// ---- localities ----

func (g *gen) locality(i int) *data.Locality {
	d := localities[i]
	mu := &munis[d.muni]
	c := &countries[mu.country]
	id := g.newID().String()
	g.locIDs = append(g.locIDs, id)
	// The office entered the reference list on its first morning.
	first := g.start.Unix() - g.start.Unix()%86400 + 7*3600
	if first < g.start.Unix() {
		first += 86400
	}
	t := first + int64(i)*137
	l := &data.Locality{Meta: g.meta(data.KindLocality, unixTime(g.clamp(t)), id),
		Name: d.name, Municipality: mu.name, LocalityKind: d.kind}
	if g.chance(70) {
		cm := bosniakUSK
		switch {
		case mu.lang == langSQ:
			cm = albanian
		case mu.name == "Tutin" || mu.name == "Novi Pazar":
			cm = bosniakSandzak
		case mu.name == "Travnik" && (d.name == "Dolac na Lašvi" || d.name == "Nova Bila" || d.name == "Guča Gora" || d.name == "Bijelo Bučje"):
			cm = croatian
		}
		female := g.chance(20)
		ns := &names[cm]
		given := ns.male
		if female {
			given = ns.female
		}
		who := given[g.intn(len(given))].lat + " " + ns.family[g.intn(len(ns.family))].lat
		l.CouncilContact = councilTitle(mu.lang, cm == croatian, female) + ": " + who
	}
	if g.chance(60) {
		if g.chance(60) && len(mu.land) > 0 {
			l.Phone = g.phone(c.cc, mu.land)
		} else {
			l.Phone = g.phone(c.cc, c.mobile)
		}
	}
	if g.chance(30) {
		prefix := "mz."
		if mu.lang == langSQ {
			prefix = "bashkesia."
		}
		l.Email = g.email(prefix+slug(d.name, '.', 30), g.pickWS(c.mail))
	}
	return l
}

func councilTitle(lang int, hr, female bool) string {
	switch {
	case lang == langSQ && female:
		return "Kryetarja e bashkësisë lokale"
	case lang == langSQ:
		return "Kryetari i bashkësisë lokale"
	case lang == langSR && female:
		return "Predsednica Saveta MZ"
	case lang == langSR:
		return "Predsednik Saveta MZ"
	case hr && female:
		return "Predsjednica Vijeća MZ"
	case hr:
		return "Predsjednik Vijeća MZ"
	case female:
		return "Predsjednica Savjeta MZ"
	}
	return "Predsjednik Savjeta MZ"
}
