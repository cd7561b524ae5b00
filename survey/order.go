package survey

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// OptionOrder returns the question's options in the order this respondent
// sees them. With randomize on, options are shuffled by a generator seeded
// from the respondent and the question, so that a reload shows the same
// order; fixed options ("Don't remember", "None of these") keep their
// places. Without randomize the authored order stands.
func (q *Question) OptionOrder(respondent string) []Option {
	out := append([]Option(nil), q.Options...)
	if !q.Randomize {
		return out
	}
	var free []int
	for i, o := range out {
		if !o.Fixed && !o.Exclusive {
			free = append(free, i)
		}
	}
	seed := sha256.Sum256([]byte(respondent + "\x00" + q.Key))
	rng := rand.New(rand.NewPCG(binary.BigEndian.Uint64(seed[:8]), binary.BigEndian.Uint64(seed[8:16])))
	shuffled := make([]Option, len(free))
	for i, j := range rng.Perm(len(free)) {
		shuffled[i] = q.Options[free[j]]
	}
	for i, pos := range free {
		out[pos] = shuffled[i]
	}
	return out
}
