package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// maxBatch caps how many submissions share one transaction.
const maxBatch = 256

// errClosed is returned for submissions after the store closed.
var errClosed = errors.New("store: closed")

// errPanic marks a batch whose commit panicked; like a refusal of data,
// it is split to find the submission that caused it.
var errPanic = errors.New("store: panic while committing")

// ErrRefused means the database refused a value of this submission that
// validation let through. Validation is meant to make this impossible, so
// it signals a gap there; the submission fails alone, with a 422.
var ErrRefused = errors.New("the database refused a value of this submission")

// errLostRace means another replica stored the same respondent between our
// duplicate check and our insert; the batch is retried and sees it.
var errLostRace = errors.New("store: concurrent insert of the same respondent")

// pending is a validated submission waiting for its transaction.
type pending struct {
	row     responseRow
	cell    survey.Cell
	study   *survey.Study
	answers survey.Answers
	// throttle is set for an nps program's submissions: its respondent is
	// refused inside their window (see touches.go).
	throttle *throttle
	// exposureKey is the respondent's pixel key when the batch is to read
	// their frequency (see batch_frequency.go); "" when it is known.
	exposureKey string
	reply       chan outcome
	queued      time.Time // when it was handed to the writer, for the observer
}

type outcome struct {
	result survey.SubmitResult
	err    error
}

// committer is group commit: submissions that arrive while a transaction
// is running wait and then share the next one. Every waiter is answered
// only after its transaction commits, so a 2xx still means committed, and
// the database sees one commit (one fsync) per batch instead of per
// response.
type committer struct {
	s    *Store
	in   chan *pending
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

func startCommitter(s *Store) *committer {
	c := &committer{s: s, in: make(chan *pending), quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// submit hands p to the writer and waits for its outcome.
func (c *committer) submit(ctx context.Context, p *pending) (survey.SubmitResult, error) {
	p.reply = make(chan outcome, 1)
	p.queued = time.Now()
	select {
	case c.in <- p:
	case <-c.quit:
		return survey.SubmitResult{}, errClosed
	case <-ctx.Done():
		return survey.SubmitResult{}, ctx.Err()
	}
	select {
	case o := <-p.reply:
		return o.result, o.err
	case <-ctx.Done():
		return survey.SubmitResult{}, ctx.Err()
	}
}

func (c *committer) run() {
	defer close(c.done)
	for {
		select {
		case p := <-c.in:
			c.commitObserved(c.collect(p))
		case <-c.quit:
			for {
				select {
				case p := <-c.in:
					c.commitObserved(c.collect(p))
				default:
					return
				}
			}
		}
	}
}

// collect takes what is already waiting, without delaying the first.
func (c *committer) collect(first *pending) []*pending {
	batch := []*pending{first}
	for len(batch) < maxBatch {
		select {
		case p := <-c.in:
			batch = append(batch, p)
		default:
			return batch
		}
	}
	return batch
}

// commitObserved commits a batch and tells the store's observer about it.
// The first member is the one that waited longest: it was received first.
func (c *committer) commitObserved(batch []*pending) {
	start := time.Now()
	ok := c.commit(batch)
	c.s.observer().ObserveSubmitBatch(Batch{Size: len(batch), Wait: start.Sub(batch[0].queued),
		Took: time.Since(start), Failed: !ok})
}

func (c *committer) stop() {
	c.once.Do(func() { close(c.quit) })
	<-c.done
}

// commit stores a batch and answers every member. When the database
// refuses the batch because of what one member holds (a character it
// cannot store, a constraint), or committing it panics, the batch is cut
// in halves and each half committed on its own, down to the member at
// fault, which alone is refused: nobody's answer depends on who happened
// to share their transaction. An outage fails the whole batch as
// ErrUnavailable; the exactly-once rule makes the clients' retries safe.
// It reports whether every member was committed (for the observer).
func (c *committer) commit(batch []*pending) bool {
	outcomes, err := c.commitRetrying(batch)
	switch {
	case err == nil:
		c.s.durationsCommitted(batch, outcomes) // before the replies: see median.go
		for i, p := range batch {
			p.reply <- outcomes[i]
		}
		return true
	case (classify(err) == classData || errors.Is(err, errPanic)) && len(batch) > 1:
		mid := len(batch) / 2
		first := c.commit(batch[:mid])
		return c.commit(batch[mid:]) && first
	default:
		err = c.failure(err)
		for _, p := range batch {
			p.reply <- outcome{err: err}
		}
		return false
	}
}

// commitRetrying tries a batch up to four times while the failure is one
// that another attempt can cure: a lost race with another replica, a
// deadlock or serialization failure, a connection dropped mid-flight.
func (c *committer) commitRetrying(batch []*pending) ([]outcome, error) {
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
		}
		var outcomes []outcome
		outcomes, err = c.tryCommit(batch)
		if err == nil {
			return outcomes, nil
		}
		if !errors.Is(err, errLostRace) && classify(err) != classTransient {
			return nil, err
		}
	}
	return nil, err
}

// failure is the error a member of a failed batch is answered with.
func (c *committer) failure(err error) error {
	switch {
	case classify(err) == classData:
		return fmt.Errorf("%w: %w", ErrRefused, err)
	case classify(err) == classTransient:
		return fmt.Errorf("%w: unable to store response: %w", ErrUnavailable, err)
	}
	return fmt.Errorf("store: unable to store response: %w", err)
}

// batchState is what one transaction reads before deciding each submission.
type batchState struct {
	studies  map[string]*studyRow
	existing map[[2]string]string // (study, respondent) -> response id
	counts   map[[2]string]int64  // (study, group) -> unflagged responses
	hooks    []webhookRow         // webhooks of the studies and of the installation
	touches  map[string]time.Time // latest answers and dismissals (see touchesSince)
	answered []touchRow           // the accepted answers' touches
}

func (c *committer) tryCommit(batch []*pending) (_ []outcome, err error) {
	// A bug here must fail this batch, not kill the one writer every
	// submission waits on.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	outcomes := make([]outcome, len(batch))
	closedNow := map[string]bool{}
	err = c.s.db.Transaction(func(tx *gorm.DB) error {
		state, err := c.readState(tx, batch)
		if err != nil {
			return err
		}
		var accepted []*pending
		first := map[[2]string]int{} // duplicates inside the batch follow the first
		for i, p := range batch {
			key := [2]string{p.row.StudyID, p.row.Respondent}
			if j, ok := first[key]; ok {
				outcomes[i] = outcomes[j]
				if outcomes[j].err == nil {
					outcomes[i].result.Duplicate = true
				}
				continue
			}
			first[key] = i
			outcomes[i] = state.decide(p)
			if outcomes[i].err == nil && !outcomes[i].result.Duplicate {
				accepted = append(accepted, p)
			}
		}
		if len(accepted) == 0 {
			return nil
		}
		if err := c.insert(tx, accepted); err != nil {
			return err
		}
		if len(state.answered) > 0 {
			if err := tx.CreateInBatches(state.answered, 200).Error; err != nil {
				return err
			}
		}
		// The webhooks' deliveries commit with the responses they tell of.
		deliveries, err := queueResponses(state.hooks, accepted)
		if err != nil {
			return err
		}
		if len(deliveries) > 0 {
			if err := tx.CreateInBatches(deliveries, 200).Error; err != nil {
				return err
			}
		}
		return c.autoClose(tx, state, closedNow)
	})
	if err != nil {
		return nil, err
	}
	for _, p := range batch {
		if closedNow[p.study.ID] {
			c.s.forget(p.study.PublicKey)
		}
	}
	return outcomes, nil
}

// readState locks the batch's studies (so that a close waits for the batch
// and quotas hold across replicas) and reads what the decisions need.
func (c *committer) readState(tx *gorm.DB, batch []*pending) (*batchState, error) {
	var ids, respondents []string
	seen := map[string]bool{}
	for _, p := range batch {
		if !seen[p.row.StudyID] {
			seen[p.row.StudyID] = true
			ids = append(ids, p.row.StudyID)
		}
		respondents = append(respondents, p.row.Respondent)
	}
	sort.Strings(ids) // a fixed lock order keeps replicas from deadlocking
	q := tx.Select("id", "name", "status", "target_per_group", "settings", "kind")
	if c.s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var rows []studyRow
	if err := q.Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	st := &batchState{studies: map[string]*studyRow{}, existing: map[[2]string]string{}, counts: map[[2]string]int64{}}
	for i := range rows {
		st.studies[rows[i].ID] = &rows[i]
	}
	var existing []responseRow
	if err := tx.Select("study_id", "respondent", "id").Where("study_id IN ? AND respondent IN ?", ids, respondents).
		Find(&existing).Error; err != nil {
		return nil, err
	}
	for _, r := range existing {
		st.existing[[2]string{r.StudyID, r.Respondent}] = r.ID
	}
	var counts []groupCountRow
	if err := tx.Select("study_id", "grp", "SUM(n) AS n").Where("study_id IN ? AND flags = ''", ids).
		Group("study_id, grp").Find(&counts).Error; err != nil {
		return nil, err
	}
	for _, r := range counts {
		st.counts[[2]string{r.StudyID, r.Grp}] = r.N
	}
	hooks, err := activeHooks(tx, ids)
	if err != nil {
		return nil, err
	}
	st.hooks = hooks
	if st.touches, err = touchesSince(tx, batch); err != nil {
		return nil, err
	}
	freqs, err := readFrequencies(tx, batch)
	if err != nil {
		return nil, err
	}
	applyFrequencies(batch, freqs)
	return st, nil
}

// decide says what happens to one submission, updating the quota counts.
func (st *batchState) decide(p *pending) outcome {
	row := st.studies[p.row.StudyID]
	if row == nil {
		return outcome{err: survey.ErrNotFound}
	}
	if id, ok := st.existing[[2]string{p.row.StudyID, p.row.Respondent}]; ok {
		return outcome{result: survey.SubmitResult{ResponseID: id, Duplicate: true}}
	}
	if survey.Status(row.Status) != survey.StatusLive {
		return outcome{err: notLive(survey.Status(row.Status))}
	}
	key := [2]string{p.row.StudyID, p.row.Grp}
	if row.TargetPerGroup > 0 && st.counts[key] >= row.TargetPerGroup {
		return outcome{err: survey.ErrGroupFull}
	}
	if err := throttled(p, st.touches); err != nil {
		return outcome{err: err}
	}
	if p.row.Flags == "" {
		st.counts[key]++
	}
	if p.throttle != nil {
		st.answered = append(st.answered, noteAnswered(p, st.touches))
	}
	return outcome{result: survey.SubmitResult{ResponseID: p.row.ID}}
}

// insert writes the accepted responses and adds them to every running count.
func (c *committer) insert(tx *gorm.DB, accepted []*pending) error {
	rows := make([]responseRow, len(accepted))
	cells := map[[2]string]cellRow{}
	tallies := map[tallyRow]int64{}
	daily := map[dailyTallyRow]int64{}
	groups := map[groupCountRow]int64{}
	durations := map[durationRow]int64{}
	for i, p := range accepted {
		r := p.row
		rows[i] = r
		cells[[2]string{r.StudyID, r.CellID}] = cellRow{StudyID: r.StudyID, ID: r.CellID,
			Attrs: jsonColumn[map[string]string]{p.cell.Attrs}, Device: p.cell.Device, FrequencyBucket: p.cell.FrequencyBucket}
		flagged := r.Flags != ""
		day := p.study.LocalDay(r.CompletedAt)
		for _, sl := range p.study.TallySlots(p.answers) {
			tallies[tallyRow{StudyID: r.StudyID, CellID: r.CellID, Grp: r.Grp, Flagged: flagged, QuestionKey: sl.Question, Slot: sl.Value}]++
			daily[dailyTallyRow{StudyID: r.StudyID, Day: day, Grp: r.Grp, Flagged: flagged, QuestionKey: sl.Question, Slot: sl.Value}]++
		}
		groups[groupCountRow{StudyID: r.StudyID, Grp: r.Grp, Flags: r.Flags}]++
		if r.DurationMs != nil {
			durations[durationRow{StudyID: r.StudyID, Seconds: durationSeconds(*r.DurationMs)}]++
		}
	}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 200)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != int64(len(rows)) {
		return errLostRace
	}
	cellRows := make([]cellRow, 0, len(cells))
	for _, v := range cells {
		cellRows = append(cellRows, v)
	}
	sort.Slice(cellRows, func(i, j int) bool {
		return sortKey(cellRows[i].StudyID, cellRows[i].ID) < sortKey(cellRows[j].StudyID, cellRows[j].ID)
	})
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(cellRows, 200).Error; err != nil {
		return err
	}
	if err := upsertCounts(tx, "tallies", []string{"study_id", "cell_id", "grp", "flagged", "question_key", "slot"},
		withCounts(tallies, func(r *tallyRow, n int64) { r.N = n }, func(r *tallyRow) string {
			return sortKey(r.StudyID, r.CellID, r.Grp, strconv.FormatBool(r.Flagged), r.QuestionKey, r.Slot)
		})); err != nil {
		return err
	}
	if err := upsertCounts(tx, "daily_tallies", []string{"study_id", "day", "grp", "flagged", "question_key", "slot"},
		withCounts(daily, func(r *dailyTallyRow, n int64) { r.N = n }, func(r *dailyTallyRow) string {
			return sortKey(r.StudyID, r.Day, r.Grp, strconv.FormatBool(r.Flagged), r.QuestionKey, r.Slot)
		})); err != nil {
		return err
	}
	if err := upsertCounts(tx, "group_counts", []string{"study_id", "grp", "flags"},
		withCounts(groups, func(r *groupCountRow, n int64) { r.N = n }, func(r *groupCountRow) string {
			return sortKey(r.StudyID, r.Grp, r.Flags)
		})); err != nil {
		return err
	}
	return upsertCounts(tx, "durations", []string{"study_id", "seconds"},
		withCounts(durations, func(r *durationRow, n int64) { r.N = n }, func(r *durationRow) string {
			return sortKey(r.StudyID, fmt.Sprintf("%08d", r.Seconds))
		}))
}

// withCounts turns a map of keys to increments into rows sorted by key, so
// that concurrent transactions lock rows in the same order.
func withCounts[T comparable](m map[T]int64, setN func(*T, int64), key func(*T) string) []T {
	out := make([]T, 0, len(m))
	for k, n := range m {
		setN(&k, n)
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return key(&out[i]) < key(&out[j]) })
	return out
}

// sortKey joins key columns with a separator no key contains.
func sortKey(parts ...string) string { return strings.Join(parts, "\x00") }

// upsertCounts adds each row's n to the stored counter, creating it if new.
func upsertCounts[T any](tx *gorm.DB, table string, keys []string, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	cols := make([]clause.Column, len(keys))
	for i, k := range keys {
		cols[i] = clause.Column{Name: k}
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   cols,
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr(table + ".n + excluded.n")}),
	}).CreateInBatches(rows, 500).Error
}

// autoClose closes the studies that asked for it once every group is full.
func (c *committer) autoClose(tx *gorm.DB, st *batchState, closed map[string]bool) error {
	for id, row := range st.studies {
		if !row.Settings.V.AutoClose || row.TargetPerGroup <= 0 || survey.Status(row.Status) != survey.StatusLive {
			continue
		}
		// Every arm counts: each cell of a multi-cell study, each wave.
		spec := survey.Spec{Kind: survey.Kind(row.Kind), Settings: row.Settings.V}
		groups := spec.Arms()
		full := true
		for _, g := range groups {
			full = full && st.counts[[2]string{id, string(g)}] >= row.TargetPerGroup
		}
		if !full {
			continue
		}
		now := time.Now().UTC()
		err := tx.Model(&studyRow{}).Where("id = ? AND status = ?", id, survey.StatusLive).
			Updates(map[string]any{"status": string(survey.StatusClosed), "closed_at": now, "updated_at": now}).Error
		if err != nil {
			return err
		}
		// The close is audited in the same transaction: nobody clicked it,
		// and the log must still say who closed the study and why.
		event := auditRow{ID: survey.NewID(), At: now, Actor: survey.SystemActor, Action: "study.close", StudyID: id,
			Detail: jsonColumn[map[string]any]{map[string]any{"reason": "auto_close", "target_per_group": row.TargetPerGroup}}}
		if err := tx.Create(&event).Error; err != nil {
			return err
		}
		if err := queueClosed(tx, id, row.Name, "auto_close", now); err != nil {
			return err
		}
		closed[id] = true
	}
	return nil
}

// durationSeconds is the durations bucket of a completion time: whole
// seconds, with everything past a day in the last bucket.
func durationSeconds(ms int64) int { return int(min(ms/1000, 86400)) }
