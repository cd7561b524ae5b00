package survey

// Action is a lifecycle step: launch, pause, resume or close.
type Action string

// Lifecycle actions.
const (
	Launch Action = "launch"
	Pause  Action = "pause"
	Resume Action = "resume"
	Close  Action = "close"
)

// transitions gives, for each action, the statuses it may start from and
// the status it leads to: draft -> live <-> paused -> closed.
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	Launch: {[]Status{StatusDraft}, StatusLive},
	Pause:  {[]Status{StatusLive}, StatusPaused},
	Resume: {[]Status{StatusPaused}, StatusLive},
	Close:  {[]Status{StatusLive, StatusPaused}, StatusClosed},
}

// ParseAction checks an action name.
func ParseAction(name string) (Action, bool) {
	_, ok := transitions[Action(name)]
	return Action(name), ok
}

// Next returns the status that action a leads to from status from, and
// false when the lifecycle does not allow a from there (or a is unknown).
func (a Action) Next(from Status) (Status, bool) {
	t, ok := transitions[a]
	if !ok || !contains(t.from, from) {
		return "", false
	}
	return t.to, true
}
