package stats

// MinResponsesPerGroup is the number of responses each group needs before
// the report shows results rather than "not enough data". Below 50 the
// normal approximations behind the z-test and the NPS interval are poor and
// intervals are too wide to act on.
const MinResponsesPerGroup = 50

// EnoughData reports whether both groups have at least
// MinResponsesPerGroup responses.
func EnoughData(nExposed, nControl int64) bool {
	return nExposed >= MinResponsesPerGroup && nControl >= MinResponsesPerGroup
}
