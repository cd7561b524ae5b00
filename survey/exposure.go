package survey

import "time"

// Impression is one firing of the exposure pixel, or, when imported from
// an ad server's log, Count of them.
type Impression struct {
	RID       string
	Creative  string
	Placement string
	Count     int64 // 0 means 1
}

// Exposure is what the pixel recorded for one respondent.
type Exposure struct {
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Count     int64     `json:"count"`
	Creative  string    `json:"creative"`
	Placement string    `json:"placement"`
}

// Erasure reports what deleting a respondent removed.
type Erasure struct {
	Responses int64 `json:"responses_deleted"`
	Exposures int64 `json:"exposures_deleted"`
	Contacts  int64 `json:"contacts_deleted"`
}
