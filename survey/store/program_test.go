package store_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// npsProgramJSON is an nps program: the score and a comment.
const npsProgramJSON = `{
 "name": "NPS", "brand": "Acme", "kind": "nps", "locales": ["ru","en"],
 "questions": [
  {"key":"nps","type":"nps","text":{"ru":"Порекомендуете?","en":"Recommend?"}},
  {"key":"why","type":"text","required":false,"text":{"ru":"Почему?","en":"Why?"}}
 ]}`

// newProgram creates the nps program with changes applied, launched.
func newProgram(t *testing.T, s *store.Store, change func(in *survey.StudyInput)) *survey.Study {
	t.Helper()
	return launchStudy(t, s, npsProgramJSON, change)
}

func npsAnswer(score int) map[string]any {
	return map[string]any{"nps": json.Number(strconv.Itoa(score))}
}

func countRows(t *testing.T, s *store.Store, table, studyID string) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Table(table).Where("study_id = ?", studyID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestThrottling: an answer or a dismissal starts a person's window, in
// which a new ask is refused with ThrottledError and nothing is stored;
// each ask is answered once; eligibility says so beforehand; a study
// throttling across the installation sees another study's answers.
func TestThrottling(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newProgram(t, s, func(in *survey.StudyInput) { days := 30; in.ThrottleDays = &days })
		link := st.SignToken(&survey.Token{RID: "anna"})
		first, err := s.Submit(ctx, survey.SubmitRequest{Token: link, Answers: npsAnswer(9)})
		if err != nil || first.Duplicate {
			t.Fatalf("first answer: %+v %v", first, err)
		}
		// The widget asks again the next day: refused, nothing stored.
		_, err = s.Submit(ctx, survey.SubmitRequest{Token: link, Ask: "w1", Answers: npsAnswer(3)})
		if !survey.IsThrottled(err) {
			t.Fatalf("inside the window: %v", err)
		}
		if n := countRows(t, s, "responses", st.ID); n != 1 {
			t.Fatalf("%d responses after a throttled submission, want 1", n)
		}
		who, err := s.Respondent(ctx, st, link)
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Eligible(ctx, st, who, "w2", time.Now())
		if err != nil || e.Eligible || e.Reason != "throttled" || e.Until.Sub(e.Last) != 30*24*time.Hour {
			t.Fatalf("eligibility inside the window: %+v %v", e, err)
		}
		if e, _ = s.Eligible(ctx, st, who, "w2", time.Now().Add(31*24*time.Hour)); !e.Eligible {
			t.Fatalf("eligibility after the window: %+v", e)
		}

		// A widget ask answered twice is one response.
		boris := st.SignToken(&survey.Token{RID: "boris"})
		a, err := s.Submit(ctx, survey.SubmitRequest{Token: boris, Ask: "w3", Answers: npsAnswer(2)})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Submit(ctx, survey.SubmitRequest{Token: boris, Ask: "w3", Answers: npsAnswer(2)})
		if err != nil || !b.Duplicate || b.ResponseID != a.ResponseID {
			t.Fatalf("the same ask again: %+v %v", b, err)
		}

		// A dismissal throttles like an answer and is not one.
		vera := st.SignToken(&survey.Token{RID: "vera"})
		wv, _ := s.Respondent(ctx, st, vera)
		if ok, err := s.Prompt(ctx, st, wv, "w4", "shown", survey.ChannelWidget); err != nil || !ok {
			t.Fatalf("shown: %v %v", ok, err)
		}
		if ok, err := s.Prompt(ctx, st, wv, "w4", "dismissed", survey.ChannelWidget); err != nil || !ok {
			t.Fatalf("dismissed: %v %v", ok, err)
		}
		if _, err := s.Prompt(ctx, st, wv, "w5", "shown", survey.ChannelWidget); !survey.IsThrottled(err) {
			t.Fatalf("a prompt after a dismissal: %v", err)
		}
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: vera, Ask: "w4", Answers: npsAnswer(10)}); !survey.IsThrottled(err) {
			t.Fatalf("an answer after a dismissal: %v", err)
		}
		if n := countRows(t, s, "responses", st.ID); n != 2 {
			t.Fatalf("%d responses, want 2 (anna, boris)", n)
		}
		if err := s.VerifyTallies(ctx, st.ID); err != nil {
			t.Fatal(err)
		}

		// Across the installation: anna's answer here throttles her there.
		scope := survey.ThrottleInstallation
		wide := newProgram(t, s, func(in *survey.StudyInput) { in.ThrottleScope = &scope })
		own := newProgram(t, s, nil)
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: wide.SignToken(&survey.Token{RID: "anna"}), Answers: npsAnswer(8)}); !survey.IsThrottled(err) {
			t.Fatalf("across studies: %v", err)
		}
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: own.SignToken(&survey.Token{RID: "anna"}), Answers: npsAnswer(8)}); err != nil {
			t.Fatalf("a study throttling on its own: %v", err)
		}

		// Erasing a person takes their asks and touches too.
		out, err := s.EraseRespondent(ctx, st.ID, "boris")
		if err != nil || out.Responses != 1 {
			t.Fatalf("erase: %+v %v", out, err)
		}
		var touches int64
		s.DB().Table("touches").Where("study_id = ? AND ask = ?", st.ID, "w3").Count(&touches)
		if touches != 0 {
			t.Fatalf("%d touches left after erasure", touches)
		}
	})
}

// TestInvitationQueue: queueing skips unsubscribed and already queued
// contacts; a claim respects the study's rate; a send queues the
// reminder, which is skipped once the invitation is answered; a bounce
// marks the contact; a temporary failure comes back after its backoff.
func TestInvitationQueue(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newProgram(t, s, func(in *survey.StudyInput) {
			days, rate := 3, 2
			in.ReminderDays, in.EmailPerMinute = &days, &rate
		})
		if _, err := s.ImportContacts(ctx, st, []survey.ContactInput{
			{Email: "a@example.com"}, {Email: "b@example.com"}, {Email: "c@example.com"}, {Email: "d@example.com"}}); err != nil {
			t.Fatal(err)
		}
		dRID, _ := s.ContactRID(ctx, "d@example.com")
		if _, err := s.Unsubscribe(ctx, st, dRID); err != nil {
			t.Fatal(err)
		}
		q, err := s.QueueInvitations(ctx, st, nil)
		if err != nil || q.Queued != 3 || q.Skipped[survey.SkipUnsubscribed] != 1 {
			t.Fatalf("queue: %+v %v", q, err)
		}
		if q, err = s.QueueInvitations(ctx, st, nil); err != nil || q.Queued != 0 || q.Skipped[survey.SkipQueued] != 3 {
			t.Fatalf("queue again: %+v %v", q, err)
		}
		if _, err := s.QueueInvitations(ctx, st, []string{"nobody"}); err == nil {
			t.Fatal("an unknown contact id queued")
		}
		now := time.Now()
		due, err := s.ClaimInvitations(ctx, now, time.Minute, 10)
		if err != nil || len(due) != 2 {
			t.Fatalf("claim within a rate of 2 a minute: %d %v", len(due), err)
		}
		if again, _ := s.ClaimInvitations(ctx, now, time.Minute, 10); len(again) != 0 {
			t.Fatalf("%d claimed twice", len(again))
		}
		sent, bounced := due[0], due[1]
		if err := s.RecordSend(ctx, sent, store.SendOutcome{At: now, SMTPCode: 250}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordSend(ctx, bounced, store.SendOutcome{At: now, SMTPCode: 550, Error: "550 no such user", Permanent: true}); err != nil {
			t.Fatal(err)
		}
		// The minute's budget is spent: the third waits.
		if more, _ := s.ClaimInvitations(ctx, now.Add(time.Second), time.Minute, 10); len(more) != 0 {
			t.Fatalf("%d claimed beyond the rate", len(more))
		}
		third, err := s.ClaimInvitations(ctx, now.Add(61*time.Second), time.Minute, 10)
		if err != nil || len(third) != 1 {
			t.Fatalf("claim next minute: %d %v", len(third), err)
		}
		retry := now.Add(2 * time.Minute)
		if err := s.RecordSend(ctx, third[0], store.SendOutcome{At: now, SMTPCode: 451, Error: "451 try later", RetryAt: retry}); err != nil {
			t.Fatal(err)
		}
		if back, _ := s.ClaimInvitations(ctx, retry.Add(time.Second), time.Minute, 10); len(back) != 1 || back[0].Invitation.Attempts != 1 {
			t.Fatalf("after the backoff: %+v", back)
		}

		list, _, err := s.Invitations(ctx, st.ID, 50, "")
		if err != nil {
			t.Fatal(err)
		}
		statuses := map[string]int{}
		for _, inv := range list {
			statuses[inv.Kind+"/"+inv.Status]++
		}
		if statuses["invite/sent"] != 1 || statuses["invite/bounced"] != 1 || statuses["reminder/queued"] != 1 {
			t.Fatalf("invitations: %v", statuses)
		}
		contacts, _, _ := s.Contacts(ctx, st.ID, 10, "")
		for _, c := range contacts {
			if c.Email == bounced.Contact.Email && (c.BouncedAt == nil || c.BounceReason != "550 no such user") {
				t.Errorf("bounced contact %+v", c)
			}
		}

		// The sent invitation is answered through its link: its reminder
		// is skipped when due.
		tok := st.SignToken(&survey.Token{RID: sent.Contact.RID, Ask: sent.Invitation.Ask})
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: npsAnswer(4)}); err != nil {
			t.Fatal(err)
		}
		rem, _ := s.ClaimInvitations(ctx, now.Add(4*24*time.Hour), time.Minute, 10)
		for _, d := range rem {
			if d.Contact.ID == sent.Contact.ID {
				t.Fatalf("a reminder sent after an answer: %+v", d.Invitation)
			}
		}
		list, _, _ = s.Invitations(ctx, st.ID, 50, "")
		for _, inv := range list {
			if inv.Kind == survey.InviteReminder && (inv.Status != survey.InvitationSkipped || inv.LastError != survey.SkipAnswered) {
				t.Errorf("reminder %+v", inv)
			}
		}
		// Unsubscribed for every study: a new program skips the address.
		other := newProgram(t, s, nil)
		s.ImportContacts(ctx, other, []survey.ContactInput{{Email: "D@example.com"}})
		if q, _ := s.QueueInvitations(ctx, other, nil); q.Queued != 0 || q.Skipped[survey.SkipUnsubscribed] != 1 {
			t.Fatalf("unsubscribe in another study: %+v", q)
		}
	})
}
