package reports

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
)

// The pocket book: cover, imprint, foreword, contents, the directory by
// country and city, an index of names, the office's contacts on the back.
//
// Page numbers printed are the PDF's own page numbers (the cover is page 1,
// unnumbered), so a reader, a test and `pdftotext -f N` agree on them.

// entry is one organisation, business or person in the directory.
type entry struct {
	id      string
	kind    data.Kind
	name    string // as printed: "Given Family" or the name
	index   string // as filed: "Family, Given" or the name
	key     []byte // collation key of index
	country string
	city    string // cleaned, as written
	cityKey string // folded: Wien, WIEN and wien are one city
	details []string
	page    int
}

type cityGroup struct {
	name    string
	entries []*entry
	page    int
}

type countryGroup struct {
	code, name string
	cities     []*cityGroup
	page       int
}

// kindOrder is the order of kinds within a city.
var kindOrder = map[data.Kind]int{data.KindOrganisation: 0, data.KindBusiness: 1, data.KindPerson: 2}

// pageRole says what a page is, for its running head and folio.
type pageRole int

const (
	roleCover pageRole = iota
	roleImprint
	roleForeword
	roleContents
	roleDirectory
	roleIndex
	roleBlank
	roleBack
)

// book lays out a pocket book.
type book struct {
	*doc
	opt      Options
	ctx      context.Context
	progress func(float64)
	s        float64 // type scale: 1 for A6, larger for A5

	countries []*countryGroup
	entries   []*entry
	counts    map[data.Kind]int

	role        pageRole
	head        string // running head: the section, or the country
	first, last string // running head: first and last city (or index letter) on the page
	y           float64
}

func pocketBook(ctx context.Context, src Source, opt Options, progress func(float64)) (*doc, Info, error) {
	title := clean(opt.Title)
	if title == "" {
		title = i18n.T(opt.Lang, "report.pocketbook.title")
	}
	b := &book{opt: opt, ctx: ctx, progress: progress, s: 1}
	if opt.Size == A5 {
		b.s = 1.22
	}
	if err := b.collect(src); err != nil {
		return nil, Info{}, err
	}
	progress(0.5)
	b.doc = newDoc(opt.Size, opt.Lang, title, opt.Now)
	b.doc.setLogo(opt.Office.Logo)
	if opt.Size == A5 {
		b.left, b.right, b.top, b.bottom = 14, 14, 16, 15
	} else {
		b.left, b.right, b.top, b.bottom = 9, 9, 12.5, 11
	}
	b.pdf.SetFooterFunc(b.footer)

	b.cover(title)
	b.imprint(title)
	b.foreword()
	tocFirst, tocItems := b.reserveContents()
	if err := b.directory(); err != nil {
		return nil, Info{}, err
	}
	indexPage := b.index()
	b.fillContents(tocFirst, tocItems, indexPage)
	b.backCover()
	progress(1)
	return b.doc, Info{Entries: len(b.entries)}, nil
}

// ---- reading ----

// defaultFields are what entries show when Options.Fields is nil.
var defaultFields = map[data.Kind][]string{
	data.KindOrganisation: PocketBookFields,
	data.KindBusiness:     PocketBookFields,
	data.KindPerson:       {FieldRole, FieldPhone, FieldEmail, FieldWebsite},
}

func (b *book) collect(src Source) error {
	kinds := b.opt.Kinds
	if len(kinds) == 0 {
		kinds = []data.Kind{data.KindOrganisation, data.KindBusiness, data.KindPerson}
	}
	wantKind := map[data.Kind]bool{}
	for _, k := range kinds {
		wantKind[k] = true
	}
	wantCountry := map[string]bool{}
	for _, c := range b.opt.Countries {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			wantCountry[c] = true
		}
	}
	var readKinds []data.Kind
	for _, k := range []data.Kind{data.KindOrganisation, data.KindBusiness, data.KindPerson} {
		if wantKind[k] {
			readKinds = append(readKinds, k)
		}
	}
	rd := newReader(b.ctx, src, readKinds, func(done, total int) { b.progress(0.45 * float64(done) / float64(total)) })
	ix, indexed := src.(Indexed)
	b.counts = map[data.Kind]int{}
	for i, k := range readKinds {
		fields := b.opt.Fields
		if fields == nil {
			fields = defaultFields[k]
		}
		show := map[string]bool{}
		for _, f := range fields {
			show[f] = true
		}
		add := func(r data.Record) {
			e := b.entryOf(r, show)
			if e == nil || (len(wantCountry) > 0 && !wantCountry[e.country]) {
				return
			}
			b.entries = append(b.entries, e)
			b.counts[k]++
		}
		var err error
		if indexed {
			// only the records that may be published are read
			err = b.readIndexed(ix, k, wantCountry, add, float64(i)/float64(len(readKinds)), float64(i+1)/float64(len(readKinds)))
		} else {
			err = rd.each(k, add)
		}
		if err != nil {
			return err
		}
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	b.group()
	return nil
}

// readIndexed reads the records of the kind that may be published (with
// consent, in the countries asked for), found through the search index,
// in batches.
func (b *book) readIndexed(src Indexed, k data.Kind, countries map[string]bool, add func(data.Record), from, to float64) error {
	q := search.Query{Kind: k}
	if k != data.KindOrganisation {
		q.Filters = append(q.Filters, search.Facet{Name: search.FacetConsent, Value: search.ConsentPublish})
	}
	for c := range countries {
		q.Filters = append(q.Filters, search.Facet{Name: search.FacetCountry, Value: c})
	}
	hits := src.Index().Search(q).Hits
	const batch = 2000
	for i := 0; i < len(hits); i += batch {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		ids := make([]string, 0, batch)
		for _, h := range hits[i:min(i+batch, len(hits))] {
			ids = append(ids, h.ID)
		}
		recs, err := src.Records(ids)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r != nil && !r.Base().Trashed() && data.KindOf(r) == k {
				add(r)
			}
		}
		b.progress(0.45 * (from + (to-from)*float64(min(i+batch, len(hits)))/float64(len(hits))))
	}
	return nil
}

// entryOf turns a record into an entry, or nil when it must not be
// published: a person or business without consent to publication.
func (b *book) entryOf(r data.Record, show map[string]bool) *entry {
	lang := b.opt.Lang
	e := &entry{kind: data.KindOf(r), id: r.Base().ID}
	var role, contact, address, phone, email, website string
	switch v := r.(type) {
	case *data.Person:
		if !v.ConsentPublish.Given {
			return nil
		}
		given, family := clean(v.GivenName), clean(v.FamilyName)
		e.name = strings.TrimSpace(given + " " + family)
		e.index = family
		if given != "" {
			e.index = strings.TrimLeft(family+", "+given, ", ")
		}
		e.country, e.city = v.Country, v.City
		role, address, phone, email = v.Profession, v.Address, v.Phone, v.Email
	case *data.Business:
		if !v.ConsentPublish.Given {
			return nil
		}
		e.name = clean(v.Name)
		e.country, e.city = v.Country, v.City
		role, address, phone, email, website = v.Sector, v.Address, v.Phone, v.Email, v.Website
	case *data.Organisation:
		e.name = clean(v.Name)
		e.country, e.city = v.Country, v.City
		if v.OrgKind != "" {
			role = data.ValueLabel(data.GroupOrgKind, v.OrgKind, lang)
		}
		if c := clean(v.ContactPerson); c != "" {
			contact = i18n.T(lang, "report.contact_person", "name", c)
		}
		address, phone, email, website = v.Address, v.Phone, v.Email, v.Website
	default:
		return nil
	}
	if e.name == "" {
		return nil
	}
	if e.index == "" {
		e.index = e.name
	}
	e.country = strings.ToUpper(strings.TrimSpace(e.country))
	e.city = clean(e.city)
	e.cityKey = fold.Key(e.city)
	add := func(field, s string) {
		if s = clean(s); s != "" && show[field] {
			e.details = append(e.details, s)
		}
	}
	add(FieldRole, role)
	add(FieldContactPerson, contact)
	add(FieldAddress, address)
	var contacts []string
	if p := clean(phone); p != "" && show[FieldPhone] {
		contacts = append(contacts, formatPhone(p))
	}
	if m := clean(email); m != "" && show[FieldEmail] {
		contacts = append(contacts, m)
	}
	if w := clean(website); w != "" && show[FieldWebsite] {
		contacts = append(contacts, strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(w, "https://"), "http://"), "/"))
	}
	if len(contacts) > 0 {
		// joined with a separator that wrap never breaks before
		e.details = append(e.details, strings.Join(contacts, contactSep))
	}
	return e
}

// contactSep separates the contacts of an entry; the no-break space before
// the dot keeps it on the line of the contact it follows.
const contactSep = "\u00A0· "

// formatPhone writes an E.164 number in international form with no-break
// spaces, so it never breaks across lines: +387 61 242 771.
func formatPhone(s string) string {
	if !strings.HasPrefix(s, "+") {
		return s
	}
	n, err := phonenumbers.Parse(s, "")
	if err != nil {
		return s
	}
	return strings.ReplaceAll(phonenumbers.Format(n, phonenumbers.INTERNATIONAL), " ", "\u00A0")
}

// group sorts the entries into countries and cities, each in the
// language's alphabetical order; within a city organisations come first,
// then businesses, then persons, each by name.
func (b *book) group() {
	col := collatorFor(b.opt.Lang)
	names := make([]string, len(b.entries))
	for i, e := range b.entries {
		names[i] = e.index
	}
	for i, k := range sortKeys(col, names) {
		b.entries[i].key = k
	}
	byCountry := map[string]*countryGroup{}
	byCity := map[string]*cityGroup{}
	spellings := map[*cityGroup]map[string]int{}
	for _, e := range b.entries {
		cg := byCountry[e.country]
		if cg == nil {
			cg = &countryGroup{code: e.country, name: clean(data.CountryName(e.country, b.opt.Lang))}
			if cg.name == "" {
				cg.name = i18n.T(b.opt.Lang, "report.stats.notstated")
			}
			byCountry[e.country] = cg
			b.countries = append(b.countries, cg)
		}
		ck := e.country + "\x00" + e.cityKey
		city := byCity[ck]
		if city == nil {
			city = &cityGroup{}
			byCity[ck] = city
			spellings[city] = map[string]int{}
			cg.cities = append(cg.cities, city)
		}
		city.entries = append(city.entries, e)
		spellings[city][e.city]++
	}
	for city, sp := range spellings {
		best, n := "", -1
		for s, c := range sp {
			if c > n || (c == n && s < best) {
				best, n = s, c
			}
		}
		city.name = best
	}
	countryKeys := map[*countryGroup][]byte{}
	cn := make([]string, len(b.countries))
	for i, c := range b.countries {
		cn[i] = c.name
	}
	for i, k := range sortKeys(col, cn) {
		countryKeys[b.countries[i]] = k
	}
	sort.SliceStable(b.countries, func(i, j int) bool {
		return bytes.Compare(countryKeys[b.countries[i]], countryKeys[b.countries[j]]) < 0
	})
	for _, c := range b.countries {
		names := make([]string, len(c.cities))
		for i, city := range c.cities {
			names[i] = city.name
		}
		keys := sortKeys(col, names)
		cityKey := map[*cityGroup][]byte{}
		for i, city := range c.cities {
			cityKey[city] = keys[i]
		}
		sort.SliceStable(c.cities, func(i, j int) bool {
			a, z := c.cities[i], c.cities[j]
			if (a.name == "") != (z.name == "") {
				return z.name == "" // "city not given" last
			}
			return bytes.Compare(cityKey[a], cityKey[z]) < 0
		})
		for _, city := range c.cities {
			if city.name == "" {
				city.name = i18n.T(b.opt.Lang, "report.city.none")
			}
			sort.SliceStable(city.entries, func(i, j int) bool {
				a, z := city.entries[i], city.entries[j]
				if kindOrder[a.kind] != kindOrder[z.kind] {
					return kindOrder[a.kind] < kindOrder[z.kind]
				}
				if c := bytes.Compare(a.key, z.key); c != 0 {
					return c < 0
				}
				return a.id < z.id // namesakes in a fixed order, however they were read
			})
		}
	}
}

// ---- pages ----

func (b *book) pt(size float64) float64 { return size * b.s }

// bodyBottom is the lowest y text may reach.
func (b *book) bodyBottom() float64 { return b.h - b.bottom }

// newPage starts a page of the role; the running head is reset.
func (b *book) newPage(role pageRole, head string) {
	b.pdf.AddPage()
	b.role, b.head, b.first, b.last = role, head, "", ""
	b.y = b.top
	b.textColor(colInk)
}

// footer draws the running head and the folio of the page being closed
// (gofpdf calls it then, so the head can name the last city on the page).
func (b *book) footer() {
	switch b.role {
	case roleCover, roleImprint, roleBlank, roleBack:
		return
	}
	page := b.pdf.PageNo()
	pt, bold := b.doc.pt, b.doc.bold
	defer b.font(bold, pt)
	b.font(false, b.pt(6.5))
	b.textColor(colMuted)
	hy := b.top - b.lh() - 2.2*b.s
	span := b.first
	if b.last != "" && b.last != b.first {
		span = b.first + " – " + b.last
	}
	inner := b.w - b.left - b.right
	if span == "" {
		b.text(b.left, hy, b.fit(b.head, inner))
	} else {
		b.font(true, b.pt(6.5))
		left := b.fit(b.head, inner*0.45)
		b.text(b.left, hy, left)
		b.font(false, b.pt(6.5))
		b.textRight(b.w-b.right, hy, b.fit(span, inner-b.width(left)-4))
	}
	b.rule(b.left, b.w-b.right, hy+b.lh()+0.4, 0.15, colRule)
	b.font(true, b.pt(7))
	b.textColor(colInk)
	fy := b.h - b.bottom + 3.2*b.s
	if page%2 == 0 {
		b.text(b.left, fy, strconv.Itoa(page))
	} else {
		b.textRight(b.w-b.right, fy, strconv.Itoa(page))
	}
	b.textColor(colInk)
}

// heading writes a section heading at the top of the page.
func (b *book) heading(title string) {
	b.font(true, b.pt(12))
	b.textColor(colAccent)
	for _, l := range b.wrap(title, b.w-b.left-b.right) {
		b.text(b.left, b.y, l)
		b.y += b.lh()
	}
	b.y += 1.2 * b.s
	b.rule(b.left, b.left+18*b.s, b.y, 0.6, colAccent)
	b.y += 3.5 * b.s
	b.textColor(colInk)
}

func (b *book) cover(title string) {
	b.newPage(roleCover, "")
	band := b.h * 0.46
	b.rect(0, 0, b.w, band, colAccent)
	inner := b.w - 2*b.left
	// the title, white on the band, set from the bottom of the band up
	b.font(true, b.pt(17))
	tl := b.wrap(title, inner)
	if len(tl) > 4 { // an extravagant title gets a smaller size
		b.font(true, b.pt(12))
		tl = b.wrap(title, inner)
	}
	sub := i18n.T(b.lang, "report.pocketbook.subtitle")
	tpt := b.doc.pt
	b.font(false, b.pt(8))
	sl := b.wrap(sub, inner)
	subH := float64(len(sl)) * b.lh()
	b.font(true, tpt)
	y := band - 8*b.s - subH - 3*b.s - float64(len(tl))*b.lh()
	y = max(y, 6*b.s)
	b.textColor(colWhite)
	for _, l := range tl {
		if y+b.lh() > band-subH-4 {
			break
		}
		b.text(b.left, y, l)
		y += b.lh()
	}
	y += 3 * b.s
	b.font(false, b.pt(8))
	b.lines(b.left, y, sl)
	// logo, office and municipality under the band
	y = band + 8*b.s
	if b.drawLogo(b.left, y, inner, 22*b.s) {
		y += 22*b.s + 6*b.s
	}
	b.textColor(colInk)
	if name := clean(b.opt.Office.Name); name != "" {
		b.font(true, b.pt(10))
		for _, l := range b.wrap(name, inner) {
			if y+b.lh() > b.h-20*b.s {
				break
			}
			b.textCenter(b.w/2, y, l)
			y += b.lh()
		}
	}
	if m := clean(b.opt.Office.Municipality); m != "" {
		b.font(false, b.pt(8.5))
		b.textColor(colMuted)
		for _, l := range b.wrap(m, inner) {
			if y+b.lh() > b.h-20*b.s {
				break
			}
			b.textCenter(b.w/2, y, l)
			y += b.lh()
		}
	}
	b.font(true, b.pt(14))
	b.textColor(colAccent)
	b.textCenter(b.w/2, b.h-14*b.s, strconv.Itoa(b.opt.Now.Year()))
	b.textColor(colInk)
}

func (b *book) imprint(title string) {
	b.newPage(roleImprint, "")
	inner := b.w - b.left - b.right
	var blocks [][]string
	add := func(bold bool, pt float64, s string) {
		if s == "" {
			return
		}
		b.font(bold, pt)
		blocks = append(blocks, b.wrap(s, inner))
	}
	type para struct {
		bold bool
		pt   float64
		text string
	}
	o := b.opt.Office
	paras := []para{
		{true, b.pt(7.5), title},
		{false, b.pt(6.5), i18n.T(b.lang, "report.imprint.date", "date", formatDate(b.opt.Now, b.lang))},
		{false, b.pt(6.5), i18n.T(b.lang, "report.imprint.consent")},
		{false, b.pt(6.5), b.countsLine()},
	}
	if name := clean(o.Name); name != "" {
		paras = append(paras, para{false, b.pt(6.5), i18n.T(b.lang, "report.imprint.publisher") + ": " + name})
		if m := clean(o.Municipality); m != "" {
			paras[len(paras)-1].text += ", " + m
		}
	}
	paras = append(paras, para{false, b.pt(5.5), "Noto Sans (SIL Open Font License 1.1) · Registar"})
	// set from the bottom of the page up
	h := 0.0
	for _, p := range paras {
		add(p.bold, p.pt, clean(p.text))
		h += float64(len(blocks[len(blocks)-1]))*p.pt*ptMM*1.32 + 2.2*b.s
	}
	y := max(b.top, b.bodyBottom()-h)
	for i, p := range paras {
		b.font(p.bold, p.pt)
		b.textColor(colMuted)
		if i == 0 {
			b.textColor(colInk)
		}
		for _, l := range blocks[i] {
			if y+b.lh() > b.bodyBottom() {
				break
			}
			b.text(b.left, y, l)
			y += b.lh()
		}
		y += 2.2 * b.s
	}
	b.textColor(colInk)
}

// countsLine says how many of each kind the book lists, and in how many
// countries: "Organisations: 12 · Businesses: 40 · Persons: 2,010 · Countries: 23".
func (b *book) countsLine() string {
	var parts []string
	for _, k := range []data.Kind{data.KindOrganisation, data.KindBusiness, data.KindPerson} {
		if n, ok := b.counts[k]; ok {
			parts = append(parts, i18n.T(b.lang, "kind."+string(k)+".plural")+": "+b.num(n))
		}
	}
	parts = append(parts, i18n.T(b.lang, "report.stats.countries")+": "+b.num(len(b.countries)))
	return strings.Join(parts, " · ")
}

func (b *book) foreword() {
	text := cleanText(b.opt.Foreword)
	if text == "" {
		text = cleanText(b.opt.Office.Foreword)
	}
	if text == "" {
		text = i18n.T(b.lang, "report.foreword.default")
	}
	title := i18n.T(b.lang, "report.foreword")
	b.newPage(roleForeword, title)
	b.pdf.Bookmark(title, 0, -1)
	b.heading(title)
	b.font(false, b.pt(8))
	inner := b.w - b.left - b.right
	for _, para := range strings.Split(text, "\n") {
		for _, l := range b.wrap(para, inner) {
			if b.y+b.lh() > b.bodyBottom() {
				b.newPage(roleForeword, title)
				b.font(false, b.pt(8))
			}
			b.text(b.left, b.y, l)
			b.y += b.lh()
		}
		b.y += b.lh() * 0.5
	}
}

// ---- contents ----

// tocItem is one line (or a few, wrapped) of the contents.
type tocItem struct {
	level int // 0 a section or country, 1 a city
	lines []string
	page  *int
}

// tocLayout puts the items on pages: the first page has the heading.
func (b *book) tocLayout(items []*tocItem) (pages [][]*tocItem) {
	b.font(false, b.pt(7.5))
	line := b.lh()
	headH := b.headingHeight(i18n.T(b.lang, "report.contents"))
	y := b.top + headH
	var cur []*tocItem
	for _, it := range items {
		h := float64(len(it.lines))*line + b.tocGap(it, len(cur) == 0)
		if y+h > b.bodyBottom() && len(cur) > 0 {
			pages = append(pages, cur)
			cur, y = nil, b.top
			h = float64(len(it.lines))*line + b.tocGap(it, true)
		}
		cur = append(cur, it)
		y += h
	}
	return append(pages, cur)
}

// tocGap is the space above an item: a little above each country, none at
// the top of a page.
func (b *book) tocGap(it *tocItem, top bool) float64 {
	if it.level == 0 && !top {
		return 1.4 * b.s
	}
	return 0
}

// headingHeight is the height heading() takes.
func (b *book) headingHeight(title string) float64 {
	b.font(true, b.pt(12))
	h := float64(len(b.wrap(title, b.w-b.left-b.right)))*b.lh() + 4.7*b.s
	b.font(false, b.pt(7.5))
	return h
}

// tocNumberWidth is the width kept for page numbers in the contents.
func (b *book) tocNumberWidth() float64 {
	b.font(true, b.pt(7.5))
	return b.width("0000") + 2*b.s
}

// reserveContents measures the contents and adds blank pages for it; the
// entries are written on them once the directory is laid out.
func (b *book) reserveContents() (first int, items []*tocItem) {
	inner := b.w - b.left - b.right
	numW := b.tocNumberWidth()
	mk := func(level int, text string, page *int) *tocItem {
		b.font(level == 0, b.pt(7.5))
		indent := float64(level) * 4 * b.s
		return &tocItem{level: level, lines: b.wrap(text, inner-indent-numW), page: page}
	}
	items = append(items, mk(0, i18n.T(b.lang, "report.foreword"), new(int)))
	*items[0].page = 3
	for _, c := range b.countries {
		items = append(items, mk(0, c.name, &c.page))
		for _, city := range c.cities {
			items = append(items, mk(1, city.name, &city.page))
		}
	}
	if len(b.entries) > 0 {
		items = append(items, mk(0, i18n.T(b.lang, "report.index"), new(int)))
	}
	title := i18n.T(b.lang, "report.contents")
	pages := b.tocLayout(items)
	for i := range pages {
		b.newPage(roleContents, title)
		if i == 0 {
			first = b.pdf.PageNo()
			b.pdf.Bookmark(title, 0, -1)
		}
	}
	return first, items
}

// fillContents goes back to the reserved pages and writes the contents.
func (b *book) fillContents(first int, items []*tocItem, indexPage int) {
	if indexPage > 0 {
		*items[len(items)-1].page = indexPage
	}
	last := b.pdf.PageNo()
	pages := b.tocLayout(items)
	inner := b.w - b.left - b.right
	for i, page := range pages {
		b.pdf.SetPage(first + i)
		b.restore()
		b.y = b.top
		if i == 0 {
			b.heading(i18n.T(b.lang, "report.contents"))
		}
		for k, it := range page {
			b.y += b.tocGap(it, k == 0)
			b.font(it.level == 0, b.pt(7.5))
			indent := float64(it.level) * 4 * b.s
			b.textColor(colInk)
			if it.level == 1 {
				b.textColor(colMuted)
			}
			for j, l := range it.lines {
				b.text(b.left+indent, b.y, l)
				if j == 0 && it.page != nil && *it.page > 0 {
					b.font(it.level == 0, b.pt(7.5))
					b.textRight(b.left+inner, b.y, strconv.Itoa(*it.page))
				}
				b.y += b.lh()
			}
		}
	}
	b.textColor(colInk)
	b.pdf.SetPage(last)
	b.restore()
}

// ---- directory ----

// entryGap is the space after an entry, in millimetres on A6.
const entryGap = 2.2

// layout of one entry, measured before it is drawn
type entryLayout struct {
	name    []string
	details []string
	h       float64
}

func (b *book) measure(e *entry) entryLayout {
	inner := b.w - b.left - b.right
	var l entryLayout
	b.font(true, b.pt(7.8))
	l.name = b.wrap(e.name, inner)
	l.h = float64(len(l.name)) * b.lh()
	b.font(false, b.pt(7))
	for _, d := range e.details {
		ls := b.wrap(d, inner-2*b.s)
		l.details = append(l.details, ls...)
	}
	l.h += float64(len(l.details))*b.lh() + entryGap*b.s
	return l
}

func (b *book) kindLabelHeight() float64 {
	b.font(true, b.pt(6))
	return b.lh() + 1*b.s
}

func (b *book) cityHeadingHeight(name string) float64 {
	b.font(true, b.pt(9))
	return float64(len(b.wrap(name, b.w-b.left-b.right)))*b.lh() + 2.5*b.s
}

func (b *book) directory() error {
	if len(b.countries) == 0 {
		title := i18n.T(b.lang, "report.pocketbook.title")
		b.newPage(roleDirectory, title)
		b.font(false, b.pt(8))
		b.textColor(colMuted)
		b.lines(b.left, b.y, b.wrap(i18n.T(b.lang, "report.directory.empty"), b.w-b.left-b.right))
		b.textColor(colInk)
		return nil
	}
	done := 0
	for _, c := range b.countries {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		b.newPage(roleDirectory, c.name)
		c.page = b.pdf.PageNo()
		b.pdf.Bookmark(c.name, 0, -1)
		b.countryHeading(c.name)
		for _, city := range c.cities {
			first := city.entries[0]
			need := b.cityHeadingHeight(city.name) + b.kindLabelHeight() + b.measure(first).h
			if b.y+need > b.bodyBottom() && b.y > b.top+1 {
				b.newPage(roleDirectory, c.name)
			}
			b.cityHeading(city)
			prev := data.Kind("")
			for _, e := range city.entries {
				l := b.measure(e)
				need := l.h - entryGap*b.s // the space after the last entry of a page is not needed
				if e.kind != prev {
					need += b.kindLabelHeight()
				}
				if b.y+need > b.bodyBottom() && b.y > b.top+1 {
					b.newPage(roleDirectory, c.name)
					b.first, b.last = city.name, city.name
					b.continued(city.name)
				}
				if e.kind != prev {
					b.kindLabel(e.kind)
					prev = e.kind
				}
				b.drawEntry(e, l)
				done++
			}
			b.progress(0.5 + 0.4*float64(done)/float64(max(1, len(b.entries))))
		}
	}
	return nil
}

func (b *book) countryHeading(name string) {
	inner := b.w - b.left - b.right
	b.font(true, b.pt(12.5))
	ls := b.wrap(name, inner-4*b.s)
	h := float64(len(ls))*b.lh() + 3*b.s
	b.rect(b.left, b.y, inner, h, colAccent)
	b.textColor(colWhite)
	b.lines(b.left+2*b.s, b.y+1.5*b.s, ls)
	b.textColor(colInk)
	b.y += h + 3*b.s
}

func (b *book) cityHeading(city *cityGroup) {
	city.page = b.pdf.PageNo()
	b.pdf.Bookmark(city.name, 1, b.y)
	if b.first == "" {
		b.first = city.name
	}
	b.last = city.name
	b.font(true, b.pt(9))
	b.textColor(colAccent)
	b.y = b.lines(b.left, b.y, b.wrap(city.name, b.w-b.left-b.right))
	b.rule(b.left, b.w-b.right, b.y+0.3, 0.2, colAccent)
	b.y += 2.5 * b.s
	b.textColor(colInk)
}

// continued repeats the city's name, small, at the top of a page that
// carries on with it.
func (b *book) continued(name string) {
	b.font(true, b.pt(6.5))
	b.textColor(colAccent)
	b.text(b.left, b.y, b.fit(name+" …", b.w-b.left-b.right))
	b.y += b.lh() + 1*b.s
	b.textColor(colInk)
}

func (b *book) kindLabel(k data.Kind) {
	b.font(true, b.pt(6))
	b.textColor(colMuted)
	b.text(b.left, b.y, strings.ToUpper(i18n.T(b.lang, "kind."+string(k)+".plural")))
	b.y += b.lh() + 1*b.s
	b.textColor(colInk)
}

func (b *book) drawEntry(e *entry, l entryLayout) {
	e.page = b.pdf.PageNo()
	fits := l.h <= b.bodyBottom()-b.top
	line := func(x float64, s string) {
		if !fits && b.y+b.lh() > b.bodyBottom() { // an entry taller than a page
			city := b.last
			b.newPage(roleDirectory, b.head)
			b.first, b.last = city, city
		}
		b.text(x, b.y, s)
		b.y += b.lh()
	}
	b.font(true, b.pt(7.8))
	for _, s := range l.name {
		line(b.left, s)
	}
	b.font(false, b.pt(7))
	for _, s := range l.details {
		line(b.left+2*b.s, s)
	}
	b.y += entryGap * b.s
}

// ---- index ----

type indexLine struct {
	name  string
	key   []byte
	pages []int
}

// index writes the alphabetical index of names and returns its first page
// (0 when there is nothing to index).
func (b *book) index() int {
	if len(b.entries) == 0 {
		return 0
	}
	sorted := make([]*entry, len(b.entries))
	copy(sorted, b.entries)
	sort.SliceStable(sorted, func(i, j int) bool {
		if c := bytes.Compare(sorted[i].key, sorted[j].key); c != 0 {
			return c < 0
		}
		return sorted[i].id < sorted[j].id
	})
	var lines []*indexLine
	for _, e := range sorted {
		if n := len(lines); n > 0 && lines[n-1].name == e.index {
			if ps := lines[n-1].pages; ps[len(ps)-1] != e.page {
				lines[n-1].pages = append(ps, e.page)
			}
			continue
		}
		lines = append(lines, &indexLine{name: e.index, key: e.key, pages: []int{e.page}})
	}
	for _, l := range lines {
		sort.Ints(l.pages)
		uniq := l.pages[:1]
		for _, p := range l.pages[1:] {
			if p != uniq[len(uniq)-1] {
				uniq = append(uniq, p)
			}
		}
		l.pages = uniq
	}

	title := i18n.T(b.lang, "report.index")
	b.newPage(roleIndex, title)
	first := b.pdf.PageNo()
	b.pdf.Bookmark(title, 0, -1)
	b.heading(title)
	cols := 1
	if b.size != A6 {
		cols = 2
	}
	gap := 5 * b.s
	inner := b.w - b.left - b.right
	colW := (inner - gap*float64(cols-1)) / float64(cols)
	col, top := 0, b.y
	x := b.left
	nextColumn := func() {
		col++
		if col >= cols {
			b.newPage(roleIndex, title)
			col, top = 0, b.top
		}
		x = b.left + float64(col)*(colW+gap)
		b.y = top
	}
	letter := ""
	for _, l := range lines {
		b.font(false, b.pt(7))
		// page numbers take at most half the column; a name on many pages
		// has them on several lines
		numLines := b.wrap(joinPages(l.pages), colW*0.5)
		numW := 0.0
		for _, n := range numLines {
			numW = max(numW, b.width(n))
		}
		nameLines := b.wrap(l.name, colW-numW-3*b.s)
		h := float64(max(len(nameLines), len(numLines))) * b.lh()
		if ini := initial(l.name, b.lang); ini != letter {
			b.font(true, b.pt(8.5))
			lh := b.lh() + 1.5*b.s
			if b.y+lh+h > b.bodyBottom() {
				nextColumn()
			}
			b.y += 0.8 * b.s
			b.textColor(colAccent)
			b.text(x, b.y, ini)
			b.textColor(colInk)
			b.y += lh - 0.8*b.s
			letter = ini
			if b.first == "" {
				b.first = ini
			}
			b.last = ini
			b.font(false, b.pt(7))
		} else if b.y+h > b.bodyBottom() {
			nextColumn()
			if b.first == "" {
				b.first = letter
			}
		}
		for i := 0; i < max(len(nameLines), len(numLines)); i++ {
			if i < len(nameLines) {
				b.text(x, b.y, nameLines[i])
			}
			if i < len(numLines) {
				b.textRight(x+colW, b.y, numLines[i])
			}
			b.y += b.lh()
		}
	}
	return first
}

// joinPages writes page numbers as "12, 15, 40".
func joinPages(ps []int) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}

// ---- back cover ----

func (b *book) backCover() {
	// a booklet needs a page count that fills whole sheets: blank pages go
	// before the back cover, which must stay the last page
	if b.opt.Booklet != NoBooklet {
		per := pagesPerSheet(b.opt.Size)
		for (b.pdf.PageCount()+1)%per != 0 {
			b.newPage(roleBlank, "")
		}
	}
	b.newPage(roleBack, "")
	drawBackCover(b.doc, b.opt.Office, b.s, true)
}

// drawBackCover writes the office's contacts on the last page of the
// pocket book or the brochure.
func drawBackCover(d *doc, o data.Office, s float64, register bool) {
	inner := d.w - d.left - d.right
	band := d.h * 0.3
	d.rect(0, d.h-band, d.w, band, colAccent)
	y := d.top + 4*s
	d.font(true, 11*s)
	d.textColor(colAccent)
	for _, l := range d.wrap(d.t("report.backcover.contacts"), inner) {
		d.text(d.left, y, l)
		y += d.lh()
	}
	y += 3 * s
	d.textColor(colInk)
	limit := d.h - band - 4*s
	put := func(bold bool, pt float64, txt string) {
		if txt == "" {
			return
		}
		d.font(bold, pt*s)
		for _, l := range d.wrap(txt, inner) {
			if y+d.lh() > limit {
				return
			}
			d.text(d.left, y, l)
			y += d.lh()
		}
		y += 0.8 * s
	}
	put(true, 8.5, clean(o.Name))
	put(false, 7.5, clean(o.Municipality))
	put(false, 7.5, clean(o.Address))
	if p := clean(o.Phone); p != "" {
		put(false, 7.5, formatPhone(p))
	}
	put(false, 7.5, clean(o.Email))
	put(false, 7.5, clean(o.Website))
	if register {
		y += 3 * s
		d.textColor(colMuted)
		put(false, 7, d.t("report.backcover.register"))
		d.textColor(colInk)
	}
	// the logo on the band, on a white tile
	if d.logo != "" {
		tile := band * 0.55
		x := (d.w - tile) / 2
		ty := d.h - band + (band-tile)/2
		d.rect(x, ty, tile, tile, colWhite)
		d.drawLogo(x+tile*0.08, ty+tile*0.08, tile*0.84, tile*0.84)
	}
}
