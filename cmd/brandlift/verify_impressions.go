package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
)

// verifyImpressions checks a pixel load run: every impression the pixel
// answered is counted once, for its respondent, and nothing else is.
func verifyImpressions(dsn, studyID, path string, stdout, stderr io.Writer) error {
	want, err := readImpressionCounts(path)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(ctx, dsn, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	check, err := st.VerifyImpressions(ctx, studyID, want)
	if err != nil {
		return err
	}
	fprintf(stdout, "stored impressions: %d, answered: %d, respondents: %d, with a wrong count: %d, not sent: %d\n",
		check.Stored, check.Expected, len(want), len(check.Wrong), check.Extra)
	var problems []string
	if len(check.Wrong) > 0 {
		problems = append(problems, fmt.Sprintf("%d respondents have a count other than their answered impressions (first: %s)", len(check.Wrong), check.Wrong[0]))
	}
	if check.Extra > 0 {
		problems = append(problems, fmt.Sprintf("%d respondents are stored that the run never sent", check.Extra))
	}
	if len(problems) > 0 {
		return fmt.Errorf("verify: %s", strings.Join(problems, "; "))
	}
	return nil
}

// readImpressionCounts reads a pixel run's file: rid and count per line.
func readImpressionCounts(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer f.Close()
	want := map[string]int64{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		rid, count, ok := strings.Cut(sc.Text(), "\t")
		c, err := strconv.ParseInt(count, 10, 64)
		if !ok || rid == "" || err != nil || c < 0 {
			return nil, fmt.Errorf("verify: %s line %d: want rid and count separated by a tab", path, n)
		}
		want[rid] = c
	}
	return want, sc.Err()
}
