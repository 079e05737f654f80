// Package odk writes Registar's registration forms for phones: the same form
// as an XLSForm (an .xlsx with the sheets survey, choices and settings, to
// upload to KoboToolbox or ODK Central) and as an ODK XForm (the XML ODK
// Collect reads, copied onto a phone with no server).
//
// A form asks for one kind of record (persons, businesses, organisations).
// Its question names are the export's field names (exchange.Fields), so a
// KoboToolbox or ODK Central export, or a submission file from ODK Collect,
// goes back in through the ordinary import; its choice names are the values
// the import reads: codes for gender, education, interests and the like,
// ISO codes for countries, yes/no for consents, and for the registry's local
// communities a name folded from the locality's (see LocalityChoiceName).
//
// Labels, hints and messages are in all six languages, the default being the
// office's. Required fields and constraints mirror the model's validate tags
// where XPath can say them (required, max/min, e-mail shape, the adult rule,
// years), with the model's own messages. The form's version is a digest of
// everything it contains, so it changes exactly when a list, a label or a
// question does.
package odk
