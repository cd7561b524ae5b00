package survey

// Limits of what a study may hold: generous enough that no real study
// comes near them, and firm enough that no request can make the database,
// the survey page or the report do unbounded work. The README and the
// OpenAPI document list them; going over one is a 422 naming the field.
const (
	MaxQuestions      = 200   // questions per study
	MaxOptions        = 100   // options per choice question
	MaxBrandLength    = 200   // characters of the brand
	MaxQuestionText   = 2000  // characters of a question's text, per locale
	MaxOptionText     = 500   // characters of an option's text, per locale
	MaxConsentText    = 10000 // characters of the consent text, per locale
	MaxTargets        = 50    // KPI targets per study
	MaxWeightAttrs    = 10    // attributes raking may use
	MaxMarginLevels   = 100   // levels of one raking margin
	MaxFrameAncestors = 20    // origins allowed to embed the survey page
	MaxEmailLength    = 254   // characters of a user's email (RFC 5321's path limit)
	MaxKeyNameLength  = 100   // characters of an API key's name
)
