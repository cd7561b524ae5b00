package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/brandlift/brandlift/survey/store"
)

// cmdVerify checks a study against its own raw rows: the running counts
// the report reads must equal a recount, no respondent may be stored
// twice, and, given the acknowledgements a load run wrote, every response
// a client was told is stored must be there.
func cmdVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("verify", stderr)
	studyID := fs.String("study", "", "the study's id")
	acked := fs.String("acked", "", "a file of acknowledged responses (loadtest --acked): rid, id, status per line")
	impressions := fs.String("impressions", "", "a file of answered pixel impressions (loadtest --mode pixel --acked): rid, count per line")
	db := dbFlag(fs, store.DefaultDSN)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *studyID == "" {
		return usageErr("--study is required")
	}
	if *impressions != "" {
		return verifyImpressions(*db, *studyID, *impressions, stdout, stderr)
	}
	var ids []string
	if *acked != "" {
		var err error
		if ids, err = readAcked(*acked); err != nil {
			return err
		}
	}
	ctx := context.Background()
	st, err := openStore(ctx, *db, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	check, err := st.VerifyResponses(ctx, *studyID, ids)
	if err != nil {
		return err
	}
	fprintf(stdout, "stored responses: %d, distinct respondents: %d, acknowledged: %d, acknowledged but missing: %d\n",
		check.Stored, check.Respondents, len(ids), len(check.Missing))
	var problems []string
	if len(check.Missing) > 0 {
		problems = append(problems, fmt.Sprintf("%d acknowledged responses are not stored (first: %s)", len(check.Missing), check.Missing[0]))
	}
	if check.Stored != check.Respondents {
		problems = append(problems, fmt.Sprintf("%d respondents are stored more than once", check.Stored-check.Respondents))
	}
	if err := st.VerifyTallies(ctx, *studyID); err != nil {
		problems = append(problems, err.Error())
	} else {
		fprintf(stdout, "running counts equal a recount from raw rows\n")
	}
	if len(problems) > 0 {
		return fmt.Errorf("verify: %s", strings.Join(problems, "; "))
	}
	return nil
}

// readAcked reads the response ids of a loadtest acknowledgement file.
func readAcked(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 || fields[1] == "" {
			return nil, fmt.Errorf("verify: %s line %d: want rid, id and status separated by tabs", path, n)
		}
		ids = append(ids, fields[1])
	}
	return ids, sc.Err()
}
