package api

import (
	"encoding/json"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// numberOrString types a form value as the JSON API would: a number when it
// is one, else the string (which validation then refuses by name).
func numberOrString(v string) any {
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return json.Number(v)
	}
	return v
}
