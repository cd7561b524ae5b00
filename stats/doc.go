// Package stats computes the statistics of a brand-lift or NPS study from
// sufficient statistics: counts of positive answers, counts of NPS scores,
// sums and sums of squares of ratings, and weighted cells aggregated in SQL.
// It has no database, HTTP or survey types; it imports only the standard
// library and gonum.
//
// # Entry points
//
// The report makes one call per metric: CompareProportions for a lift
// metric (rates, absolute, relative and headroom lift with intervals, z and
// Fisher p-values, P(exposed > control)), NPSFromCounts and CompareNPS for
// NPS, RatingSummary and CompareRatings for ratings. Around them:
// BenjaminiHochberg for q-values over a study's metrics, LiftedUsers for
// reach and spend, SampleRatioMismatch for the group split,
// MinDetectableLift, StillNeededPerGroup and SampleSizePerGroup for
// planning, CheckTarget for KPI targets, Rake, WeightCells and
// CompareWeighted for weighting, StratifiedLift (post-stratified lift with
// the Cochran-Mantel-Haenszel test) and StandardizedLift for stratified
// lift, CompareEstimates for the change between two periods, and
// SequentialLift and SequentialDiff for results read every day.
//
// P-values keep their relative accuracy down to the smallest positive
// double (about 1e-308): normal tails use math.Erfc, Student's t and Fisher's
// test are computed in logs, so a very strong result reads 3e-19, not 0.
//
// # Conventions
//
// Rates, shares and lifts are fractions (0.042 is 4.2 percentage points).
// NPS values are in NPS points, from -100 to 100. Comparisons are always
// "exposed minus control".
//
// Confidence is a level in (0, 1), such as 0.9, chosen by the caller; the
// platform default is 0.9, the convention of Google and Meta brand lift.
// Intervals are two-sided at that level.
//
// Caller misuse (a negative count, more positives than responses, a
// confidence of 1.5, shares that do not sum to 1) panics with a message that
// starts with "stats: ", as gonum does. Empty or degenerate data (n = 0, no
// positive answer, every answer positive, zero variance) is a normal case:
// functions return a result that says so and never return NaN or an
// infinity, so every result encodes to JSON. The rule is the same
// everywhere:
//
//   - a result struct carries Defined (false when its main estimate cannot be
//     computed) and Reason (a plain-language note on anything undefined or
//     degenerate, also when Defined is true);
//   - a part that can be undefined on its own has its own flag, such as
//     Lift.RelLiftDefined;
//   - an undefined estimate or interval bound is reported as 0, and an
//     undefined p-value as 1 (no evidence of a difference);
//   - scalar helpers that can fail return (value, ok).
//
// The formulas, their assumptions and their sources are written in each doc
// comment and, for analysts, in docs/METHODOLOGY.md.
package stats
