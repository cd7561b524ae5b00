package results

import (
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// ChannelCounts is what an nps program's touches count for one channel:
// the asks that reached people, their answers and (the widget) their
// dismissals.
type ChannelCounts struct {
	Channel   string
	Asked     int64 // email: invitations sent (a reminder is the same ask); widget: showings; link: unknown (0)
	Answered  int64
	Dismissed int64
}

// ChannelRate is one channel's response rate: answered asks over asks
// that reached people, with its Wilson interval. Links are sent by the
// customer's own systems, so their asks are unknown: only their answers
// are counted, and Rate is absent.
type ChannelRate struct {
	Channel   string          `json:"channel"` // email, widget, link
	Asked     int64           `json:"asked"`
	Answered  int64           `json:"answered"`
	Dismissed int64           `json:"dismissed"`
	Rate      *float64        `json:"rate"`
	Interval  *stats.Interval `json:"interval"`
}

// BuildChannelRates turns the counts into rates in survey.Channels order,
// one line per channel even when it has nothing yet.
func BuildChannelRates(counts []ChannelCounts, confidence float64) []ChannelRate {
	by := map[string]ChannelCounts{}
	for _, c := range counts {
		by[c.Channel] = c
	}
	out := make([]ChannelRate, 0, len(survey.Channels))
	for _, ch := range survey.Channels {
		c := by[ch]
		r := ChannelRate{Channel: ch, Asked: c.Asked, Answered: c.Answered, Dismissed: c.Dismissed}
		if ch != survey.ChannelLink && c.Asked > 0 {
			// An answer without a recorded ask (a showing the widget could
			// not report) still answered one: the rate never passes 1.
			n := max(c.Asked, c.Answered)
			rate := float64(c.Answered) / float64(n)
			iv := stats.Wilson(stats.Count{Positive: c.Answered, N: n}, confidence)
			r.Rate, r.Interval = &rate, &iv
		}
		out = append(out, r)
	}
	return out
}
