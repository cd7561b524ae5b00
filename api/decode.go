package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// Body limits.
const (
	managementBodyLimit = 1 << 20  // 1 MiB
	publicBodyLimit     = 64 << 10 // 64 KiB
)

// decodeJSON reads a JSON request body into dst strictly. The content type
// must be JSON, the body at most limit bytes, and every field known and of
// the right type; problems are reported with their JSON paths, all at once.
func decodeJSON(c echo.Context, limit int64, dst any) error {
	body, err := readJSONBody(c, limit)
	if err != nil {
		return err
	}
	return decodeStrict(body, dst)
}

// readJSONBody checks the content type and reads at most limit bytes.
func readJSONBody(c echo.Context, limit int64) ([]byte, error) {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, newProblem(http.StatusUnsupportedMediaType, "unsupported-media-type",
				fmt.Sprintf("Content-Type %q is not accepted; send application/json", ct))
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, newProblem(http.StatusRequestEntityTooLarge, "too-large",
			fmt.Sprintf("request body exceeds the limit of %d bytes", limit))
	}
	if err != nil {
		return nil, badRequest("unable to read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("request body is empty; send a JSON object")
	}
	return body, nil
}

// decodeStrict decodes body into dst after checking its shape against dst's
// type, so that an unknown field or a wrong type is named by its full path.
func decodeStrict(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return badRequest("malformed JSON: " + jsonSyntaxDetail(err, body))
	}
	if dec.More() {
		return badRequest("malformed JSON: unexpected data after the top-level value")
	}
	if field := invalidUTF8Field(body); field != "" {
		return &survey.ValidationError{Errors: []survey.FieldError{{Field: field, Code: survey.CodeInvalid, Message: "must be valid UTF-8"}}}
	}
	var errs []survey.FieldError
	checkShape(reflect.TypeOf(dst).Elem(), doc, "", &errs)
	if len(errs) > 0 {
		detail := fmt.Sprintf("%d field(s) do not fit the schema: %s: %s", len(errs), errs[0].Field, errs[0].Message)
		return badRequest(detail, errs...)
	}
	textErrors(doc, "", &errs)
	if len(errs) > 0 {
		return &survey.ValidationError{Errors: errs}
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return badRequest("invalid JSON value: " + err.Error())
	}
	return nil
}

// decodeNumbers decodes JSON keeping numbers as json.Number.
func decodeNumbers(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return dec.Decode(dst)
}

func jsonSyntaxDetail(err error, body []byte) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(body[:min(int(se.Offset), len(body))], []byte("\n"))
		return fmt.Sprintf("%s (line %d, byte %d)", se.Error(), line, se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the body ends in the middle of a value"
	}
	return err.Error()
}

var timeType = reflect.TypeOf(time.Time{})

// checkShape walks a decoded JSON document beside the Go type it should
// fill and records unknown fields and type mismatches by path.
func checkShape(t reflect.Type, v any, path string, errs *[]survey.FieldError) {
	fail := func(msg string) {
		name := path
		if name == "" {
			name = "(body)"
		}
		*errs = append(*errs, survey.FieldError{Field: name, Message: msg})
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		if t.Kind() == reflect.Struct && path == "" {
			fail("must be a JSON object")
		}
		return // null leaves the field unset
	}
	if t == timeType {
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			fail("must be an RFC 3339 time such as 2026-12-31T23:59:59Z")
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			fail("must be a JSON object")
			return
		}
		fields := jsonFields(t)
		for key, val := range obj {
			ft, known := fields[key]
			if !known {
				*errs = append(*errs, survey.FieldError{Field: join(path, key), Message: "unknown field"})
				continue
			}
			checkShape(ft, val, join(path, key), errs)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			fail("must be a JSON object")
			return
		}
		for key, val := range obj {
			checkShape(t.Elem(), val, join(path, key), errs)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			fail("must be a JSON array")
			return
		}
		for i, el := range arr {
			checkShape(t.Elem(), el, fmt.Sprintf("%s[%d]", path, i), errs)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			fail("must be a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			fail("must be true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			fail("must be an integer")
			return
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			fail("must be an integer that fits in " + strconv.Itoa(t.Bits()) + " bits")
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			fail("must be a number")
		}
	}
	// Interfaces and raw messages take any value.
}

// jsonFields maps the JSON names of a struct's fields (embedded structs
// flattened) to their types. Names match exactly: a strict API does not
// accept "Name" for "name" as encoding/json would.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
