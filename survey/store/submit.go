package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
)

// Respondent is who a verified token names, with the group the study gives them.
type Respondent struct {
	Token *survey.Token
	Hash  string
	Group survey.Group
	// impressions is the pixel's count when deciding the group needed it.
	impressions *int64
}

// Respondent verifies a token for this study and resolves the group: from
// the token (signed_link), the holdout hash, or recorded impressions. In
// a multi-cell or wave study the group is the respondent's arm (see
// survey.Arm): the exposed group's cell and the wave ride along.
func (s *Store) Respondent(ctx context.Context, st *survey.Study, token string) (*Respondent, error) {
	return s.respondentAt(ctx, st, token, time.Now())
}

// respondentAt is Respondent at a given moment: a backdated import's
// wave is the one fielding when the answer was given.
func (s *Store) respondentAt(ctx context.Context, st *survey.Study, token string, now time.Time) (*Respondent, error) {
	t, err := st.VerifyToken(token, now)
	if err != nil {
		return nil, err
	}
	r := &Respondent{Token: t, Hash: st.RespondentHash(t.RID)}
	wave, err := st.WaveFor(t, now)
	if err != nil {
		return nil, err
	}
	creative, err := s.resolveGroup(ctx, st, r)
	if err != nil {
		return nil, err
	}
	cell, err := st.TokenCell(t, r.Group)
	if err != nil {
		return nil, err
	}
	if r.Group == survey.GroupExposed {
		switch st.Assignment {
		case survey.AssignHoldout:
			cell = st.HoldoutCell(t.RID)
		case survey.AssignExposure:
			// The last creative the pixel recorded decides; an exposed
			// respondent whose creative belongs to no cell counts in the
			// pooled exposed group only.
			cell = st.CellForCreative(creative)
		}
	}
	r.Group = survey.Arm(wave, r.Group, cell)
	return r, nil
}

// resolveGroup sets the respondent's group, exposed or control (all in an
// nps study), and returns the creative the pixel last recorded for them
// when the exposure decided it.
func (s *Store) resolveGroup(ctx context.Context, st *survey.Study, r *Respondent) (creative string, err error) {
	t := r.Token
	switch {
	case !st.HasGroups():
		r.Group = survey.GroupAll
	case st.Assignment == survey.AssignSignedLink:
		if t.Group == "" {
			return "", fmt.Errorf("%w: a signed_link study needs the group in the token", survey.ErrTokenMalformed)
		}
		r.Group = t.Group
	case st.Assignment == survey.AssignHoldout:
		r.Group = st.HoldoutGroup(t.RID)
	default: // exposure
		exp, err := s.exposureOf(ctx, st.ID, r.Hash)
		if err != nil {
			return "", err
		}
		r.Group, r.impressions = survey.GroupControl, &exp.Count
		if exp.Count > 0 {
			r.Group = survey.GroupExposed
		}
		return exp.Creative, nil
	}
	return "", nil
}

// Submit validates a submission and stores it exactly once. It returns
// only after the response is committed. Errors: token errors
// (ErrTokenMalformed, ErrTokenSignature, ErrTokenExpired), ErrNotFound for
// an unknown study, *ValidationError for bad answers or missing consent,
// *ConflictError when the study is not live, ErrGroupFull.
func (s *Store) Submit(ctx context.Context, req survey.SubmitRequest) (survey.SubmitResult, error) {
	claimed, err := survey.PeekToken(req.Token)
	if err != nil {
		return survey.SubmitResult{}, err
	}
	st, err := s.PublicStudy(ctx, claimed.Study)
	if err != nil {
		return survey.SubmitResult{}, err
	}
	at := time.Now()
	if !req.At.IsZero() {
		at = req.At
	}
	who, err := s.respondentAt(ctx, st, req.Token, at)
	if err != nil {
		return survey.SubmitResult{}, err
	}
	if st.Status != survey.StatusLive {
		return survey.SubmitResult{}, notLive(st.Status)
	}
	v := &survey.ValidationError{}
	ask := who.Token.Ask
	if req.Ask != "" {
		if msg := survey.AskProblem(req.Ask); msg != "" {
			v.Add("ask", "%s", msg)
		} else if ask != "" && ask != req.Ask {
			v.Add("ask", "the token belongs to invitation %q", ask)
		}
		ask = req.Ask
	}
	// A brand-lift respondent answers once: an ask would let them answer
	// again under another key.
	if ask != "" && st.Kind != survey.KindNPS {
		v.Add("ask", "asks belong to nps programs; this study is %s", st.Kind)
	}
	answers, err := st.ParseAnswers(req.Answers)
	var ve *survey.ValidationError
	if errors.As(err, &ve) {
		v.Errors = append(v.Errors, ve.Errors...)
	}
	locale := st.Locale(req.Locale, who.Token.Locale)
	if req.Locale != "" && !slices.Contains(st.Locales, req.Locale) {
		v.Add("locale", "the study speaks %s", strings.Join(st.Locales, ", "))
	}
	now := time.Now().UTC()
	if !req.At.IsZero() {
		now = req.At.UTC()
	}
	row := responseRow{
		StudyID: st.ID, ID: survey.NewID(), Respondent: st.ResponseKey(who.Token.RID, ask), Grp: string(who.Group), Status: "complete",
		Attrs: jsonColumn[map[string]string]{who.Token.Attrs}, Locale: locale,
		Device: survey.DeviceClass(req.UserAgent), CompletedAt: now, AnswersJSON: jsonColumn[survey.Answers]{answers},
	}
	version := req.ConsentVersion
	if version == 0 {
		version = st.ConsentVersion
	}
	consent, err := s.consentShown(ctx, st, version, locale)
	switch {
	case errors.Is(err, survey.ErrNotFound):
		v.AddCode("consent_version", survey.CodeInvalid, "the study has no consent version %d", version)
	case err != nil:
		return survey.SubmitResult{}, err
	case consent != "":
		// The respondent accepted the text they were shown, even when the
		// study's text changed while their page was open.
		if !req.Consent {
			v.AddCode("consent", survey.CodeConsent, "the respondent must agree to the processing of personal data before answering")
		}
		row.ConsentAt, row.ConsentHash, row.ConsentVersion = &now, survey.ConsentHash(consent), &version
	}
	row.StartedAt, row.DurationMs = st.ResponseTiming(&req, who.Hash, now, v)
	if err := v.Err(); err != nil {
		return survey.SubmitResult{}, err
	}
	exposureKey := ""
	if st.HasGroups() {
		if who.impressions != nil {
			setFrequency(&row, st, *who.impressions)
		} else {
			exposureKey = who.Hash // the batch reads the count (batch_frequency.go)
		}
	}
	median, err := s.medianDuration(ctx, st.ID)
	if err != nil {
		return survey.SubmitResult{}, err
	}
	row.Flags = st.QualityFlags(answers, row.DurationMs, median)
	c := survey.NewCell(who.Token.Attrs, row.Device, survey.FrequencyBucket(row.Frequency))
	row.CellID = c.ID
	th, err := s.throttleOf(ctx, st, who, req.Ask, "")
	if err != nil {
		return survey.SubmitResult{}, err
	}
	if th != nil {
		th.ask = ask
	}
	return s.committer.submit(ctx, &pending{row: row, cell: c, study: st, answers: answers, throttle: th, exposureKey: exposureKey})
}

func notLive(status survey.Status) error {
	return &survey.ConflictError{Status: status, Detail: fmt.Sprintf("the study is %s and takes no responses", status)}
}

// exposureOf reads the pixel's count and last creative for a respondent;
// a respondent it never saw has a zero row.
func (s *Store) exposureOf(ctx context.Context, studyID, respondent string) (exposureRow, error) {
	var row exposureRow
	err := s.db.WithContext(ctx).Select("count", "creative").Where("study_id = ? AND respondent = ?", studyID, respondent).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return exposureRow{}, nil
	}
	if err != nil {
		return exposureRow{}, fmt.Errorf("store: unable to read exposures: %w", err)
	}
	return row, nil
}

// ResponseID returns the id of a respondent's response, or "" when they
// have not answered.
func (s *Store) ResponseID(ctx context.Context, studyID, respondent string) (string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&responseRow{}).Where("study_id = ? AND respondent = ?", studyID, respondent).
		Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return "", fmt.Errorf("store: unable to look up response: %w", err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// PageState is what a respondent's first visit to the survey page needs
// to know, read in one statement: the id of their response ("" when they
// have not answered) and whether their group has reached the study's
// target (never, without one).
func (s *Store) PageState(ctx context.Context, st *survey.Study, respondent string, g survey.Group) (responseID string, full bool, err error) {
	var id sql.NullString
	if st.TargetPerGroup <= 0 {
		err = s.db.WithContext(ctx).Raw("SELECT id FROM responses WHERE study_id = ? AND respondent = ? LIMIT 1", st.ID, respondent).Scan(&id).Error
		if err != nil {
			return "", false, fmt.Errorf("store: unable to look up response: %w", err)
		}
		return id.String, false, nil
	}
	var n int64
	err = s.db.WithContext(ctx).Raw("SELECT (SELECT id FROM responses WHERE study_id = ? AND respondent = ? LIMIT 1), "+
		"(SELECT COALESCE(SUM(n), 0) FROM group_counts WHERE study_id = ? AND grp = ? AND flags = '')",
		st.ID, respondent, st.ID, string(g)).Row().Scan(&id, &n)
	if err != nil {
		return "", false, fmt.Errorf("store: unable to look up response: %w", err)
	}
	return id.String, n >= st.TargetPerGroup, nil
}

// GroupFull reports whether a group has reached the study's target of
// completed, unflagged responses.
func (s *Store) GroupFull(ctx context.Context, st *survey.Study, g survey.Group) (bool, error) {
	if st.TargetPerGroup <= 0 {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&groupCountRow{}).Where("study_id = ? AND grp = ? AND flags = ''", st.ID, string(g)).
		Select("COALESCE(SUM(n), 0)").Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: unable to count group: %w", err)
	}
	return n >= st.TargetPerGroup, nil
}
