package surveytest

import (
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"
)

// TrafficTables are the tables that grow with traffic and are distributed
// by study_id on Citus (docs/SCALING.md): every query that reads, changes
// or deletes their rows must name the study, so that it runs on one shard.
var TrafficTables = []string{
	"responses", "cells", "tallies", "daily_tallies", "group_counts", "durations",
	"exposures", "touches", "contacts", "invitations", "impression_files",
}

// CrossStudyQueries are the statements on traffic tables that run across
// studies on purpose, each recognised by a fragment of its SQL, with why.
// On Citus they are multi-shard queries; none is on a respondent's path.
var CrossStudyQueries = map[string]string{
	// The mailer claims due invitations across studies, oldest first (each
	// claimed row is then changed by its study and id), and the metrics
	// count the queue.
	"FROM `invitations` WHERE status = ?":  "the email worker's queue and its gauge",
	`FROM "invitations" WHERE status = $1`: "the email worker's queue and its gauge",
	// An unsubscribe cancels the address's waiting invitations in every
	// study of the installation (RFC 8058: honoured for every later one).
	`WHERE contact_id IN (SELECT`: "an unsubscribe cancels every study's waiting invitations",
}

// EveryStudy marks a statement of a test that reads a traffic table across
// studies on purpose (a scan of the whole database for what must never be
// stored): CheckStudyScoped lets it through.
const EveryStudy = "/* surveytest: every study */"

// migratorProbe is how GORM's migrator reads a table's column types: an
// empty probe of the table, in tests of the schema only.
var migratorProbe = regexp.MustCompile("^SELECT \\* FROM [\"`]\\w+[\"`] LIMIT")

// trafficRef finds a traffic table after FROM, JOIN, UPDATE or INTO.
var trafficRef = regexp.MustCompile("(?i)\\b(?:FROM|JOIN|UPDATE|INTO)\\s+[\"`]?(" + strings.Join(TrafficTables, "|") + ")[\"`]?(?:\\s|$|,|\\))")

// CheckStudyScoped makes every query of db that reads, updates or deletes
// rows of a traffic table without naming study_id in its condition fail
// with an error that names the statement, so that a test running it
// fails. Inserts of rows carry their study_id and pass.
func CheckStudyScoped(db *gorm.DB) {
	check := func(db *gorm.DB) {
		if db.Statement == nil || db.Error != nil {
			return
		}
		sql := db.Statement.SQL.String()
		if problem := studyScopeProblem(sql); problem != "" {
			db.AddError(fmt.Errorf("surveytest: %s: %s", problem, sql))
		}
	}
	cb := db.Callback()
	cb.Query().After("gorm:query").Register("surveytest:study_scope", check)
	cb.Row().After("gorm:row").Register("surveytest:study_scope", check)
	cb.Update().After("gorm:update").Register("surveytest:study_scope", check)
	cb.Delete().After("gorm:delete").Register("surveytest:study_scope", check)
	cb.Raw().After("gorm:raw").Register("surveytest:study_scope", check)
}

// studyScopeProblem says why sql would be a multi-shard query, or "".
func studyScopeProblem(sql string) string {
	refs := trafficRef.FindAllStringSubmatchIndex(sql, -1)
	if len(refs) == 0 {
		return ""
	}
	upper := strings.ToUpper(sql)
	if strings.HasPrefix(strings.TrimSpace(upper), "INSERT") && !strings.Contains(upper, "SELECT") {
		return "" // a plain insert: its rows carry study_id
	}
	if migratorProbe.MatchString(sql) || strings.Contains(sql, EveryStudy) {
		return ""
	}
	for frag := range CrossStudyQueries {
		if strings.Contains(sql, frag) {
			return ""
		}
	}
	where := strings.Index(upper, "WHERE")
	if where < 0 || !strings.Contains(strings.ToLower(sql[where:]), "study_id") {
		table := sql[refs[0][2]:refs[0][3]]
		return fmt.Sprintf("a query on %s without study_id in its condition (a multi-shard query on Citus)", table)
	}
	return ""
}
