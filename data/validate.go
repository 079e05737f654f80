package data

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/bs"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/hr"
	"github.com/go-playground/locales/sq"
	"github.com/go-playground/locales/sr_Cyrl"
	"github.com/go-playground/locales/sr_Latn"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"

	"registar/data/i18n"
)

// The rules of a valid record are the `validate` struct tags in model.go,
// checked by go-playground/validator. Besides validator's own tags
// (required, max, min, email, e164, url, oneof, dive, omitempty) the model
// uses these, registered here:
//
//	adult        a person's date of birth: an alias for
//	             "required,date,notfuture,minage=18", so each part fails
//	             with its own message; the age is taken on the registration
//	             date (Meta.CreatedAt's date, or today for a new record)
//	date         a real calendar date (no 31.02.)
//	notfuture    a date not after today
//	minage=N     at least N years old on the registration date
//	country      an ISO 3166-1 alpha-2 code of a real country (see isCountryCode)
//	year         a year from MinYear to the current year
//	link=<kind>  the ID of a record of that kind: never empty, and, when
//	             Validate is given a LinkChecker, a record that exists
//	e164         replaces validator's own (which checks only the shape): a
//	             phone number in E.164 that libphonenumber finds valid, see
//	             validPhone
//
// Every message comes from the catalogue (data/i18n/catalog/validation.*.json)
// through universal-translator, one translator per language, and names the
// field by its label (fields.*.json).

// MinYear is the earliest year the `year` rule accepts.
const MinYear = 1900

// MinAge is the age a person must have reached on the registration date.
const MinAge = 18

// FieldError is one broken rule, ready to show next to the field.
type FieldError struct {
	// Field is the JSON path of the field: "email", "owners[0].person_id",
	// "consent_publish.how", "interests[2]".
	Field string
	// Tag is the rule that failed: "required", "max", "email", "link", …
	// For the `adult` rule it is the part that failed: "required", "date",
	// "notfuture" or "minage".
	Tag string
	// Param is the rule's parameter as written in the tag ("100", "f m",
	// "person", "18"), or "".
	Param string
	// Message is the sentence for the user, in the language asked for,
	// naming the field by its translated label.
	Message string
}

// ValidationError lists everything wrong with one record.
type ValidationError struct {
	Kind   Kind
	Errors []FieldError
}

// Error joins the messages with "; ".
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Message
	}
	return strings.Join(msgs, "; ")
}

// LinkChecker reports whether a record of kind k with the ID exists. The
// store passes one; with nil, links are only checked for being non-empty.
type LinkChecker func(k Kind, id string) bool

// now is the clock of the date rules; tests may move it.
var now = time.Now

type linksKey struct{}

var (
	validOnce   sync.Once
	validInst   *validator.Validate
	translators map[i18n.Lang]ut.Translator
	validErr    error
)

// ValidateOption tells Validate more about the record's place.
type ValidateOption func(*phoneCheck)

// WithOffice gives the office's phone region ("BA", "XK"), the second
// country a number without a country code is read in: the message about a
// number valid in neither names it (DefaultRegion without this option).
func WithOffice(region string) ValidateOption {
	return func(c *phoneCheck) { c.office = region }
}

// WithStored gives the version of the record in the registry (nil: none).
// A phone number it already holds is not a new number: it is held to the
// shape of E.164 only, so that a record saved before numbers were checked
// can still be saved with other changes without a word about its phone
// (InvalidPhones lists those numbers for correction), and an unchanged
// number is not parsed again at every save.
func WithStored(old Record) ValidateOption {
	return func(c *phoneCheck) {
		if old == nil || reflect.ValueOf(old).IsNil() {
			return
		}
		if p := phoneOf(old); p != nil {
			c.stored = *p
		}
	}
}

// AsMerged says the record is a version written on another laptop and
// merged as it is (the store's ApplyMerge): its phone number is held to the
// shape of E.164 only. It was read where it was typed, and merging must
// never depend on which version of these rules each laptop runs.
func AsMerged() ValidateOption {
	return func(c *phoneCheck) { c.asMerged = true }
}

// phoneCheck is what the e164 rule knows besides the number.
type phoneCheck struct {
	office   string
	stored   string // the number the registry holds for the record
	asMerged bool
}

type phoneKey struct{}

// Validate checks a record against the rules in its struct tags and returns
// nil or a *ValidationError whose messages are in lang. With links, every
// link=<kind> field must point to an existing record. Safe for concurrent use.
func Validate(r Record, lang i18n.Lang, links LinkChecker, opts ...ValidateOption) error {
	if r == nil || reflect.ValueOf(r).IsNil() {
		return errors.New("validate: no record")
	}
	validOnce.Do(buildValidator)
	if validErr != nil {
		return validErr
	}
	pc := &phoneCheck{}
	for _, o := range opts {
		o(pc)
	}
	ctx := context.WithValue(context.Background(), linksKey{}, links)
	ctx = context.WithValue(ctx, phoneKey{}, pc)
	err := validInst.StructCtx(ctx, r)
	extra := recordRules(r, lang, links)
	if err == nil {
		if len(extra) == 0 {
			return nil
		}
		return &ValidationError{Kind: KindOf(r), Errors: extra}
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	trans := translatorFor(lang)
	out := &ValidationError{Kind: KindOf(r)}
	defer func() { out.Errors = append(out.Errors, extra...) }()
	for _, fe := range ves {
		msg := ""
		if fe.ActualTag() == "e164" {
			msg = phoneMessage(r, fe, lang, pc.office)
		}
		if msg == "" {
			msg = fe.Translate(trans)
		}
		out.Errors = append(out.Errors, FieldError{
			Field:   jsonPath(fe.Namespace()),
			Tag:     fe.ActualTag(),
			Param:   fe.Param(),
			Message: msg,
		})
	}
	return out
}

// validPhone is the e164 rule: a number in E.164 that is valid in its
// country. Normalize has read what was typed (ReadPhone); what is left
// not in E.164 could not be read. A number the registry already holds, or
// a version merged from another laptop, is held to the shape only (see
// WithStored and AsMerged).
func validPhone(ctx context.Context, fl validator.FieldLevel) bool {
	s := fl.Field().String()
	if !isE164(s) {
		return false
	}
	if pc, _ := ctx.Value(phoneKey{}).(*phoneCheck); pc != nil && (pc.asMerged || pc.stored == s) {
		return true
	}
	return validE164(s)
}

// phoneMessage explains a refused phone number with ReadPhone's reasons,
// naming the countries it was tried in; "" when it reads well (the number
// was not normalised: the generic e164 message says how to write it).
func phoneMessage(r Record, fe validator.FieldError, lang i18n.Lang, office string) string {
	s, _ := fe.Value().(string)
	_, err := ReadPhone(s, residenceOf(r), office)
	var pe *PhoneError
	if !errors.As(err, &pe) {
		return ""
	}
	return i18n.T(lang, "phone.field", "field", FieldLabel(jsonPath(fe.Namespace()), lang), "reason", pe.Message(lang))
}

// FieldLabel is the translated label of a field, given by its JSON name
// ("given_name" → "Ime") or by a path as FieldError.Field has it:
// "owners[0].person_id" → "Vlasnici (1) – Osoba". A name without a label
// comes back as it is.
func FieldLabel(field string, lang i18n.Lang) string {
	if field == "" {
		return ""
	}
	segs := strings.Split(field, ".")
	labels := make([]string, 0, len(segs))
	for _, seg := range segs {
		name, idx := seg, ""
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			name, idx = seg[:i], seg[i+1:len(seg)-1]
		}
		label := name
		if key := "field." + name; i18n.Has(i18n.EN, key) {
			label = i18n.T(lang, key)
		}
		if idx != "" {
			if n, err := strconv.Atoi(idx); err == nil {
				idx = strconv.Itoa(n + 1) // people count from 1
			}
			label += " (" + idx + ")"
		}
		labels = append(labels, label)
	}
	return strings.Join(labels, " – ")
}

// jsonPath turns validator's namespace ("Business.owners[0].person_id",
// "Person.Meta.source") into the record's JSON path ("owners[0].person_id",
// "source"): the type name goes, and so does the embedded Meta, whose fields
// JSON writes at the top level.
func jsonPath(ns string) string {
	segs := strings.Split(ns, ".")
	if len(segs) > 1 {
		segs = segs[1:]
	}
	out := segs[:0]
	for _, s := range segs {
		if s != "Meta" {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

// Locale is the go-playground/locales translator of each language: how the
// validator's messages (and the phone forms' copies of them) write numbers.
func Locale(l i18n.Lang) locales.Translator {
	switch l {
	case i18n.BS:
		return bs.New()
	case i18n.HR:
		return hr.New()
	case i18n.SR:
		return sr_Cyrl.New()
	case i18n.SRLatn:
		return sr_Latn.New()
	case i18n.SQ:
		return sq.New()
	}
	return en.New()
}

// translatorFor is the universal-translator translator of a language;
// an unknown language gets English.
func translatorFor(l i18n.Lang) ut.Translator {
	if t, ok := translators[l]; ok {
		return t
	}
	return translators[i18n.EN]
}

// ruleKeys lists, for every tag that can fail, the catalogue keys of its
// messages. Every one of them is registered for every language.
var ruleKeys = map[string][]string{
	"required":  {"validate.required"},
	"max":       {"validate.max.string", "validate.max.number", "validate.max.items"},
	"min":       {"validate.min.string", "validate.min.number", "validate.min.items"},
	"email":     {"validate.email"},
	"e164":      {"validate.e164"},
	"url":       {"validate.url"},
	"oneof":     {"validate.oneof"},
	"country":   {"validate.country"},
	"year":      {"validate.year"},
	"link":      {"validate.link.empty", "validate.link.missing"},
	"adult":     {"validate.adult.required", "validate.date", "validate.notfuture", "validate.minage"},
	"date":      {"validate.date"},
	"notfuture": {"validate.notfuture"},
	"minage":    {"validate.minage"},
	"datetime":  {"activity.validate.time"},
}

func buildValidator() {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// A Date is validated as its ISO text, "" when not given, so that
	// required and omitempty see an empty date as empty.
	v.RegisterCustomTypeFunc(func(f reflect.Value) any {
		d, _ := f.Interface().(Date)
		return d.String()
	}, Date{})

	rules := map[string]validator.FuncCtx{
		"date":      func(_ context.Context, fl validator.FieldLevel) bool { _, ok := fieldDate(fl); return ok },
		"notfuture": validNotFuture,
		"minage":    validMinAge,
		"country":   func(_ context.Context, fl validator.FieldLevel) bool { return isCountryCode(fl.Field().String()) },
		"year":      validYear,
		"link":      validLink,
		"e164":      validPhone,
	}
	for tag, fn := range rules {
		if err := v.RegisterValidationCtx(tag, fn); err != nil {
			validErr = fmt.Errorf("validate: register %s: %w", tag, err)
			return
		}
	}
	v.RegisterAlias("adult", "required,date,notfuture,minage="+strconv.Itoa(MinAge))

	uni := ut.New(en.New(), en.New(), bs.New(), hr.New(), sr_Cyrl.New(), sr_Latn.New(), sq.New())
	translators = map[i18n.Lang]ut.Translator{}
	for _, lang := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		trans, ok := uni.GetTranslator(Locale(lang).Locale())
		if !ok {
			validErr = fmt.Errorf("validate: no translator for %s", lang)
			return
		}
		translators[lang] = trans
		for tag, keys := range ruleKeys {
			if err := v.RegisterTranslation(tag, trans, registerKeys(lang, keys), translateFunc(lang)); err != nil {
				validErr = fmt.Errorf("validate: translation %s/%s: %w", lang, tag, err)
				return
			}
		}
	}
	validInst = v
}

// registerKeys adds the catalogue texts to a translator, with the
// catalogue's {field} and {param} turned into universal-translator's {0}, {1}.
func registerKeys(lang i18n.Lang, keys []string) validator.RegisterTranslationsFunc {
	return func(trans ut.Translator) error {
		for _, k := range keys {
			if !i18n.Has(lang, k) {
				return fmt.Errorf("catalogue has no %q in %s", k, lang)
			}
			text := strings.NewReplacer("{field}", "{0}", "{param}", "{1}").Replace(i18n.T(lang, k))
			if err := trans.Add(k, text, true); err != nil {
				return err
			}
		}
		return nil
	}
}

// translateFunc writes the message of a failed rule in lang.
func translateFunc(lang i18n.Lang) validator.TranslationFunc {
	return func(trans ut.Translator, fe validator.FieldError) string {
		path := jsonPath(fe.Namespace())
		key, param := messageKey(fe, path, lang, trans)
		msg, err := trans.T(key, FieldLabel(path, lang), param)
		if err != nil {
			return fe.Error()
		}
		return msg
	}
}

// messageKey picks the catalogue key of a failed rule and fills its
// parameter the way a reader wants it: numbers in the language's format,
// allowed values and record kinds by their translated names.
func messageKey(fe validator.FieldError, path string, lang i18n.Lang, trans ut.Translator) (key, param string) {
	tag, param := fe.ActualTag(), fe.Param()
	switch tag {
	case "required":
		if fe.Tag() == "adult" {
			return "validate.adult.required", ""
		}
		return "validate.required", ""
	case "min", "max":
		switch fe.Kind() {
		case reflect.String:
			key = "validate." + tag + ".string"
		case reflect.Slice, reflect.Array, reflect.Map:
			key = "validate." + tag + ".items"
		default:
			key = "validate." + tag + ".number"
		}
		if n, err := strconv.ParseFloat(param, 64); err == nil {
			param = trans.FmtNumber(n, 0)
		}
		return key, param
	case "oneof":
		return "validate.oneof", allowedValues(path, param, lang)
	case "year":
		return "validate.year", strconv.Itoa(now().Year())
	case "datetime":
		return "activity.validate.time", ""
	case "link":
		kind := i18n.T(lang, "kind."+param)
		if s, ok := fe.Value().(string); ok && s == "" {
			return "validate.link.empty", kind
		}
		return "validate.link.missing", kind
	}
	return "validate." + tag, param
}

// valueGroups maps a field with a closed list of values to the group of
// its labels in values.<lang>.json.
var valueGroups = map[string]string{
	"gender":        "gender",
	"education":     "education",
	"interests":     "interest",
	"org_kind":      "org_kind",
	"locality_kind": "locality_kind",
	"share":         "share",
	"how":           "consent_how",
	"source":        "source",
	"generation":    "generation",
	"activity_kind": GroupActivityKind,
	"status":        GroupParticipation,
	"role":          GroupRole,
	"response":      GroupCommentResponse,
	"withdrawn_how": "consent_how",
	"channel":       GroupChannel,
	"result":        GroupDeliveryStatus,
}

// allowedValues lists a oneof's values by their labels: "f m" for gender is
// "Ženski, Muški" in Bosnian.
func allowedValues(path, param string, lang i18n.Lang) string {
	last := path
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	group := valueGroups[last]
	vals := strings.Fields(param)
	for i, v := range vals {
		if group != "" {
			vals[i] = ValueLabel(group, v, lang)
		}
	}
	return strings.Join(vals, ", ")
}

// fieldDate reads the field of a date rule: a Date (as its ISO text, see
// the custom type) or a string a person typed.
func fieldDate(fl validator.FieldLevel) (Date, bool) {
	f := fl.Field()
	if f.Kind() != reflect.String {
		if d, ok := f.Interface().(Date); ok {
			f = reflect.ValueOf(d.String())
		} else {
			return Date{}, false
		}
	}
	d, err := ParseDate(f.String())
	return d, err == nil && !d.IsZero()
}

func validNotFuture(_ context.Context, fl validator.FieldLevel) bool {
	d, ok := fieldDate(fl)
	if !ok {
		return true // not a date: the date rule says so
	}
	return !DateOf(now()).Before(d)
}

func validMinAge(_ context.Context, fl validator.FieldLevel) bool {
	d, ok := fieldDate(fl)
	if !ok {
		return true
	}
	n, err := strconv.Atoi(fl.Param())
	if err != nil {
		return false
	}
	return d.AgeOn(registrationDate(fl.Top())) >= n
}

// registrationDate is the date a record was registered: the date of its
// Meta.CreatedAt, or today for a record not saved yet.
func registrationDate(top reflect.Value) Date {
	for top.IsValid() && (top.Kind() == reflect.Pointer || top.Kind() == reflect.Interface) {
		if top.IsNil() {
			return DateOf(now())
		}
		top = top.Elem()
	}
	if top.IsValid() && top.Kind() == reflect.Struct {
		if m := top.FieldByName("Meta"); m.IsValid() && m.Type() == reflect.TypeOf(Meta{}) {
			if t := m.Interface().(Meta).CreatedAt; !t.IsZero() {
				return DateOf(t)
			}
		}
	}
	return DateOf(now())
}

func validYear(_ context.Context, fl validator.FieldLevel) bool {
	var y int64
	switch f := fl.Field(); f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		y = f.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		y = int64(f.Uint())
	case reflect.String:
		n, err := strconv.Atoi(strings.TrimSpace(f.String()))
		if err != nil {
			return false
		}
		y = int64(n)
	default:
		return false
	}
	return y >= MinYear && y <= int64(now().Year())
}

func validLink(ctx context.Context, fl validator.FieldLevel) bool {
	id := fl.Field().String()
	if strings.TrimSpace(id) == "" {
		return false
	}
	if links, _ := ctx.Value(linksKey{}).(LinkChecker); links != nil {
		return links(Kind(fl.Param()), id)
	}
	return true
}

// recordRules are the rules of a record that span fields (struct tags see
// one field at a time): an activity's end after its start, a consultation
// only for an activity of that kind and its period in order, each comment's
// sender in the registry; a participation's participant in the registry.
func recordRules(r Record, lang i18n.Lang, links LinkChecker) []FieldError {
	var out []FieldError
	add := func(field, tag, key string, args ...string) {
		out = append(out, FieldError{Field: field, Tag: tag,
			Message: i18n.T(lang, key, append([]string{"field", FieldLabel(field, lang)}, args...)...)})
	}
	switch v := r.(type) {
	case *Activity:
		if !v.Start.IsZero() && !v.End.IsZero() && v.End.Before(v.Start) {
			add("end", "after_start", "activity.validate.end_before_start", "end", v.End.Local(), "start", v.Start.Local())
		} else if (v.End.IsZero() || v.End == v.Start) && v.StartTime != "" && v.EndTime != "" {
			st, err1 := time.Parse("15:04", v.StartTime)
			et, err2 := time.Parse("15:04", v.EndTime)
			if err1 == nil && err2 == nil && et.Before(st) {
				add("end_time", "after_start", "activity.validate.end_time_before_start", "end", v.EndTime, "start", v.StartTime)
			}
		}
		c := v.Consultation
		if c == nil {
			break
		}
		if v.ActivityKind != "consultation" && slices.Contains(ActivityKinds, v.ActivityKind) {
			add("consultation", "consultation_kind", "activity.validate.consultation_kind",
				"kind", ValueLabel(GroupActivityKind, "consultation", lang))
		}
		if !c.From.IsZero() && !c.To.IsZero() && c.To.Before(c.From) {
			add("consultation.to", "after_start", "activity.validate.period", "to", c.To.Local(), "from", c.From.Local())
		}
		for i, cm := range c.Comments {
			n := strconv.Itoa(i + 1)
			path := "consultation.comments[" + strconv.Itoa(i) + "]."
			switch {
			case cm.FromID == "":
			case cm.FromKind == "":
				add(path+"from_kind", "required", "activity.validate.comment_kind", "n", n)
			case links != nil && !links(cm.FromKind, cm.FromID):
				add(path+"from_id", "link", "activity.validate.comment_from", "n", n, "kind", i18n.T(lang, "kind."+string(cm.FromKind)))
			}
		}
	case *Participation:
		switch v.ParticipantKind {
		case KindPerson, KindOrganisation, KindBusiness:
			if v.ParticipantID != "" && links != nil && !links(v.ParticipantKind, v.ParticipantID) {
				add("participant_id", "link", "activity.participant.missing", "kind", i18n.T(lang, "kind."+string(v.ParticipantKind)))
			}
		}
	}
	return out
}
