package api

import (
	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey/results"
)

// channelsView is an nps program's response rate by channel: the
// tracker's table next to the trend.
type channelsView struct {
	Head []string
	Rows [][]string
}

// newChannelsView writes the trend's channel rates, or nil for a study
// without them (brand lift) or with nothing through any channel yet.
func newChannelsView(lang string, t *results.Trend) *channelsView {
	if t == nil || len(t.Channels) == 0 {
		return nil
	}
	v := &channelsView{Head: []string{frontend.T(lang, "rs_channel"), frontend.T(lang, "rs_channel_asked"),
		frontend.T(lang, "rs_channel_answered"), frontend.T(lang, "rs_channel_dismissed"), frontend.T(lang, "rs_channel_rate")}}
	seen := false
	for _, c := range t.Channels {
		seen = seen || c.Asked > 0 || c.Answered > 0
		asked, rate, dismissed := frontend.Int(lang, c.Asked), "—", "—"
		if c.Channel == "link" {
			asked = frontend.T(lang, "rs_channel_unknown")
		}
		if c.Rate != nil {
			rate = frontend.Pct(lang, *c.Rate, 1) + " (" + pctRange(lang, *c.Interval) + ")"
		}
		if c.Channel == "widget" {
			dismissed = frontend.Int(lang, c.Dismissed)
		}
		v.Rows = append(v.Rows, []string{frontend.T(lang, "rs_channel_"+c.Channel), asked, frontend.Int(lang, c.Answered), dismissed, rate})
	}
	if !seen {
		return nil
	}
	return v
}
