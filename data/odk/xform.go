package odk

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"

	"registar/data/i18n"
)

// The XForm is written as pyxform writes the form's XLSForm (ODK XForms
// 1.0, https://getodk.github.io/xforms-spec/): every label, hint and
// message through itext in the six languages, the default marked
// default="true()"; each choice list a secondary instance whose items carry
// an itextId ("gender-0") and a name, read by an itemset; text ids as
// pyxform makes them ("/data/given_name:label",
// "/data/email:jr:constraintMsg"); meta/instanceID preloaded with a uid.

// root is the name of the primary instance's root element, pyxform's default.
const root = "data"

// Namespaces of an ODK XForm, as pyxform declares them.
var namespaces = []string{
	"xmlns", "http://www.w3.org/2002/xforms",
	"xmlns:ev", "http://www.w3.org/2001/xml-events",
	"xmlns:h", "http://www.w3.org/1999/xhtml",
	"xmlns:jr", "http://openrosa.org/javarosa",
	"xmlns:odk", "http://www.opendatakit.org/xforms",
	"xmlns:orx", "http://openrosa.org/xforms",
	"xmlns:xsd", "http://www.w3.org/2001/XMLSchema",
}

// xmlWriter writes indented XML as pyxform does: apostrophes left as they
// are in attributes (jr:itext('…') stays readable), empty elements closed
// with "/>". encoding/xml would write &#39; and <a></a>.
type xmlWriter struct {
	w     *bufio.Writer
	depth int
	err   error
}

// start opens an element; attributes come as name, value pairs, and an
// empty value leaves its attribute out.
func (x *xmlWriter) start(name string, pairs ...string) {
	x.open(name, pairs)
	x.put(">\n")
	x.depth++
}

func (x *xmlWriter) end(name string) {
	x.depth--
	x.indent()
	x.put("</" + name + ">\n")
}

// leaf is an element with text (perhaps none) and no children.
func (x *xmlWriter) leaf(name, text string, pairs ...string) {
	x.open(name, pairs)
	if text == "" {
		x.put("/>\n")
		return
	}
	x.put(">")
	x.put(escape(text, false))
	x.put("</" + name + ">\n")
}

func (x *xmlWriter) open(name string, pairs []string) {
	x.indent()
	x.put("<" + name)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			x.put(" " + pairs[i] + `="` + escape(pairs[i+1], true) + `"`)
		}
	}
}

func (x *xmlWriter) indent() {
	for i := 0; i < x.depth; i++ {
		x.put("  ")
	}
}

func (x *xmlWriter) put(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// escape makes text or an attribute value safe: the markup characters
// escaped (quotes and line breaks too in an attribute), and the runes XML
// 1.0 does not allow at all (control characters a locality's name might
// carry from a pasted sheet) dropped.
func escape(s string, attr bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case attr && r == '"':
			b.WriteString("&quot;")
		case attr && r == '\n':
			b.WriteString("&#10;")
		case attr && r == '\t':
			b.WriteString("&#9;")
		case r == '\r':
			b.WriteString("&#13;")
		case !xmlChar(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether XML 1.0 allows the rune.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// ref is the path of a question in the primary instance.
func ref(name string) string { return "/" + root + "/" + name }

var xlsRef = regexp.MustCompile(`\$\{([^}]+)\}`)

// xpath turns XLSForm's ${name} into the question's path, padded with
// spaces as pyxform pads it.
func xpath(expr string) string { return xlsRef.ReplaceAllString(expr, " /"+root+"/$1 ") }

// itext is the reference to a text of the itext dictionary.
func itext(id string) string { return "jr:itext('" + id + "')" }

// bindType is a question's type in its bind.
func bindType(t Type) string {
	switch t {
	case Date:
		return "date"
	case Integer:
		return "int"
	}
	return "string"
}

// WriteXForm writes the form as an ODK XForm.
func (f *Form) WriteXForm(w io.Writer) error {
	x := &xmlWriter{w: bufio.NewWriter(w)}
	x.put(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")

	x.start("h:html", namespaces...)
	x.start("h:head")
	x.leaf("h:title", f.Title)
	x.start("model", "odk:xforms-version", "1.0.0")
	f.writeItext(x)

	x.start("instance")
	x.start(root, "id", f.ID, "version", f.Version)
	for _, q := range f.Questions {
		x.leaf(q.Name, "")
	}
	x.start("meta")
	x.leaf("instanceID", "")
	x.leaf("instanceName", "")
	x.end("meta")
	x.end(root)
	x.end("instance")
	for _, l := range f.Lists {
		x.start("instance", "id", l.Name)
		x.start("root")
		for i, c := range l.Choices {
			x.start("item")
			x.leaf("itextId", l.Name+"-"+strconv.Itoa(i))
			x.leaf("name", c.Name)
			x.end("item")
		}
		x.end("root")
		x.end("instance")
	}

	for _, q := range f.Questions {
		p := ref(q.Name)
		b := []string{"nodeset", p, "type", bindType(q.Type)}
		if q.Type == Note {
			b = append(b, "readonly", "true()")
		}
		if q.Required {
			b = append(b, "required", "true()")
			if q.RequiredMsg != nil {
				b = append(b, "jr:requiredMsg", itext(p+":jr:requiredMsg"))
			}
		}
		if q.Constraint != "" {
			b = append(b, "constraint", xpath(q.Constraint), "jr:constraintMsg", itext(p+":jr:constraintMsg"))
		}
		if q.Calculate != "" {
			b = append(b, "calculate", xpath(q.Calculate))
		}
		x.leaf("bind", "", b...)
	}
	x.leaf("bind", "", "nodeset", ref("meta/instanceID"), "type", "string", "readonly", "true()", "jr:preload", "uid")
	if f.InstanceName != "" {
		x.leaf("bind", "", "nodeset", ref("meta/instanceName"), "type", "string", "calculate", xpath(f.InstanceName))
	}
	x.end("model")
	x.end("h:head")

	x.start("h:body")
	for _, q := range f.Questions {
		el := "input"
		switch q.Type {
		case Calculate:
			continue
		case SelectOne:
			el = "select1"
		case SelectMultiple:
			el = "select"
		}
		p := ref(q.Name)
		x.start(el, "ref", p, "appearance", q.Appearance)
		x.leaf("label", "", "ref", itext(p+":label"))
		if q.Hint != nil {
			x.leaf("hint", "", "ref", itext(p+":hint"))
		}
		if q.List != "" {
			x.start("itemset", "nodeset", "instance('"+q.List+"')/root/item")
			x.leaf("value", "", "ref", "name")
			x.leaf("label", "", "ref", "jr:itext(itextId)")
			x.end("itemset")
		}
		x.end(el)
	}
	x.end("h:body")
	x.end("h:html")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

// writeItext writes the dictionary: one translation per language, the
// default first, with the same text ids in each.
func (f *Form) writeItext(x *xmlWriter) {
	x.start("itext")
	order := append([]i18n.Lang{f.Lang}, without(Languages, f.Lang)...)
	for _, l := range order {
		def := ""
		if l == f.Lang {
			def = "true()"
		}
		x.start("translation", "lang", LanguageName(l), "default", def)
		text := func(id, value string) {
			x.start("text", "id", id)
			x.leaf("value", value)
			x.end("text")
		}
		for _, q := range f.Questions {
			p := ref(q.Name)
			if q.Label != nil {
				text(p+":label", q.Label[l])
			}
			if q.Hint != nil {
				text(p+":hint", q.Hint[l])
			}
			if q.Required && q.RequiredMsg != nil {
				text(p+":jr:requiredMsg", q.RequiredMsg[l])
			}
			if q.Constraint != "" {
				text(p+":jr:constraintMsg", q.ConstraintMsg[l])
			}
		}
		for _, list := range f.Lists {
			for i, c := range list.Choices {
				text(list.Name+"-"+strconv.Itoa(i), c.Label[l])
			}
		}
		x.end("translation")
	}
	x.end("itext")
}

// without is langs less one.
func without(langs []i18n.Lang, drop i18n.Lang) []i18n.Lang {
	out := make([]i18n.Lang, 0, len(langs))
	for _, l := range langs {
		if l != drop {
			out = append(out, l)
		}
	}
	return out
}
