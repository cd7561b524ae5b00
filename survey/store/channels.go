package store

import (
	"context"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"gorm.io/gorm"
)

// channelCounts counts an nps program's asks, answers and dismissals by
// channel, in two aggregate queries: invitations sent (distinct asks, so
// a reminder is not a second ask), and touches by channel and kind.
func channelCounts(ctx context.Context, db *gorm.DB, studyID string) ([]results.ChannelCounts, error) {
	db = db.WithContext(ctx)
	by := map[string]*results.ChannelCounts{}
	for _, ch := range survey.Channels {
		by[ch] = &results.ChannelCounts{Channel: ch}
	}
	var sent int64
	if err := db.Model(&invitationRow{}).Where("study_id = ? AND status = ?", studyID, survey.InvitationSent).
		Distinct("ask").Count(&sent).Error; err != nil {
		return nil, storeError("count invitations", err)
	}
	by[survey.ChannelEmail].Asked = sent
	var rows []struct {
		Channel, Kind string
		N             int64
	}
	if err := db.Model(&touchRow{}).Select("channel, kind, COUNT(*) AS n").Where("study_id = ?", studyID).
		Group("channel, kind").Scan(&rows).Error; err != nil {
		return nil, storeError("count touches", err)
	}
	for _, r := range rows {
		c := by[r.Channel]
		if c == nil {
			continue
		}
		switch r.Kind {
		case touchAnswered:
			c.Answered = r.N
		case touchDismissed:
			c.Dismissed = r.N
		case touchShown:
			if r.Channel == survey.ChannelWidget {
				c.Asked = r.N
			}
		}
	}
	out := make([]results.ChannelCounts, 0, len(by))
	for _, ch := range survey.Channels {
		out = append(out, *by[ch])
	}
	return out, nil
}
