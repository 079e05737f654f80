package data

import "errors"

// RecordSource gives every record of a kind, as the store's Each does
// (trashed ones too).
type RecordSource interface {
	Each(k Kind, fn func(Record) error) error
}

// InvalidPhone is a record holding a phone number that IsValidNumber
// refuses: stored before numbers were checked, or merged from a laptop
// that did not check them.
type InvalidPhone struct {
	ID    string
	Kind  Kind
	Title string
	// Phone is the number as stored.
	Phone string
	// Country is the record's country of residence ("" for a locality).
	Country string
	// Err says what is wrong with it (PhoneInvalid, PhoneUnknownCode, or,
	// for a number not in E.164, why it cannot be read).
	Err *PhoneError
}

// InvalidPhones lists the records of src, not in the trash, whose phone
// number is not valid, in the order of data.Kinds and then src's. office is
// the office's phone region (for a number not in E.164, which is read as
// Normalize would).
func InvalidPhones(src RecordSource, office string) ([]InvalidPhone, error) {
	var out []InvalidPhone
	for _, k := range Kinds {
		err := src.Each(k, func(r Record) error {
			p := phoneOf(r)
			if p == nil || *p == "" || r.Base().Trashed() || validE164(*p) {
				return nil
			}
			bad := InvalidPhone{ID: r.Base().ID, Kind: k, Title: r.Title(), Phone: *p, Country: residenceOf(r)}
			_, err := ReadPhone(*p, bad.Country, office)
			if errors.As(err, &bad.Err) {
				out = append(out, bad)
			}
			// else: not in E.164 but a valid number as written, which
			// the next save normalises; nothing to correct.
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
