package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// jsonColumn stores a Go value as JSON: jsonb on PostgreSQL, text on SQLite.
type jsonColumn[T any] struct{ V T }

// Value implements driver.Valuer. It returns a string so that both drivers
// bind it as text, which PostgreSQL casts to jsonb.
func (j jsonColumn[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (j *jsonColumn[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		var zero T
		j.V = zero
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("jsonColumn: cannot scan %T", src)
	}
	return json.Unmarshal(b, &j.V)
}
