// Package widgets holds Registar's reusable Fyne widgets: the virtualised
// record table, the bar chart, the searchable picker and the date entry.
// They know the data model but not the store or the screens: a screen
// gives them functions to load records or search options.
package widgets
