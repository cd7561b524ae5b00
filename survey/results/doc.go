// Package results assembles the report from a study's running counts:
// tallies in, report out (metrics, segments, raking, frequency, trend,
// targets, text). It reads no database: the store gathers the counts and
// calls Build, BuildTrend or CellWeights. Every statistic is computed in
// package stats; this package only selects and sums counts.
//
// It may import survey and stats, nothing else of ours.
package results
