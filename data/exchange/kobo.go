package exchange

import (
	"strings"

	"registar/data/fold"
)

// A KoboToolbox export (.xlsx or .csv, "XML values and headers" or labels
// in any language) has one column per question, headed with its name and
// group path ("osobni_podaci/given_name") or its label, then the columns
// Kobo adds: _id, _uuid, _submission_time, _validation_status, _index,
// __version__, formhub/uuid, meta/instanceID, and the form's start and
// end. A select_multiple question is one column of answers separated by
// spaces plus one 0/1 column per choice ("interests/invest").

// koboMeta are the columns a Kobo export adds besides those starting with
// "_" (all of which are Kobo's own).
var koboMeta = map[string]bool{
	"start": true, "end": true, "today": true, "deviceid": true, "username": true,
	"simserial": true, "subscriberid": true, "phonenumber": true, "audit": true,
	"formhub/uuid": true, "meta/instanceID": true, "meta/rootUuid": true, "meta/deprecatedID": true,
	"meta/instanceName": true, "meta/audit": true, "instanceID": true, "rootUuid": true, "deprecatedID": true,
}

func koboFlavour() *flavour {
	return &flavour{
		origin: OriginKobo,
		sep:    "/",
		meta: func(h string) bool {
			return strings.HasPrefix(h, "_") || koboMeta[h] || strings.HasPrefix(h, "meta/") || strings.HasPrefix(h, "formhub/")
		},
		ids:      []string{"meta/instanceID", "instanceID", "_uuid"},
		dates:    []string{"_submission_time", "end", "start"},
		version:  "__version__",
		rejected: koboNotApproved,
	}
}

// koboNotApproved: _validation_status holds the status's code
// (validation_status_not_approved) in an export of XML values and its
// label (Not Approved) in one of labels. On hold and unreviewed import.
func koboNotApproved(col func(string) string) bool {
	switch fold.Key(col("_validation_status")) {
	case "validation status not approved", "not approved":
		return true
	}
	return false
}
