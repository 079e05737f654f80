package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/widgets"
)

// buildFields adds the inputs of the draft's kind, in the order the paper
// form has them.
func (f *recordForm) buildFields() {
	switch r := f.draft.(type) {
	case *data.Person:
		f.personFields(r)
	case *data.Business:
		f.businessFields(r)
	case *data.Organisation:
		f.organisationFields(r)
	case *data.Locality:
		f.localityFields(r)
	}
}

func (f *recordForm) personFields(p *data.Person) {
	f.section("ui.section.person")
	f.text("given_name", &p.GivenName)
	f.text("family_name", &p.FamilyName)
	f.text("parent_name", &p.ParentName)
	f.choice("gender", data.GroupGender, data.Genders, &p.Gender)
	f.date("birth_date", &p.BirthDate)
	f.section("ui.section.home")
	f.text("home_municipality", &p.HomeMunicipality)
	f.locality("locality_id", &p.LocalityID)
	f.section("ui.section.abroad")
	f.country("country", &p.Country)
	f.text("city", &p.City)
	f.text("address", &p.Address)
	f.text("email", &p.Email)
	f.phone("phone", &p.Phone, &p.Country)
	f.section("ui.section.background")
	f.text("profession", &p.Profession)
	f.choice("education", data.GroupEducation, data.Educations, &p.Education)
	f.number("emigration_year", &p.EmigrationYear)
	f.number("days_home_per_year", &p.DaysHomePerYear)
	f.generation("generation", &p.Generation)
	f.list("languages", &p.Languages)
	f.section("ui.section.interests")
	f.checks("interests", data.GroupInterest, data.Interests, &p.Interests)
	f.multiline("needs", &p.Needs)
	f.list("need_tags", &p.NeedTags)
	f.list("tags", &p.Tags)
	f.section("ui.section.consent")
	f.consent("consent_contact", &p.ConsentContact)
	f.consent("consent_publish", &p.ConsentPublish)
	f.multiline("notes", &p.Notes)
}

func (f *recordForm) businessFields(b *data.Business) {
	f.section("ui.section.business")
	f.text("name", &b.Name)
	f.owners(b)
	f.country("country", &b.Country)
	f.text("city", &b.City)
	f.text("address", &b.Address)
	f.text("sector", &b.Sector)
	f.number("employees", &b.Employees)
	f.text("registration_no", &b.RegistrationNo)
	f.section("ui.section.contact")
	f.text("email", &b.Email)
	f.phone("phone", &b.Phone, &b.Country)
	f.text("website", &b.Website)
	f.boolean("invest_at_home", &b.InvestAtHome)
	f.list("tags", &b.Tags)
	f.section("ui.section.consent")
	f.consent("consent_contact", &b.ConsentContact)
	f.consent("consent_publish", &b.ConsentPublish)
	f.multiline("notes", &b.Notes)
}

func (f *recordForm) organisationFields(o *data.Organisation) {
	f.section("ui.section.organisation")
	f.text("name", &o.Name)
	f.choice("org_kind", data.GroupOrgKind, data.OrganisationKinds, &o.OrgKind)
	f.text("legal_form", &o.LegalForm)
	f.text("registration_no", &o.RegistrationNo)
	f.number("founded_year", &o.FoundedYear)
	f.country("country", &o.Country)
	f.text("city", &o.City)
	f.text("address", &o.Address)
	f.list("areas", &o.Areas)
	f.number("member_count", &o.MemberCount)
	f.section("ui.section.contact")
	f.text("contact_person", &o.ContactPerson)
	f.text("email", &o.Email)
	f.phone("phone", &o.Phone, &o.Country)
	f.text("website", &o.Website)
	f.section("ui.section.links")
	f.link("umbrella_id", data.KindOrganisation, &o.UmbrellaID)
	f.members(o)
	f.list("tags", &o.Tags)
	f.multiline("notes", &o.Notes)
}

func (f *recordForm) localityFields(l *data.Locality) {
	f.section("ui.section.locality")
	f.text("name", &l.Name)
	f.text("municipality", &l.Municipality)
	f.choice("locality_kind", data.GroupLocalityKind, data.LocalityKinds, &l.LocalityKind)
	f.text("council_contact", &l.CouncilContact)
	f.phone("phone", &l.Phone, new(string)) // a locality is where the office is
	f.text("email", &l.Email)
}

// locality picks a person's local community. A name the registry does not
// have is offered to add (“Add “Pećigrad””): a small dialog creates it as
// a local community of the office's municipality (asking for the
// municipality when Settings has none) and picks it.
func (f *recordForm) locality(key string, ptr *string) *widgets.Picker {
	p := f.link(key, data.KindLocality, ptr)
	p.AddLabel = func(text string, found []widgets.Option) (string, bool) {
		name := strings.Join(strings.Fields(text), " ")
		if name == "" {
			return "", false
		}
		for _, o := range found {
			if fold.Key(o.Label) == fold.Key(name) {
				return "", false
			}
		}
		return f.shell.T("ui.picker.add", "name", name), true
	}
	p.OnAdd = func(text string) { f.onAddLocality(p, strings.Join(strings.Fields(text), " ")) }
	return p
}

// onAddLocality asks for what a new local community needs and, confirmed,
// saves it through the store and picks it.
func (f *recordForm) onAddLocality(p *widgets.Picker, name string) {
	s := f.shell
	nameEntry := widget.NewEntry()
	nameEntry.SetText(name)
	nameEntry.Validator = requiredText(s, "name")
	intro := widget.NewLabel(s.T("ui.locality.new.of", "name", name, "municipality", s.office.Municipality))
	intro.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{widget.NewFormItem("", intro), widget.NewFormItem(data.FieldLabel("name", s.lang), nameEntry)}
	var muniEntry *widget.Entry
	if s.office.Municipality == "" {
		intro.SetText(s.T("ui.locality.new.ask", "name", name))
		muniEntry = widget.NewEntry()
		muniEntry.Validator = requiredText(s, "municipality")
		items = append(items, widget.NewFormItem(data.FieldLabel("municipality", s.lang), muniEntry))
	}
	d := dialog.NewForm(s.T("ui.locality.new"), s.T("ui.locality.new.add"), s.T("fyne.Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		l := &data.Locality{Name: nameEntry.Text, Municipality: s.office.Municipality, LocalityKind: "local_community"}
		if muniEntry != nil {
			l.Municipality = muniEntry.Text
		}
		if err := s.store.Save(l); err != nil {
			s.showError("adding a local community", err)
			return
		}
		s.invalidateLists()
		p.Pick(widgets.Option{Value: l.ID, Label: l.Name})
	}, s.window)
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
}

// requiredText is an entry's check that the field is not left empty, with
// the model's own message.
func requiredText(s *Shell, field string) fyne.StringValidator {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New(s.T("validate.required", "field", data.FieldLabel(field, s.lang)))
		}
		return nil
	}
}

// owners lists a business's owners: a person picker and the share each.
func (f *recordForm) owners(b *data.Business) {
	s := f.shell
	box := container.NewVBox()
	shares := data.ValueCodes(data.GroupShare)
	shareLabels := make([]string, len(shares))
	for i, c := range shares {
		shareLabels[i] = data.ValueLabel(data.GroupShare, c, s.lang)
	}
	var rebuild func()
	rebuild = func() {
		box.Objects = nil
		for i := range b.Owners {
			i := i
			p := f.linkPicker(data.KindPerson, b.Owners[i].PersonID, func(o widgets.Option) {
				b.Owners[i].PersonID = o.Value
				f.changed("owners")
			})
			sel := widget.NewSelect(shareLabels, nil)
			for j, sh := range shares {
				if sh == b.Owners[i].Share {
					sel.SetSelectedIndex(j)
				}
			}
			sel.OnChanged = func(string) {
				b.Owners[i].Share = shares[sel.SelectedIndex()]
				f.changed("owners")
			}
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				b.Owners = append(b.Owners[:i], b.Owners[i+1:]...)
				rebuild()
				f.changed("owners")
			})
			box.Add(container.NewBorder(nil, nil, nil, container.NewHBox(sel, del), p))
		}
		box.Add(widget.NewButtonWithIcon(s.T("ui.form.addowner"), theme.ContentAddIcon(), func() {
			b.Owners = append(b.Owners, data.Owner{Share: "owner"})
			rebuild()
			f.changed("owners")
		}))
		box.Refresh()
	}
	rebuild()
	f.add("owners", box)
}

// members lists an organisation's member persons.
func (f *recordForm) members(o *data.Organisation) {
	s := f.shell
	box := container.NewVBox()
	var rebuild func()
	rebuild = func() {
		box.Objects = nil
		for i := range o.MemberIDs {
			i := i
			p := f.linkPicker(data.KindPerson, o.MemberIDs[i], func(opt widgets.Option) {
				o.MemberIDs[i] = opt.Value
				f.changed("member_ids")
			})
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				o.MemberIDs = append(o.MemberIDs[:i], o.MemberIDs[i+1:]...)
				rebuild()
				f.changed("member_ids")
			})
			box.Add(container.NewBorder(nil, nil, nil, del, p))
		}
		box.Add(widget.NewButtonWithIcon(s.T("ui.form.addmember"), theme.ContentAddIcon(), func() {
			o.MemberIDs = append(o.MemberIDs, "")
			rebuild()
			f.changed("member_ids")
		}))
		box.Refresh()
	}
	rebuild()
	f.add("member_ids", box)
}

var _ fyne.CanvasObject = (*widget.Label)(nil)
