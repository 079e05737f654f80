package app

import (
	"encoding/json"
	"image/color"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/bundle"
)

// versionGrid shows versions of one record side by side, a row per field:
// its label, then its value in each version. The fields that differ are
// highlighted and get a check in each version's cell: the version whose
// value the user takes. A field takes one version's value; with union, a
// list (tags, languages, members…) may take both and gets them joined.
type versionGrid struct {
	shell    *Shell
	kind     data.Kind
	versions []data.Record
	values   []map[string]json.RawMessage
	rows     []string // the fields shown, in the model's order
	differ   []string // those that differ, in the same order
	union    bool
	checks   map[string][]*widget.Check
	settling bool // the grid is setting checks itself
}

// bundleLabelWidth is the width of the grid's first column.
const bundleLabelWidth = 170

// bundleMaxText is how much of a long text (notes) a cell shows.
const bundleMaxText = 600

func newVersionGrid(s *Shell, versions []data.Record, union bool) *versionGrid {
	g := &versionGrid{shell: s, kind: data.KindOf(versions[0]), versions: versions, union: union,
		checks: map[string][]*widget.Check{}}
	for _, v := range versions {
		g.values = append(g.values, recordFields(v))
	}
	differ := map[string]bool{}
	for i := range versions {
		for j := i + 1; j < len(versions); j++ {
			for _, f := range bundle.Differences(versions[i], versions[j]) {
				differ[f] = true
			}
		}
	}
	for _, f := range bundleFieldOrder(g.kind) {
		shown := differ[f]
		for _, m := range g.values {
			shown = shown || !isEmptyValue(m[f])
		}
		if shown {
			g.rows = append(g.rows, f)
		}
		if differ[f] {
			g.differ = append(g.differ, f)
		}
	}
	return g
}

// recordFields is a record's content by JSON field.
func recordFields(r data.Record) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	b, err := data.Encode(data.Clone(r))
	if err != nil {
		fyne.LogError("encoding a record", err)
		return m
	}
	if err := json.Unmarshal(b, &m); err != nil {
		fyne.LogError("decoding a record", err)
	}
	return m
}

// bundleFieldOrder lists the fields of a kind in the model's order (the
// order of the forms), then the trash state.
func bundleFieldOrder(k data.Kind) []string {
	r, err := data.New(k)
	if err != nil {
		return nil
	}
	t := reflect.TypeOf(r).Elem()
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			continue // Meta: the store's bookkeeping
		}
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return append(out, "trashed_at")
}

// isEmptyValue: absent, null, "", 0, false, [], {} or an object of such.
func isEmptyValue(v json.RawMessage) bool {
	if len(v) == 0 {
		return true
	}
	var x any
	if json.Unmarshal(v, &x) != nil {
		return false
	}
	return data.EmptyValue(x)
}

// isList reports whether a field holds a list in the versions.
func (g *versionGrid) isList(f string) bool {
	for _, m := range g.values {
		if v := m[f]; len(v) > 0 && v[0] == '[' {
			return true
		}
	}
	return false
}

// multi reports whether a field may take several versions at once.
func (g *versionGrid) multi(f string) bool { return g.union && g.isList(f) }

// ui lays the grid out under a header row (one object per version).
func (g *versionGrid) ui(headers []fyne.CanvasObject) fyne.CanvasObject {
	s := g.shell
	n := len(g.versions)
	head := container.New(&bundleColumns{n: n}, append([]fyne.CanvasObject{
		widget.NewLabelWithStyle(s.T("bundleui.grid.field"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}, headers...)...)
	rows := container.NewVBox()
	differ := map[string]bool{}
	for _, f := range g.differ {
		differ[f] = true
	}
	// The fields that differ come first, where the eye lands; the others
	// follow under a heading, dimmed.
	for _, f := range g.differ {
		rows.Add(g.differingRow(f))
	}
	same := 0
	for _, f := range g.rows {
		if differ[f] {
			continue
		}
		if same == 0 {
			heading := widget.NewLabelWithStyle(s.T("bundleui.grid.same"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
			rows.Add(container.NewVBox(widget.NewSeparator(), heading))
		}
		same++
		rows.Add(g.sameRow(f))
	}
	return container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(rows))
}

// differingRow is a highlighted row with a check in each version's cell.
func (g *versionGrid) differingRow(f string) fyne.CanvasObject {
	label := widget.NewLabelWithStyle(data.FieldLabel(f, g.shell.lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	label.Wrapping = fyne.TextWrapWord
	cells := []fyne.CanvasObject{label}
	for i := range g.versions {
		text := g.text(f, i)
		if text == "" {
			text = "—"
		}
		value := widget.NewLabel(text)
		value.Wrapping = fyne.TextWrapWord
		c := widget.NewCheck("", nil)
		col := i
		c.OnChanged = func(on bool) { g.onMark(f, col, on) }
		g.checks[f] = append(g.checks[f], c)
		cells = append(cells, container.NewBorder(nil, nil, container.NewVBox(c), nil, value))
	}
	tint := canvas.NewRectangle(highlight())
	tint.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(tint, container.New(&bundleColumns{n: len(g.versions)}, cells...))
}

// sameRow is a row whose value is the same in every version, dimmed, its
// values aligned with those of the differing rows.
func (g *versionGrid) sameRow(f string) fyne.CanvasObject {
	label := widget.NewLabel(data.FieldLabel(f, g.shell.lang))
	label.Wrapping = fyne.TextWrapWord
	cells := []fyne.CanvasObject{label}
	checkWidth := widget.NewCheck("", nil).MinSize().Width
	for i := range g.versions {
		value := widget.NewLabel(g.text(f, i))
		value.Wrapping = fyne.TextWrapWord
		value.Importance = widget.LowImportance
		pad := canvas.NewRectangle(color.Transparent)
		pad.SetMinSize(fyne.NewSize(checkWidth, 1))
		cells = append(cells, container.NewBorder(nil, nil, pad, nil, value))
	}
	return container.New(&bundleColumns{n: len(g.versions)}, cells...)
}

// highlight is the tint of a differing row: the theme's warning colour,
// faint, so the text on it reads in light and dark variants.
func highlight() color.Color {
	r, g, b, _ := theme.Color(theme.ColorNameWarning).RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x38}
}

// onMark keeps one version per field, unless the field may take several.
func (g *versionGrid) onMark(f string, i int, on bool) {
	if g.settling {
		return
	}
	g.settling = true
	defer func() { g.settling = false }()
	cs := g.checks[f]
	switch {
	case g.multi(f):
		// Any set, none included (an empty list).
	case on:
		for j, c := range cs {
			if j != i {
				c.SetChecked(false)
			}
		}
	default:
		cs[i].SetChecked(true) // a value is always taken from somewhere
	}
}

// mark sets the versions a field takes its value from.
func (g *versionGrid) mark(f string, versions ...int) {
	cs := g.checks[f]
	if cs == nil {
		return
	}
	g.settling = true
	for j, c := range cs {
		c.SetChecked(false)
		for _, v := range versions {
			if v == j {
				c.SetChecked(true)
			}
		}
	}
	g.settling = false
}

// markAll takes every differing field from one version.
func (g *versionGrid) markAll(i int) {
	for _, f := range g.differ {
		g.mark(f, i)
	}
}

// marked lists the versions a field is marked to take, in order.
func (g *versionGrid) marked(f string) []int {
	var out []int
	for j, c := range g.checks[f] {
		if c.Checked {
			out = append(out, j)
		}
	}
	return out
}

// fieldsFrom lists the differing fields marked to take version i alone.
func (g *versionGrid) fieldsFrom(i int) []string {
	var out []string
	for _, f := range g.differ {
		if m := g.marked(f); len(m) == 1 && m[0] == i {
			out = append(out, f)
		}
	}
	return out
}

// text is a field's value in version i as a person reads it.
func (g *versionGrid) text(f string, i int) string {
	t := g.shell.bundleValueText(f, g.values[i][f])
	if r := []rune(t); len(r) > bundleMaxText {
		t = string(r[:bundleMaxText]) + "…"
	}
	return t
}

// bundleValueText is a field's JSON value in words: labels for codes,
// country names, titles for links, dates as people write them here.
func (s *Shell) bundleValueText(field string, raw json.RawMessage) string {
	if isEmptyValue(raw) {
		return ""
	}
	str := func() string { var v string; _ = json.Unmarshal(raw, &v); return v }
	strs := func() []string { var v []string; _ = json.Unmarshal(raw, &v); return v }
	labels := func(group string, codes []string) string {
		out := make([]string, len(codes))
		for i, c := range codes {
			out[i] = data.ValueLabel(group, c, s.lang)
		}
		return strings.Join(out, ", ")
	}
	switch field {
	case "gender":
		return data.ValueLabel(data.GroupGender, str(), s.lang)
	case "education":
		return data.ValueLabel(data.GroupEducation, str(), s.lang)
	case "org_kind":
		return data.ValueLabel(data.GroupOrgKind, str(), s.lang)
	case "locality_kind":
		return data.ValueLabel(data.GroupLocalityKind, str(), s.lang)
	case "generation":
		return data.ValueLabel(data.GroupGeneration, strings.TrimSpace(string(raw)), s.lang)
	case "interests":
		return labels(data.GroupInterest, strs())
	case "country":
		return data.CountryName(str(), s.lang)
	case "birth_date":
		if d, err := data.ParseDate(str()); err == nil {
			return d.Local()
		}
		return str()
	case "locality_id", "umbrella_id":
		return s.recordOption(str()).Label
	case "member_ids":
		ids := strs()
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = s.recordOption(id).Label
		}
		sort.Strings(out)
		return strings.Join(out, ", ")
	case "owners":
		var owners []data.Owner
		_ = json.Unmarshal(raw, &owners)
		out := make([]string, len(owners))
		for i, o := range owners {
			out[i] = s.recordOption(o.PersonID).Label + " (" + data.ValueLabel(data.GroupShare, o.Share, s.lang) + ")"
		}
		return strings.Join(out, ", ")
	case "consent_contact", "consent_publish":
		var c data.Consent
		_ = json.Unmarshal(raw, &c)
		if !c.Given {
			return s.T("value.no")
		}
		parts := []string{s.T("value.yes")}
		if !c.Date.IsZero() {
			parts = append(parts, c.Date.Local())
		}
		if c.How != "" {
			parts = append(parts, data.ValueLabel(data.GroupConsentHow, c.How, s.lang))
		}
		return strings.Join(parts, ", ")
	case "trashed_at":
		var t time.Time
		if json.Unmarshal(raw, &t) == nil {
			return bundleTime(t)
		}
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return s.T("value.yes")
		}
		return s.T("value.no")
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if str, ok := e.(string); ok {
				out = append(out, str)
			} else {
				b, _ := json.Marshal(e)
				out = append(out, string(b))
			}
		}
		return strings.Join(out, ", ")
	}
	return string(raw)
}

// bundleColumns lays out a grid row: a fixed first column (the field's
// label), then n equal columns (the versions).
type bundleColumns struct{ n int }

func (l *bundleColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	pad := theme.Padding()
	first := float32(bundleLabelWidth)
	if first > size.Width/3 {
		first = size.Width / 3
	}
	w := (size.Width - first - pad*float32(l.n)) / float32(l.n)
	x := float32(0)
	for i, o := range objs {
		cw := w
		if i == 0 {
			cw = first
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(cw, size.Height))
		x += cw + pad
	}
}

func (l *bundleColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h, w float32
	for i, o := range objs {
		m := o.MinSize()
		h = max(h, m.Height)
		if i > 0 {
			w = max(w, m.Width)
		}
	}
	return fyne.NewSize(bundleLabelWidth+float32(l.n)*(w+theme.Padding()), h)
}
