package tabular

import (
	"fmt"
	"io"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/parquet-go/parquet-go"
)

// parquetRowGroup is the number of rows per Parquet row group: the writer
// holds one row group's encoded pages in memory before it writes them, so
// this bounds the export's memory (a few MB for a typical study).
const parquetRowGroup = 64 << 10

// parquetBatch is how many rows go to the Parquet writer per call.
const parquetBatch = 256

// parquetWriter writes Apache Parquet with typed columns, in the export's
// column order: strings as UTF-8 byte arrays (STRING), integers as INT64,
// decimals as DOUBLE, instants as TIMESTAMP(MICROS, UTC); a column is
// OPTIONAL where it may be null and REQUIRED otherwise. Pages are
// Snappy-compressed, which DuckDB, pandas (pyarrow), Spark and R's arrow
// all read. Values are verbatim: no formula neutralising.
type parquetWriter struct {
	w     *parquet.GenericWriter[any]
	cols  []survey.ExportColumn
	batch []parquet.Row
}

// NewParquet starts a Parquet file of the columns; the schema is known only
// at run time, hence the writer of any rows.
func NewParquet(w io.Writer, cols []survey.ExportColumn, _ Options) (Writer, error) {
	schema, err := parquetSchema(cols)
	if err != nil {
		return nil, err
	}
	pw := parquet.NewGenericWriter[any](w, schema,
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.Compression(&parquet.Snappy),
	)
	return &parquetWriter{w: pw, cols: cols, batch: make([]parquet.Row, 0, parquetBatch)}, nil
}

// parquetSchema builds the schema of the columns, keeping their order.
func parquetSchema(cols []survey.ExportColumn) (*parquet.Schema, error) {
	group := parquet.Group{}
	for _, c := range cols {
		var n parquet.Node
		switch c.Type {
		case survey.ColString:
			n = parquet.String()
		case survey.ColInt:
			n = parquet.Int(64)
		case survey.ColFloat:
			n = parquet.Leaf(parquet.DoubleType)
		case survey.ColTime:
			n = parquet.Timestamp(parquet.Microsecond)
		default:
			return nil, fmt.Errorf("export: column %s has unknown type %d", c.Name, c.Type)
		}
		if c.Nullable {
			n = parquet.Optional(n)
		} else {
			n = parquet.Required(n)
		}
		if _, dup := group[c.Name]; dup {
			return nil, fmt.Errorf("export: two columns are named %s", c.Name)
		}
		group[c.Name] = n
	}
	byName := map[string]parquet.Field{}
	for _, f := range group.Fields() {
		byName[f.Name()] = f
	}
	ordered := orderedGroup{Group: group, fields: make([]parquet.Field, len(cols))}
	for i, c := range cols {
		ordered.fields[i] = byName[c.Name]
	}
	return parquet.NewSchema("responses", ordered), nil
}

// orderedGroup is a group whose fields keep the export's column order
// (parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

// Fields returns the fields in column order.
func (g orderedGroup) Fields() []parquet.Field { return g.fields }

// WriteRow converts one row to Parquet values and queues it.
func (p *parquetWriter) WriteRow(row []any) error {
	var out parquet.Row
	if n := len(p.batch); n < cap(p.batch) {
		out = p.batch[:n+1][n][:0] // reuse the values of an earlier batch
	}
	for i, v := range row {
		c := p.cols[i]
		var pv parquet.Value
		switch v := v.(type) {
		case nil:
			if !c.Nullable {
				return fmt.Errorf("export: null in required column %s", c.Name)
			}
			out = append(out, parquet.NullValue().Level(0, 0, i))
			continue
		case string:
			pv = parquet.ByteArrayValue([]byte(v))
		case int64:
			pv = parquet.Int64Value(v)
		case float64:
			pv = parquet.DoubleValue(v)
		case time.Time:
			pv = parquet.Int64Value(v.UnixMicro())
		default:
			return fmt.Errorf("export: column %s: unexpected %T", c.Name, v)
		}
		if !parquetKindMatches(c.Type, v) {
			return fmt.Errorf("export: column %s: %T does not match its type", c.Name, v)
		}
		def := 0
		if c.Nullable {
			def = 1
		}
		out = append(out, pv.Level(0, def, i))
	}
	p.batch = append(p.batch, out)
	if len(p.batch) == cap(p.batch) {
		return p.flush()
	}
	return nil
}

func parquetKindMatches(t survey.ColumnType, v any) bool {
	switch v.(type) {
	case string:
		return t == survey.ColString
	case int64:
		return t == survey.ColInt
	case float64:
		return t == survey.ColFloat
	case time.Time:
		return t == survey.ColTime
	}
	return false
}

func (p *parquetWriter) flush() error {
	if len(p.batch) == 0 {
		return nil
	}
	_, err := p.w.WriteRows(p.batch)
	p.batch = p.batch[:0]
	return err
}

// Close writes the last rows and the footer.
func (p *parquetWriter) Close() error {
	if err := p.flush(); err != nil {
		return err
	}
	return p.w.Close()
}
