package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// The links form of the integration panel: respondents pasted into a
// textarea (one per line: rid[,group][,name=value...]) or a CSV file with
// a header row (rid, group, locale, then one column per attribute). Both
// become the API's LinksRequest and go through mintLinks, so the limits
// and the validation are the API's; the answer is a CSV download.

// linksInput is what the form sent, kept to show it again with errors.
type linksInput struct {
	Text    string // the textarea
	Group   string // the group for pasted lines without one (signed_link)
	Expires string // yyyy-mm-dd, optional
	// Cell is the creative cell of the exposed links without one (a
	// multi-cell signed-link study); Wave the wave of the links without
	// one (a wave series; "" lets the wave fielding decide).
	Cell, Wave string
}

// lineError is a problem of the form, with the input line it is on (0
// when it is about the whole input).
type lineError struct {
	Line int
	Text string
}

func (s *Server) linksForm(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	in := linksInput{Text: c.FormValue("rids"), Group: c.FormValue("group"), Expires: c.FormValue("expires"),
		Cell: c.FormValue("cell"), Wave: c.FormValue("wave")}
	req, lines, problems := s.readLinksForm(c, st, in)
	if len(problems) == 0 {
		links, err := s.mintLinks(st, &req, time.Now())
		var v *survey.ValidationError
		if errors.As(err, &v) {
			problems = linkProblems(c, v, lines)
		} else if err != nil {
			return err
		}
		if len(problems) == 0 {
			s.audit(c, principal(c), "links.create", st.ID, map[string]any{"count": len(links)})
			return writeLinksCSV(c, st, req, links)
		}
	}
	body := s.integrationModel(c, view(c, st))
	body.Links, body.LinkErrors = in, problems
	d := s.dash(c, "integration_title", "studies", body)
	d.Title = tr(c, "integration_title") + " · " + st.Name
	return s.page(c, http.StatusUnprocessableEntity, "dash_integration", d)
}

// readLinksForm turns the pasted lines or the uploaded file into a links
// request, with the input line of each respondent.
func (s *Server) readLinksForm(c echo.Context, st *survey.Study, in linksInput) (LinksRequest, []int, []lineError) {
	var req LinksRequest
	if in.Expires != "" {
		day, err := time.Parse(time.DateOnly, in.Expires)
		if err != nil {
			return req, nil, []lineError{{Text: tr(c, "links_err_expires_format")}}
		}
		// The link works through the whole chosen day (UTC).
		end := day.Add(24*time.Hour - time.Second)
		req.ExpiresAt = &end
	}
	var group survey.Group
	switch in.Group {
	case "":
	case string(survey.GroupExposed), string(survey.GroupControl):
		group = survey.Group(in.Group)
	default:
		return req, nil, []lineError{{Text: tr(c, "links_err_group_choice")}}
	}
	if in.Cell != "" && st.Cell(in.Cell) == nil || in.Wave != "" && st.Wave(in.Wave) == nil {
		return req, nil, []lineError{{Text: tr(c, "links_err_design_choice")}}
	}
	rs, lines, problems := readLinksRespondents(c, in, group)
	req.Respondents = rs
	designDefaults(&req, in)
	return req, lines, problems
}

// readLinksRespondents reads the pasted lines or the uploaded file.
func readLinksRespondents(c echo.Context, in linksInput, group survey.Group) ([]LinkRespondent, []int, []lineError) {
	file, hasFile, err := uploaded(c, "file")
	if err != nil {
		return nil, nil, []lineError{{Text: tr(c, "links_err_file")}}
	}
	text := strings.TrimSpace(in.Text) != ""
	switch {
	case hasFile && text:
		return nil, nil, []lineError{{Text: tr(c, "links_err_both")}}
	case hasFile:
		return parseLinksCSV(c, file)
	case text:
		return parseLinksText(c, in.Text, group)
	}
	return nil, nil, []lineError{{Text: tr(c, "links_err_empty")}}
}

// uploaded reads the form's file field; hasFile is false when none was
// chosen (browsers send an empty part then).
func uploaded(c echo.Context, name string) (data []byte, hasFile bool, err error) {
	fh, err := c.FormFile(name)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, pageBodyLimit))
	if err != nil {
		return nil, false, err
	}
	return data, len(bytes.TrimSpace(data)) > 0, nil
}

// attrPair is one name=value field of a pasted line.
var attrPair = regexp.MustCompile(`^([^=]+)=(.*)$`)

// parseLinksText reads pasted lines: rid, then optionally the group, then
// name=value attributes, separated by commas (a field with a comma is
// quoted as in CSV). Blank lines are skipped.
func parseLinksText(c echo.Context, text string, group survey.Group) ([]LinkRespondent, []int, []lineError) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var (
		out      []LinkRespondent
		lines    []int
		problems []lineError
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, append(problems, csvProblem(c, err))
		}
		line, _ := r.FieldPos(0)
		lr := LinkRespondent{RID: strings.TrimSpace(rec[0]), Group: group}
		for i, f := range rec[1:] {
			f = strings.TrimSpace(f)
			if m := attrPair.FindStringSubmatch(f); m != nil {
				if lr.Attrs == nil {
					lr.Attrs = map[string]string{}
				}
				lr.Attrs[strings.TrimSpace(m[1])] = strings.TrimSpace(m[2])
				continue
			}
			if i == 0 && f != "" {
				lr.Group = survey.Group(f)
				continue
			}
			if f != "" {
				problems = append(problems, lineError{Line: line, Text: trf(c, "links_err_field", f)})
			}
		}
		out = append(out, lr)
		lines = append(lines, line)
	}
	return out, lines, problems
}

// parseLinksCSV reads an uploaded CSV: a header row naming the columns
// rid (required), group, locale, cell and wave, every other column an
// attribute. The
// delimiter is the header's: comma, semicolon (Excel in Russian) or tab.
// Empty cells are left out.
func parseLinksCSV(c echo.Context, data []byte) ([]LinkRespondent, []int, []lineError) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	switch {
	case bytes.Contains(first, []byte("\t")):
		r.Comma = '\t'
	case bytes.Contains(first, []byte(";")) && !bytes.Contains(first, []byte(",")):
		r.Comma = ';'
	}
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, nil, []lineError{csvProblem(c, err)}
	}
	ridCol := -1
	for i, h := range header {
		header[i] = strings.ToLower(strings.TrimSpace(h))
		if header[i] == "rid" {
			ridCol = i
		}
	}
	if ridCol < 0 {
		return nil, nil, []lineError{{Line: 1, Text: tr(c, "links_err_no_rid")}}
	}
	var (
		out   []LinkRespondent
		lines []int
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, []lineError{csvProblem(c, err)}
		}
		line, _ := r.FieldPos(0)
		var lr LinkRespondent
		for i, v := range rec {
			v = strings.TrimSpace(v)
			switch header[i] {
			case "rid":
				lr.RID = v
			case "group":
				lr.Group = survey.Group(v)
			case "locale":
				lr.Locale = v
			case "cell":
				lr.Cell = v
			case "wave":
				lr.Wave = v
			default:
				if v == "" {
					continue
				}
				if lr.Attrs == nil {
					lr.Attrs = map[string]string{}
				}
				lr.Attrs[header[i]] = v
			}
		}
		out = append(out, lr)
		lines = append(lines, line)
	}
	return out, lines, nil
}

// csvProblem names the line of a CSV syntax error.
func csvProblem(c echo.Context, err error) lineError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := tr(c, "links_err_csv")
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = tr(c, "links_err_columns")
		}
		return lineError{Line: pe.Line, Text: msg}
	}
	return lineError{Text: tr(c, "links_err_csv")}
}

// respondentPath reads the index and the rest of a path such as
// respondents[12].attrs.age.
var respondentPath = regexp.MustCompile(`^respondents\[(\d+)\]\.?(.*)$`)

// linkProblems turns the API's validation errors into messages that name
// the input line, in the user's language.
func linkProblems(c echo.Context, v *survey.ValidationError, lines []int) []lineError {
	var out []lineError
	for _, fe := range v.Errors {
		m := respondentPath.FindStringSubmatch(fe.Field)
		if m == nil {
			if fe.Field == "respondents" && strings.HasPrefix(fe.Message, "at most") {
				out = append(out, lineError{Text: trf(c, "links_err_too_many", MaxLinksPerCall)})
			} else {
				out = append(out, lineError{Text: fe.Message})
			}
			continue
		}
		i, _ := strconv.Atoi(m[1])
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		out = append(out, lineError{Line: line, Text: linkFieldText(c, m[2], fe.Message)})
	}
	return out
}

// linkFieldText says what is wrong with one field of a respondent.
func linkFieldText(c echo.Context, field, msg string) string {
	switch {
	case field == "rid":
		return tr(c, "links_err_rid")
	case field == "group" && strings.HasPrefix(msg, "is required"):
		return tr(c, "links_err_group_required")
	case field == "group" && strings.HasPrefix(msg, "must be empty"):
		return tr(c, "links_err_group_forbidden")
	case field == "group":
		return tr(c, "links_err_group_value")
	case field == "locale":
		return tr(c, "links_err_locale")
	case field == "expires_at":
		return tr(c, "links_err_expired")
	case field == "cell" || field == "wave":
		return designLinkText(c, field, msg)
	case field == "attrs":
		return trf(c, "links_err_attrs", survey.MaxAttrs)
	case strings.HasPrefix(field, "attrs."):
		return trf(c, "links_err_attr", strings.TrimPrefix(field, "attrs."), survey.MaxAttrValue)
	}
	return field + ": " + msg
}

// linkColumns are the columns of the links download.
var linkColumns = []survey.ExportColumn{
	{Name: "rid", Type: survey.ColString}, {Name: "group", Type: survey.ColString}, {Name: "url", Type: survey.ColString},
}

// writeLinksCSV answers the links as a CSV download: UTF-8 with a byte
// order mark so that Excel reads Cyrillic right, comma-separated. The group
// column is the one in the link (signed_link), the one the holdout hash
// gives (holdout), or empty when impressions decide (exposure, nps).
func writeLinksCSV(c echo.Context, st *survey.Study, req LinksRequest, links []Link) error {
	var buf bytes.Buffer
	w, err := tabular.NewCSV(&buf, linkColumns, tabular.Options{BOM: true})
	if err != nil {
		return err
	}
	for i, l := range links {
		group := string(req.Respondents[i].Group)
		if st.HasGroups() && st.Assignment == survey.AssignHoldout {
			group = string(st.HoldoutGroup(l.RID))
		}
		if err := w.WriteRow([]any{l.RID, group, l.URL}); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="brandlift-links-%s.csv"`, st.PublicKey))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
