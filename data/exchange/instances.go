package exchange

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"registar/data"
	"registar/data/i18n"
)

// ODK Collect keeps each filled form as instances/<form>_<date>/<form>_<date>.xml
// (with its photos beside it). The root element carries the form's id
// and version; its children are the questions, nested in their groups,
// and meta/instanceID is the submission's ID:
//
//	<data id="registar-persons" version="2026120701">
//	  <osobni_podaci><given_name>Amra</given_name>…</osobni_podaci>
//	  <meta><instanceID>uuid:…</instanceID></meta>
//	</data>

// FormatXML is the format of a sheet read from ODK Collect's instance files.
const FormatXML Format = "xml"

// Limits on one instance file: a person's submission is a few kB.
const (
	maxInstanceSize  = 4 << 20
	maxInstanceDepth = 64
	maxInstanceNodes = 100_000
)

// instance is one submission read from its XML.
type instance struct {
	formID, version string
	instanceID      string
	leaves          []leaf // the questions answered, in document order
	when            time.Time
	form            bool // an XForm (a form's definition), not a submission
}

type leaf struct{ name, value string }

// errNotSubmission is an XML file that is not a form's submission.
var errNotSubmission = errors.New("not a submission of an ODK form")

// parseInstance reads a submission. encoding/xml expands only the five
// predefined entities and refuses any other reference, so a "billion
// laughs" file is an error, not a blown-up string; a DOCTYPE, which ODK
// never writes, is refused outright.
func parseInstance(b []byte) (inst *instance, err error) {
	defer func() {
		if r := recover(); r != nil {
			inst, err = nil, fmt.Errorf("%v", r)
		}
	}()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	inst = &instance{}
	type open struct {
		name     string
		space    string // the prefix as written
		children bool
		text     strings.Builder
	}
	var stack []*open
	nodes := 0
	for {
		// RawToken skips namespace bookkeeping a submission does not need
		// (a third of the time); end tags are matched below instead.
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if nodes++; nodes > maxInstanceNodes {
			return nil, errors.New("too many elements")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errors.New("it declares a DOCTYPE, which ODK never writes")
		case xml.StartElement:
			if len(stack) >= maxInstanceDepth {
				return nil, errors.New("nested too deep")
			}
			if len(stack) == 0 {
				if inst.formID != "" || inst.form {
					return nil, errors.New("more than one root element")
				}
				if t.Name.Local == "html" {
					inst.form = true
				}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "id":
						inst.formID = strings.TrimSpace(a.Value)
					case "version":
						inst.version = strings.TrimSpace(a.Value)
					case "encrypted":
						if a.Value == "yes" {
							return nil, errors.New("the submission is encrypted")
						}
					}
				}
			} else {
				stack[len(stack)-1].children = true
			}
			stack = append(stack, &open{name: t.Name.Local, space: t.Name.Space})
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("an end tag without its start")
			}
			top := stack[len(stack)-1]
			if t.Name.Local != top.name || t.Name.Space != top.space {
				return nil, fmt.Errorf("element <%s> is closed by </%s>", top.name, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
			if top.children || len(stack) == 0 {
				continue
			}
			v := cleanCell(top.text.String())
			switch {
			case top.name == "instanceID" && stack[len(stack)-1].name == "meta":
				inst.instanceID = v
			case v != "":
				inst.leaves = append(inst.leaves, leaf{top.name, v})
			}
		}
	}
	if len(stack) != 0 {
		return nil, errors.New("the file ends too early")
	}
	if inst.form {
		return inst, nil
	}
	if inst.formID == "" {
		return nil, errNotSubmission
	}
	for _, name := range []string{"end", "start", "timeEnd", "timeStart"} {
		for _, l := range inst.leaves {
			if l.name == name && inst.when.IsZero() {
				inst.when = submissionTime(l.value, false, false)
			}
		}
	}
	return inst, nil
}

// collectDate is the time in Collect's names of instance folders and
// files: registar-persons_2026-12-01_10-22-33.
var collectDate = regexp.MustCompile(`_(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})`)

func timeFromName(p string) time.Time {
	m := collectDate.FindStringSubmatch(p)
	if m == nil {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", m[1]+" "+m[2]+":"+m[3]+":"+m[4], time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}

// instanceFile is one .xml file of a folder and what became of it.
type instanceFile struct {
	rel  string // path from the folder, with forward slashes
	inst *instance
	err  error
}

// readInstanceFolder reads every submission .xml under dir, however deep.
// A file of another form is counted, a file that cannot be read is listed
// with its reason; the others are the rows, one per file.
func readInstanceFolder(dir string, opt ReadOptions) (*Sheet, error) {
	var files []instanceFile
	var mtimes []time.Time
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // an unreadable subfolder is passed over
		}
		if !d.Type().IsRegular() || !strings.EqualFold(filepath.Ext(p), ".xml") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, instanceFile{rel: filepath.ToSlash(rel)})
		info, err := d.Info()
		if err != nil {
			mtimes = append(mtimes, time.Time{})
			return nil
		}
		mtimes = append(mtimes, info.ModTime())
		if len(files) > opt.MaxRows {
			return ErrTooLarge
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Sort(byRel{files, mtimes})
	readInstances(dir, files)

	kinds := map[data.Kind]int{}
	for _, f := range files {
		if f.inst != nil && !f.inst.form {
			kinds[KindOfForm(f.inst.formID)]++
		}
	}
	// The form most submissions are of; a folder rarely mixes two.
	kind, most := data.Kind(""), 0
	for _, k := range formKinds {
		if kinds[k] > most {
			most = kinds[k]
			kind = k
		}
	}
	origin := &Origin{Kind: OriginInstances, FormID: formIDs[kind]}
	var others []string
	var picked []int
	for i, f := range files {
		switch {
		case f.err != nil:
			origin.Unreadable = append(origin.Unreadable, f.rel+": "+errText(f.err, opt.Lang))
		case f.inst.form:
			// A form's definition copied along with the instances.
		case KindOfForm(f.inst.formID) == kind && kind != "":
			origin.Submissions++
			picked = append(picked, i)
			if f.inst.when.IsZero() {
				f.inst.when = timeFromName(f.rel)
			}
			if f.inst.when.IsZero() {
				f.inst.when = mtimes[i]
			}
			files[i] = f
		default:
			origin.Submissions++
			origin.OtherForm++
			if !slices.Contains(others, f.inst.formID) && len(others) < 3 {
				others = append(others, f.inst.formID)
			}
		}
	}
	if len(picked) == 0 {
		switch {
		case origin.OtherForm > 0:
			return nil, &SourceError{key: keyOtherForms, origin: OriginInstances, n: origin.OtherForm, param: strings.Join(others, ", ")}
		case len(origin.Unreadable) > 0:
			return nil, &SourceError{key: keyNoneReadable, origin: OriginInstances, n: len(origin.Unreadable), param: origin.Unreadable[0]}
		}
		return nil, &SourceError{key: keyNoSubmissions, origin: OriginInstances, param: filepath.Base(dir)}
	}
	insts := make([]*instance, len(picked))
	where := make([]string, len(picked))
	for j, i := range picked {
		insts[j], where[j] = files[i].inst, files[i].rel
	}
	sh := instancesSheet(kind, insts, where, origin)
	sh.File = filepath.Base(dir)
	return sh, nil
}

// readInstances reads and parses the files, on every core: a phone's
// folder of 5,000 submissions is 5,000 small files.
func readInstances(dir string, files []instanceFile) {
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files[i].inst, files[i].err = readInstance(filepath.Join(dir, filepath.FromSlash(files[i].rel)))
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
}

// readInstance reads one file, refusing one larger than maxInstanceSize
// without reading it.
func readInstance(p string) (*instance, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, reason("fieldimport.reason.cannot_open")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInstanceSize+1))
	if err != nil {
		return nil, reason("fieldimport.reason.cannot_open")
	}
	if len(b) > maxInstanceSize {
		return nil, reason("fieldimport.reason.too_large")
	}
	inst, err := parseInstance(b)
	if err != nil {
		if errors.Is(err, errNotSubmission) {
			return nil, reason("fieldimport.reason.not_submission")
		}
		return nil, reason("fieldimport.reason.damaged", "param", err.Error())
	}
	return inst, nil
}

type byRel struct {
	files  []instanceFile
	mtimes []time.Time
}

func (s byRel) Len() int           { return len(s.files) }
func (s byRel) Less(i, j int) bool { return s.files[i].rel < s.files[j].rel }
func (s byRel) Swap(i, j int) {
	s.files[i], s.files[j] = s.files[j], s.files[i]
	s.mtimes[i], s.mtimes[j] = s.mtimes[j], s.mtimes[i]
}

// readInstanceFile reads one submission .xml given as a file.
func readInstanceFile(b []byte, name string) (*Sheet, error) {
	if len(b) > maxInstanceSize {
		return nil, ErrTooLarge
	}
	inst, err := parseInstance(b)
	switch {
	case errors.Is(err, errNotSubmission):
		return nil, &SourceError{key: keyNoSubmissions, origin: OriginInstances, param: name}
	case err != nil:
		return nil, &SourceError{key: keyNoneReadable, origin: OriginInstances, n: 1, param: name + ": " + err.Error()}
	case inst.form:
		return nil, &SourceError{key: keyNoSubmissions, origin: OriginInstances, param: name}
	}
	kind := KindOfForm(inst.formID)
	if kind == "" {
		return nil, &SourceError{key: keyOtherForms, origin: OriginInstances, n: 1, param: inst.formID}
	}
	if inst.when.IsZero() {
		inst.when = timeFromName(name)
	}
	origin := &Origin{Kind: OriginInstances, FormID: formIDs[kind], Submissions: 1}
	return instancesSheet(kind, []*instance{inst}, []string{name}, origin), nil
}

// instancesSheet lays the submissions of one kind out as a tidy sheet: a
// column for each field some submission answers.
func instancesSheet(kind data.Kind, insts []*instance, where []string, origin *Origin) *Sheet {
	// The field each question name fills, decided once per name.
	fieldOfName := map[string]string{}
	used := map[string]bool{}
	for _, inst := range insts {
		for _, l := range inst.leaves {
			f, seen := fieldOfName[l.name]
			if !seen {
				f = ""
				if !koboMeta[l.name] {
					f = questionField(kind, l.name, "")
				}
				fieldOfName[l.name] = f
			}
			if f != "" {
				used[f] = true
			}
		}
	}
	var cols []*formColumn
	at := map[string]int{}
	for _, f := range kindFields[kind] {
		if used[f.Name] {
			at[f.Name] = len(cols)
			cols = append(cols, &formColumn{index: len(cols), field: f})
		}
	}
	out := newTidy(kind, cols)
	var newest time.Time
	for i, inst := range insts {
		values := make([]string, len(cols))
		for _, l := range inst.leaves {
			if f := fieldOfName[l.name]; f != "" && values[at[f]] == "" {
				values[at[f]] = l.value
			}
		}
		for j, c := range cols {
			if c.field.typ == typeCodes {
				values[j] = spacedCodes(c.field.group, values[j])
			}
		}
		if inst.version != "" && (origin.FormVersion == "" || !inst.when.Before(newest)) {
			origin.FormVersion, newest = inst.version, inst.when
		}
		out.add(Row{N: i + 1, Submission: inst.instanceID, Where: where[i]}, values, inst.when)
	}
	return &Sheet{Format: FormatXML, HeaderRow: 1, Header: out.header, Rows: out.rows, Origin: origin}
}

// reasonError is why one file of a folder is skipped, said in any language.
type reasonError struct {
	key  string
	args []string
}

func reason(key string, args ...string) error { return &reasonError{key, args} }

func (e *reasonError) Error() string { return e.Message(i18n.EN) }

// Message is the reason in the language.
func (e *reasonError) Message(l i18n.Lang) string { return i18n.T(l, e.key, e.args...) }

// errText is an error's text in the language when it can say itself in
// one (reasonError, PDFFormError), else its own.
func errText(err error, l i18n.Lang) string {
	msg, _ := i18n.ErrorMessage(err, l)
	return msg
}
