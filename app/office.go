package app

// The office's details are data.Office, kept with the registry under
// data.OfficeSetting: loaded by Shell.loadOffice, written by
// Shell.saveOffice from the first run and Settings.

// phoneRegions are the default phone regions offered, the offices' own first.
var phoneRegions = []string{"BA", "XK", "RS", "HR", "ME", "MK", "AL", "SI", "DE", "AT", "CH"}
