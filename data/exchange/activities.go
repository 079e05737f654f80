package exchange

import (
	"context"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// Activities, the participants of one activity and the comments of one
// consultation are read with the same header recognition as the registry's
// records (labels in six languages, the aliases of headers.go), but each by
// its own reader: an activity's place and consultation are nested in the
// model, a participant row names a person to be found (or added), and a
// comment row a sender. What each writes goes through the store's one
// write path as one step that Undo takes back whole.

// KindComment is the kind of a sheet of comments of a consultation. It is
// no record of its own: comments live inside their activity.
const KindComment data.Kind = "comment"

// sheetKinds are the kinds of sheet besides the registry's four that
// headers are recognised for. They are never guessed: the user names them.
var sheetKinds = []data.Kind{data.KindActivity, data.KindParticipation, KindComment}

// The cell types only these sheets have.
const (
	typeTime       fieldType = iota + 100 // a time of day: 18:30, 18.30, 18h, or a spreadsheet fraction of a day
	typeOrganisers                        // names of organisations of the registry, separated by ";"
)

// sheetFields lists the columns of the sheet kinds, in the order exports
// write them. Participant rows name a person as a person's sheet does; the
// participant_name columns are for a sign-in sheet's one name column.
var sheetFields = map[data.Kind][]Field{
	data.KindActivity: {
		{Name: "id", typ: typeID},
		{Name: "title"},
		{Name: "activity_kind", typ: typeCode, group: data.GroupActivityKind},
		{Name: "start", typ: typeDate},
		{Name: "start_time", typ: typeTime},
		{Name: "end", typ: typeDate},
		{Name: "end_time", typ: typeTime},
		{Name: "country", typ: typeCountry},
		{Name: "city"},
		{Name: "locality_id", typ: typeLocality},
		{Name: "address"},
		{Name: "online", typ: typeYesNo},
		{Name: "url"},
		{Name: "organiser_ids", typ: typeOrganisers},
		{Name: "by_office", typ: typeYesNo},
		{Name: "description", typ: typeLongText},
		{Name: "tags", typ: typeList},
		{Name: "draft_title"},
		{Name: "reference"},
		{Name: "issuing_body"},
		{Name: "link"},
		{Name: "from", typ: typeDate},
		{Name: "to", typ: typeDate},
	},
	data.KindParticipation: {
		{Name: "id", typ: typeID},
		{Name: "given_name"},
		{Name: "family_name"},
		{Name: "participant_name"},
		{Name: "participant_name_reversed"},
		{Name: "gender", typ: typeCode, group: data.GroupGender},
		{Name: "birth_date", typ: typeDate},
		{Name: "email"},
		{Name: "phone", typ: typePhone},
		{Name: "country", typ: typeCountry},
		{Name: "city"},
		{Name: "participant_org"},
		{Name: "status", typ: typeCode, group: data.GroupParticipation},
		{Name: "role", typ: typeCode, group: data.GroupRole},
		{Name: "note"},
		{Name: "activity_id"},
	},
	KindComment: {
		{Name: "from_id"},
		{Name: "from_kind"},
		{Name: "date", typ: typeDate},
		{Name: "article"},
		{Name: "text", typ: typeLongText},
		{Name: "response", typ: typeCode, group: data.GroupCommentResponse},
		{Name: "reason", typ: typeLongText},
	},
}

// sheetAliases are the other headers of the sheet kinds' columns (see
// kindAliases); a participant's person columns take the person's too.
var sheetAliases = map[data.Kind]map[string][]string{
	data.KindActivity: {
		"title":         {"Naziv aktivnosti", "Naziv događaja", "Назив активности", "Назив догађаја", "Naslov", "Наслов", "Aktivnost", "Активност", "Događaj", "Događanje", "Догађај", "Titulli", "Emri i aktivitetit", "Aktiviteti", "Ngjarja", "Activity", "Event", "Name"},
		"activity_kind": {"Vrsta", "Врста", "Tip", "Тип", "Vrsta događaja", "Lloji", "Kind", "Type", "Kind of event"},
		"start":         {"Datum", "Датум", "Data", "Date", "Početak", "Почетак", "Datum od", "Od", "Fillimi", "Start", "From date"},
		"start_time":    {"Vrijeme", "Vreme", "Време", "Sat", "Satnica", "Početak u", "Ora", "Time", "Starts at"},
		"end":           {"Datum do", "Završetak", "Завршетак", "Do", "Mbarimi", "Deri më", "End", "Until", "To date"},
		"end_time":      {"Kraj", "Крај", "Završetak u", "Ends at"},
		"organiser_ids": {"Organizator", "Организатор", "Organizatorica", "Suorganizator", "Organizuesi", "Organizuesit", "Organiser", "Organizer", "Organizers", "Organised by", "Organized by"},
		"by_office":     {"Ured", "Канцеларија", "Kancelarija", "Zyra", "Office", "By the office"},
		"description":   {"Opis", "Опис", "Sadržaj", "Садржај", "Përmbajtja", "About"},
		"draft_title":   {"Nacrt", "Нацрт", "Nacrt propisa", "Naziv propisa", "Назив прописа", "Projektakti", "Projekt-akti", "Draft", "Draft title", "Policy draft"},
		"reference":     {"Referenca", "Ref.", "Broj nacrta", "Референца", "Referenca e aktit", "Reference", "Ref"},
		"issuing_body":  {"Nadležni organ", "Надлежни орган", "Institucija", "Институција", "Ministarstvo", "Ministria", "Institucioni", "Ministry", "Authority"},
		"link":          {"Datoteka", "Датотека", "Skedari", "Lidhja", "Link", "File"},
		"from":          {"Konsultacije od", "Početak konsultacija", "Period od", "Консултације од", "Konsultimi nga", "Consultation from", "Comments from date"},
		"to":            {"Konsultacije do", "Rok za komentare", "Rok", "Рок", "Консултације до", "Afati", "Afati për komente", "Deadline", "Consultation until"},
	},
	data.KindParticipation: {
		"participant_name":          {"Ime i prezime", "Име и презиме", "Ime prezime", "Ime, prezime", "Ime i prezime učesnika", "Učesnik", "Učesnica", "Sudionik", "Учесник", "Emri dhe mbiemri", "Emri e mbiemri", "Emri mbiemri", "Pjesëmarrësi", "Name and surname", "Full name", "Name", "Participant", "Attendee"},
		"participant_name_reversed": {"Prezime i ime", "Презиме и име", "Prezime, ime", "Mbiemri dhe emri", "Mbiemri e emri", "Surname and name", "Surname, name"},
		"participant_org":           {"Organizacija", "Организација", "Udruženje", "Udruga", "Удружење", "Institucija", "Институција", "Firma", "Фирма", "Organizata", "Shoqata", "Institucioni", "Organisation", "Organization", "Association", "Company"},
		"status":                    {"Status", "Статус", "Prisutan", "Prisutna", "Prisutan/na", "Dolazak", "Долазак", "Prezent", "Statusi", "Attendance", "Attended", "Present"},
		"role":                      {"Uloga", "Улога", "Roli", "Role"},
		"note":                      {"Napomena", "Напомена", "Napomene", "Shënim", "Shënime", "Vërejtje", "Note", "Notes", "Remark"},
		"activity_id":               {"Naziv aktivnosti", "Назив активности", "Događaj", "Aktiviteti", "Activity", "Event"},
	},
	KindComment: {
		"from_id":   {"Od", "Од", "Pošiljatelj", "Podnosilac", "Podnositelj", "Подносилац", "Komentator", "Organizacija", "Организација", "Udruženje", "Udruga", "Nga", "Dërguar nga", "Organizata", "Shoqata", "From", "Sender", "Submitted by", "Organisation", "Organization"},
		"from_kind": {"Vrsta pošiljatelja", "Vrsta podnosioca", "Врста подносиоца", "Lloji i dërguesit", "Sender kind", "Sender type"},
		"date":      {"Datum", "Датум", "Data", "Datum prijema", "Датум пријема", "Datum komentara", "Data e pranimit", "Date", "Received"},
		"article":   {"Član", "Члан", "Članak", "Odjeljak", "Odeljak", "Одељак", "Član/odjeljak", "Neni", "Seksioni", "Article", "Section"},
		"text":      {"Komentar", "Коментар", "Komentari", "Primjedba", "Primedba", "Примедба", "Prijedlog", "Predlog", "Предлог", "Tekst komentara", "Komenti", "Vërejtja", "Propozimi", "Comment", "Text", "Proposal"},
		"response":  {"Odgovor", "Одговор", "Odluka", "Одлука", "Stav", "Status", "Статус", "Përgjigjja", "Vendimi", "Statusi", "Response", "Decision"},
		"reason":    {"Obrazloženje", "Образложење", "Razlog", "Разлог", "Образложење одговора", "Arsyetimi", "Arsyeja", "Reason", "Explanation"},
	},
}

// sheetIgnored are headers a sheet kind reads past: a sign-in sheet's
// signature column.
var sheetIgnored = map[data.Kind][]string{
	data.KindParticipation: {"Potpis", "Потпис", "Svojeručni potpis", "Nënshkrimi", "Signature"},
}

// fieldsFor lists the columns of any kind a sheet can be read as.
func fieldsFor(k data.Kind) []Field {
	if f, ok := kindFields[k]; ok {
		return f
	}
	return sheetFields[k]
}

// aliasesFor are the other headers of a kind's field (see headers.go).
func aliasesFor(k data.Kind, name string) []string {
	out := append([]string(nil), kindAliases[k][name]...)
	out = append(out, sheetAliases[k][name]...)
	if k == data.KindParticipation {
		out = append(out, kindAliases[data.KindPerson][name]...)
	}
	return append(out, commonAliases[name]...)
}

// cellsOf reads the mapped cells of a row: field name → cell.
func cellsOf(m Mapping, row Row) map[string]string {
	out := map[string]string{}
	for _, c := range m.Columns {
		if c.Field == "" || c.Field == Ignore {
			continue
		}
		if v := row.cell(c.Index); v != "" {
			out[c.Field] = v
		}
	}
	return out
}

// has says whether the mapping fills the field.
func has(m Mapping, field string) bool {
	for _, c := range m.Columns {
		if c.Field == field {
			return true
		}
	}
	return false
}

// cellReader reads typed cells of one row, collecting the reasons for
// those it cannot read.
type cellReader struct {
	conv    *converter
	kind    data.Kind
	reasons []string
}

func (r *cellReader) bad(field, cell, key string, args ...string) {
	args = append([]string{"field", data.FieldLabel(field, r.conv.lang), "value", cell}, args...)
	r.reasons = append(r.reasons, i18n.T(r.conv.lang, key, args...))
}

func (r *cellReader) text(cell string) string { return strings.Join(strings.Fields(cell), " ") }

func (r *cellReader) date(field, cell string) data.Date {
	if cell == "" {
		return data.Date{}
	}
	d, ok := r.conv.date(cell)
	if !ok {
		r.bad(field, cell, "exchange.reason.date")
	}
	return d
}

func (r *cellReader) code(field, group, cell string) string {
	if cell == "" {
		return ""
	}
	code, ok := data.ParseValue(group, cell)
	if !ok {
		r.bad(field, cell, "exchange.reason.value", "param", allowed(group, r.conv.lang))
	}
	return code
}

func (r *cellReader) yesNo(field, cell string) bool {
	if cell == "" {
		return false
	}
	yes, ok := data.ParseYesNo(cell)
	if !ok {
		r.bad(field, cell, "exchange.reason.yesno")
	}
	return yes
}

func (r *cellReader) country(field, cell string) string {
	if cell == "" {
		return ""
	}
	code, ok := data.ParseCountry(cell)
	if !ok {
		if names := r.conv.suggestCountries(cell); names != "" {
			r.bad(field, cell, "country.reason.suggest", "param", names)
		} else {
			r.bad(field, cell, "exchange.reason.country")
		}
	}
	return code
}

func (r *cellReader) timeOfDay(field, cell string) string {
	if cell == "" {
		return ""
	}
	t, ok := parseTimeOfDay(cell, r.conv.xlsx)
	if !ok {
		r.bad(field, cell, "activityx.reason.time")
	}
	return t
}

// parseTimeOfDay reads a time of day as people type it (18:30, 18.30,
// 18,30, 18h, 18 h 30, 9) or, in an .xlsx, as the fraction of a day a
// time cell holds (0.770833… is 18:30), into "15:04".
func parseTimeOfDay(s string, xlsx bool) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1 && strings.Contains(s, ".") {
			mins := int(math.Round(f * 24 * 60))
			if mins == 24*60 {
				mins = 0
			}
			return twoDigits(mins/60) + ":" + twoDigits(mins%60), true
		}
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "h"), "č")
	s = strings.NewReplacer("h", ":", ".", ":", ",", ":", " ", "").Replace(s)
	s = strings.TrimSuffix(s, ":")
	hs, ms, found := strings.Cut(s, ":")
	if !found {
		ms = "0"
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(ms) > 2 || len(hs) > 2 {
		return "", false
	}
	return twoDigits(h) + ":" + twoDigits(m), true
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// nameIndex finds records by their folded name: organisations by name,
// persons by "given family" (and "family given").
type nameIndex struct {
	ids    map[string][]string // folded name → IDs (trashed ones too)
	recs   map[string]data.Record
	titles map[string]string
}

func newNameIndex() *nameIndex {
	return &nameIndex{ids: map[string][]string{}, recs: map[string]data.Record{}, titles: map[string]string{}}
}

func (ix *nameIndex) add(key string, r data.Record) {
	key = fold.Key(key)
	if key == "" {
		return
	}
	id := r.Base().ID
	for _, x := range ix.ids[key] {
		if x == id {
			return
		}
	}
	ix.ids[key] = append(ix.ids[key], id)
	ix.recs[id] = r
}

// find returns the records not in the trash with the name, and those in
// the trash.
func (ix *nameIndex) find(name string) (live, trashed []data.Record) {
	for _, id := range ix.ids[fold.Key(name)] {
		r := ix.recs[id]
		if r.Base().Trashed() {
			trashed = append(trashed, r)
		} else {
			live = append(live, r)
		}
	}
	return live, trashed
}

// organisationIndex indexes the registry's organisations by name.
func organisationIndex(st *store.Store) (*nameIndex, error) {
	ix := newNameIndex()
	if st == nil {
		return ix, nil
	}
	err := st.Each(data.KindOrganisation, func(r data.Record) error {
		ix.add(r.(*data.Organisation).Name, r)
		return nil
	})
	return ix, err
}

// activityKey is the key under which two activities are one: the same
// folded title on the same start date.
func activityKey(a *data.Activity) string {
	if a.Name == "" || a.Start.IsZero() {
		return ""
	}
	return "a:" + fold.Key(a.Name) + "|" + a.Start.String()
}

// PrepareActivities checks every row of a sheet of activities against the
// registry without writing anything, as Prepare does for persons: a row
// with a Registar ID, or the title and start date of an activity of the
// registry, is a duplicate (or, with Options.Duplicates Update, updates
// it); organisers are organisations of the registry named by name. The
// plan's Apply writes the new and updated activities as one step.
func PrepareActivities(ctx context.Context, st *store.Store, sh *Sheet, m Mapping, opt Options) (p *Plan, err error) {
	defer guard(&err)
	if sh == nil {
		return nil, ErrNoHeader
	}
	opt = defaults(opt)
	m.Kind = data.KindActivity
	p = &Plan{Sheet: sh, Mapping: m, Options: opt}
	conv := &converter{lang: opt.Lang, region: opt.Region, xlsx: sh.Format == FormatXLSX, date1904: sh.date1904, rejectNewLocalities: true}
	orgs, err := organisationIndex(st)
	if err != nil {
		return nil, err
	}
	existing := map[string]*data.Activity{}
	if st != nil {
		locs, err := localities(st)
		if err != nil {
			return nil, err
		}
		conv.localities = newLocalityIndex(locs)
		err = st.Each(data.KindActivity, func(r data.Record) error {
			a := r.(*data.Activity)
			if a.Trashed() {
				return nil
			}
			existing["id:"+a.ID] = a
			if k := activityKey(a); k != "" {
				existing[k] = a
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	} else {
		conv.localities = newLocalityIndex(nil)
	}
	links := storeLinks(st, nil)
	seen := map[string]int{}
	for i, row := range sh.Rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if opt.Progress != nil {
				opt.Progress(i, len(sh.Rows))
			}
		}
		cells := cellsOf(m, row)
		res := RowResult{Row: row.N, Title: cells["title"]}
		rr := &cellReader{conv: conv, kind: data.KindActivity}
		a := &data.Activity{}
		readActivity(rr, a, cells, orgs)
		if id := cells["id"]; id != "" {
			if u, err := uuid.Parse(id); err == nil {
				a.ID = u.String()
			}
		}
		var keys []string
		if a.ID != "" {
			keys = append(keys, "id:"+a.ID)
		}
		if k := activityKey(a); k != "" {
			keys = append(keys, k)
		}
		dup := 0
		for _, k := range keys {
			if n, ok := seen[k]; ok {
				dup = n
				break
			}
		}
		var old *data.Activity
		for _, k := range keys {
			if o, ok := existing[k]; ok {
				old = o
				break
			}
		}
		switch {
		case len(rr.reasons) > 0:
			res.Action, res.Reasons = Reject, rr.reasons
		case dup > 0:
			res.Action, res.SameAsRow = Duplicate, dup
			res.Reasons = []string{i18n.T(opt.Lang, "exchange.dup.row", "n", strconv.Itoa(dup))}
		case old != nil && opt.Duplicates == Skip:
			res.Action, res.MatchID = Duplicate, old.ID
			res.Reasons = []string{i18n.T(opt.Lang, "exchange.dup.registry", "param", old.Title())}
		case old != nil:
			res.MatchID = old.ID
			upd := data.Clone(old).(*data.Activity)
			rr2 := &cellReader{conv: conv, kind: data.KindActivity}
			readActivity(rr2, upd, cells, orgs)
			upd.ID = old.ID
			data.Normalize(upd, opt.Region)
			if msgs := validationMessages(upd, opt, links, old); len(msgs) > 0 {
				res.Action, res.Reasons = Reject, msgs
			} else if sameContent(old, upd) {
				res.Action = Unchanged
			} else {
				res.Action = Change
				p.recs = append(p.recs, upd)
			}
		default:
			if a.ID != "" && st != nil {
				// An ID of a record this registry lacks (or has as another
				// kind, or erased): keep it only if it is free.
				if _, err := st.Get(a.ID); !errors.Is(err, store.ErrNotFound) {
					a.ID = ""
				}
			}
			data.Normalize(a, opt.Region)
			if msgs := validationMessages(a, opt, links, nil); len(msgs) > 0 {
				res.Action, res.Reasons = Reject, msgs
			} else {
				res.Action = Add
				p.recs = append(p.recs, a)
			}
		}
		if res.Action != Reject && dup == 0 {
			for _, k := range keys {
				seen[k] = row.N
			}
		}
		p.Rows = append(p.Rows, res)
	}
	p.count()
	return p, nil
}

// readActivity fills an activity from a row's cells; an empty cell leaves
// the field as it is (an update keeps what the registry has).
func readActivity(rr *cellReader, a *data.Activity, cells map[string]string, orgs *nameIndex) {
	set := func(dst *string, field string) {
		if v := cells[field]; v != "" {
			*dst = rr.text(v)
		}
	}
	set(&a.Name, "title")
	if v := cells["activity_kind"]; v != "" {
		a.ActivityKind = rr.code("activity_kind", data.GroupActivityKind, v)
	}
	if v := cells["start"]; v != "" {
		a.Start = rr.date("start", v)
	}
	if v := cells["end"]; v != "" {
		a.End = rr.date("end", v)
	}
	if v := cells["start_time"]; v != "" {
		a.StartTime = rr.timeOfDay("start_time", v)
	}
	if v := cells["end_time"]; v != "" {
		a.EndTime = rr.timeOfDay("end_time", v)
	}
	if v := cells["country"]; v != "" {
		a.Place.Country = rr.country("country", v)
	}
	set(&a.Place.City, "city")
	set(&a.Place.Address, "address")
	set(&a.Place.URL, "url")
	if v := cells["locality_id"]; v != "" {
		id, n := rr.conv.localities.find(v)
		switch n {
		case 1:
			a.Place.LocalityID = id
		case 0:
			rr.bad("locality_id", v, "exchange.reason.locality")
		default:
			rr.bad("locality_id", v, "exchange.reason.locality_ambiguous")
		}
	}
	if v := cells["online"]; v != "" {
		a.Place.Online = rr.yesNo("online", v)
	}
	if v := cells["by_office"]; v != "" {
		a.ByOffice = rr.yesNo("by_office", v)
	}
	if v := cells["organiser_ids"]; v != "" {
		a.OrganiserIDs = nil
		for _, name := range splitList(strings.ReplaceAll(v, ",", ";")) {
			if isOfficeWord(name) {
				a.ByOffice = true
				continue
			}
			live, trashed := orgs.find(name)
			switch {
			case len(live) == 1:
				a.OrganiserIDs = append(a.OrganiserIDs, live[0].Base().ID)
			case len(live) > 1:
				rr.bad("organiser_ids", name, "activityx.reason.organiser_twice")
			case len(trashed) > 0:
				rr.bad("organiser_ids", name, "activityx.reason.organiser_trashed")
			default:
				rr.bad("organiser_ids", name, "activityx.reason.organiser_missing")
			}
		}
	}
	if v := cells["description"]; v != "" {
		a.Description = strings.ReplaceAll(v, "\r\n", "\n")
	}
	if v := cells["tags"]; v != "" {
		a.Tags = splitList(v)
	}
	c := a.Consultation
	if c == nil {
		c = &data.Consultation{}
	}
	before := *c
	set(&c.DraftTitle, "draft_title")
	set(&c.Reference, "reference")
	set(&c.IssuingBody, "issuing_body")
	set(&c.Link, "link")
	if v := cells["from"]; v != "" {
		c.From = rr.date("from", v)
	}
	if v := cells["to"]; v != "" {
		c.To = rr.date("to", v)
	}
	changed := c.DraftTitle != before.DraftTitle || c.Reference != before.Reference || c.IssuingBody != before.IssuingBody ||
		c.Link != before.Link || c.From != before.From || c.To != before.To
	if a.Consultation == nil && changed {
		a.Consultation = c
	}
}

// isOfficeWord says whether an organiser cell names the office itself
// ("Ured", "The office", "Zyra"): the office's own label in any language.
func isOfficeWord(s string) bool {
	k := fold.Key(s)
	for _, l := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		if fold.Key(i18n.T(l, "activityx.office")) == k {
			return true
		}
	}
	return false
}

// defaults fills an import's options as Prepare does.
func defaults(opt Options) Options {
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Region == "" {
		opt.Region = data.DefaultRegion
	}
	return opt
}

// storeLinks checks links against the registry's index and the records
// the same step will write (pending, by ID).
func storeLinks(st *store.Store, pending map[string]data.Kind) data.LinkChecker {
	if st == nil {
		return nil
	}
	ix := st.Index()
	return func(k data.Kind, id string) bool {
		if pk, ok := pending[id]; ok {
			return pk == k
		}
		got, ok := ix.Kind(id)
		return ok && got == k
	}
}

// validationMessages runs the model's rules on a record in the plan's
// language.
func validationMessages(r data.Record, opt Options, links data.LinkChecker, stored data.Record) []string {
	err := data.Validate(r, opt.Lang, links, data.WithOffice(opt.Region), data.WithStored(stored))
	if err == nil {
		return nil
	}
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	out := make([]string, len(ve.Errors))
	for i, fe := range ve.Errors {
		out[i] = fe.Message
	}
	return out
}

// count sums a plan's rows into its Counts.
func (p *Plan) count() {
	c := Counts{Rows: len(p.Rows)}
	for _, r := range p.Rows {
		switch r.Action {
		case Add:
			c.Added++
		case Change:
			c.Updated++
		case Unchanged:
			c.Unchanged++
		case Duplicate:
			c.Duplicates++
		case Reject:
			c.Rejected++
		}
	}
	p.Counts = c
}

// ExportActivities writes the activities a query finds (of kind activity;
// its text and filters apply, Limit and Offset not) to w as an .xlsx or,
// with opt.Format FormatCSV, a .csv: one row per activity with the columns
// PrepareActivities reads back, headers and values in opt.Lang. It returns
// the number of rows written.
func ExportActivities(ctx context.Context, w io.Writer, st *store.Store, q search.Query, opt ExportOptions) (n int, err error) {
	defer guard(&err)
	if st == nil {
		return 0, ErrNoStore
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	q.Kind, q.Limit, q.Offset = data.KindActivity, 0, 0
	res := st.Search(q)
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	recs, err := st.Records(ids)
	if err != nil {
		return 0, err
	}
	locs, err := localities(st)
	if err != nil {
		return 0, err
	}
	conv := &converter{lang: opt.Lang, localities: newLocalityIndex(locs)}
	orgNames := map[string]string{}
	for _, r := range recs {
		for _, id := range r.(*data.Activity).OrganiserIDs {
			orgNames[id] = ""
		}
	}
	if err := fillTitles(st, orgNames); err != nil {
		return 0, err
	}
	fields := sheetFields[data.KindActivity]
	rows := make([][]any, 0, len(recs))
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		a := r.(*data.Activity)
		if a.Trashed() {
			continue
		}
		row := make([]any, len(fields))
		for i, f := range fields {
			row[i] = activityCell(conv, a, f.Name, orgNames)
		}
		rows = append(rows, row)
	}
	return writeTable(ctx, w, data.KindActivity, fields, rows, opt)
}

// fillTitles sets the titles of the records whose IDs are the map's keys.
func fillTitles(st *store.Store, titles map[string]string) error {
	if len(titles) == 0 {
		return nil
	}
	ids := make([]string, 0, len(titles))
	for id := range titles {
		ids = append(ids, id)
	}
	recs, err := st.Records(ids)
	if err != nil {
		return err
	}
	for _, r := range recs {
		titles[r.Base().ID] = r.Title()
	}
	return nil
}

// activityCell is what an export writes in an activity's column: text, a
// date (time.Time) or nil.
func activityCell(conv *converter, a *data.Activity, field string, orgNames map[string]string) any {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	date := func(d data.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.Time()
	}
	yes := func(b bool) any {
		if b {
			return i18n.T(conv.lang, "value.yes")
		}
		return i18n.T(conv.lang, "value.no")
	}
	c := a.Consultation
	if c == nil {
		c = &data.Consultation{}
	}
	switch field {
	case "id":
		return a.ID
	case "title":
		return str(a.Name)
	case "activity_kind":
		return str(data.ValueLabel(data.GroupActivityKind, a.ActivityKind, conv.lang))
	case "start":
		return date(a.Start)
	case "start_time":
		return str(a.StartTime)
	case "end":
		return date(a.End)
	case "end_time":
		return str(a.EndTime)
	case "country":
		if a.Place.Country == "" {
			return nil
		}
		return conv.countryName(a.Place.Country)
	case "city":
		return str(a.Place.City)
	case "locality_id":
		if a.Place.LocalityID == "" {
			return nil
		}
		return conv.localities.label(a.Place.LocalityID)
	case "address":
		return str(a.Place.Address)
	case "online":
		return yes(a.Place.Online)
	case "url":
		return str(a.Place.URL)
	case "organiser_ids":
		names := make([]string, 0, len(a.OrganiserIDs))
		for _, id := range a.OrganiserIDs {
			if n := orgNames[id]; n != "" {
				names = append(names, n)
			}
		}
		return joinList(names)
	case "by_office":
		return yes(a.ByOffice)
	case "description":
		return str(a.Description)
	case "tags":
		return joinList(a.Tags)
	case "draft_title":
		return str(c.DraftTitle)
	case "reference":
		return str(c.Reference)
	case "issuing_body":
		return str(c.IssuingBody)
	case "link":
		return str(c.Link)
	case "from":
		return date(c.From)
	case "to":
		return date(c.To)
	}
	return nil
}
