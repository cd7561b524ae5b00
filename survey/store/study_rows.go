package store

import (
	"encoding/base64"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// studyRow is the studies table.
type studyRow struct {
	ID        string `gorm:"primaryKey"`
	PublicKey string
	Secret    []byte
	// PreviousSecret and PreviousSecretUntil keep the secret before the last
	// rotation verifying for a grace period.
	PreviousSecret      []byte
	PreviousSecretUntil *time.Time
	AssignmentKey       []byte
	Name                string
	Kind                string
	Status              string
	Brand               string
	Locales             jsonColumn[[]string]
	DefaultLocale       string
	Assignment          string
	ControlShare        float64
	TargetPerGroup      int64
	Confidence          float64
	Reach               int64
	Spend               float64
	Currency            string
	Settings            jsonColumn[survey.Settings]
	CreatedAt           time.Time
	UpdatedAt           time.Time
	LaunchedAt          *time.Time
	ClosedAt            *time.Time
	ConsentVersion      int
}

func (studyRow) TableName() string { return "studies" }

// questionRow is the questions table.
type questionRow struct {
	StudyID   string `gorm:"primaryKey"`
	Key       string `gorm:"primaryKey"`
	Position  int
	Type      string
	Metric    string
	Text      jsonColumn[survey.Text]
	Required  bool
	Randomize bool
	Scale     int
	Attention string
}

func (questionRow) TableName() string { return "questions" }

// optionRow is the question_options table.
type optionRow struct {
	StudyID     string `gorm:"primaryKey"`
	QuestionKey string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	Position    int
	Text        jsonColumn[survey.Text]
	Positive    bool
	Fixed       bool
	Exclusive   bool
}

func (optionRow) TableName() string { return "question_options" }

func (r *studyRow) study() survey.Study {
	st := survey.Study{
		ID: r.ID, PublicKey: r.PublicKey, Secret: base64.RawURLEncoding.EncodeToString(r.Secret),
		AssignmentKey: base64.RawURLEncoding.EncodeToString(r.AssignmentKey),
		Status:        survey.Status(r.Status), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		LaunchedAt: utcPtr(r.LaunchedAt), ClosedAt: utcPtr(r.ClosedAt), ConsentVersion: r.ConsentVersion,
		Spec: survey.Spec{
			Name: r.Name, Kind: survey.Kind(r.Kind), Brand: r.Brand, Locales: r.Locales.V,
			DefaultLocale: r.DefaultLocale, Assignment: survey.Assignment(r.Assignment),
			ControlShare: r.ControlShare, TargetPerGroup: r.TargetPerGroup, Confidence: r.Confidence,
			Reach: r.Reach, Spend: r.Spend, Currency: r.Currency, Settings: r.Settings.V,
		},
	}
	st.SetKeys(survey.NewSigningKeys(r.Secret, r.PreviousSecret, r.PreviousSecretUntil, r.AssignmentKey))
	return st
}

// setSpec copies a spec's own columns (not its questions) into the row.
func (r *studyRow) setSpec(s *survey.Spec) {
	r.Name, r.Kind, r.Brand = s.Name, string(s.Kind), s.Brand
	r.Locales = jsonColumn[[]string]{s.Locales}
	r.DefaultLocale, r.Assignment = s.DefaultLocale, string(s.Assignment)
	r.ControlShare, r.TargetPerGroup, r.Confidence = s.ControlShare, s.TargetPerGroup, s.Confidence
	r.Reach, r.Spend, r.Currency = s.Reach, s.Spend, s.Currency
	r.Settings = jsonColumn[survey.Settings]{s.Settings}
}

// questionRows flattens a study's questions and options into rows.
func questionRows(studyID string, qs []survey.Question) ([]questionRow, []optionRow) {
	var qrows []questionRow
	var orows []optionRow
	for i, q := range qs {
		qrows = append(qrows, questionRow{
			StudyID: studyID, Key: q.Key, Position: i, Type: string(q.Type), Metric: string(q.Metric),
			Text: jsonColumn[survey.Text]{q.Text}, Required: q.Required, Randomize: q.Randomize,
			Scale: q.Scale, Attention: q.Attention,
		})
		for j, o := range q.Options {
			orows = append(orows, optionRow{
				StudyID: studyID, QuestionKey: q.Key, Key: o.Key, Position: j,
				Text: jsonColumn[survey.Text]{o.Text}, Positive: o.Positive, Fixed: o.Fixed, Exclusive: o.Exclusive,
			})
		}
	}
	return qrows, orows
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
