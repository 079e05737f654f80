// Package demo makes deterministic, realistic demo records for the registry:
// the offices' local communities (Cazin, Bihać, Velika Kladuša, Gjilan,
// Travnik, Tutin and Novi Pazar), persons of the Bosniak, Serbian (in Latin
// and Cyrillic), Croatian and Albanian diaspora living where these
// communities really emigrated to, the businesses they own and the
// associations they belong to, including civil-society organisations of
// Una-Sana Canton.
//
// Generate hands the records to a put function in dependency order
// (localities, persons, businesses, organisations), so that every link points
// to a record already put. The same Options always give the same records:
// all randomness, IDs included, comes from Options.Seed, and registration
// times are spread over the three years before Options.Now. The records pass
// the model's validation: adults only, ISO country codes, lower-case e-mail
// addresses, E.164 phone numbers valid for the country.
//
// Whatever the counts, among the first hundred persons are Đorđe Petrović
// (Latin), Ђорђе Петровић (Cyrillic) and a person named Çelik, for the
// search tests across scripts and diacritics.
package demo
