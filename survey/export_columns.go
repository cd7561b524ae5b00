package survey

// ColumnType is the type of an export column, for typed formats.
type ColumnType int

// Column types.
const (
	ColString ColumnType = iota
	ColInt
	ColFloat
	ColTime
)

// ExportColumn is one column of the raw export.
type ExportColumn struct {
	Name     string
	Type     ColumnType
	Nullable bool
	// Format is how a spreadsheet shows the column's numbers (XLSX); the
	// other file formats write the number as it is.
	Format NumberFormat
}

// NumberFormat is a spreadsheet number format: its value is the Excel
// format code (ECMA-376 Part 1, 18.8.31). Only these are written.
type NumberFormat string

// Number formats of the report files.
const (
	FormatGeneral     NumberFormat = ""         // the reader's default
	FormatPercent     NumberFormat = "0.0%"     // fractions: rates, shares, lifts
	FormatScientific  NumberFormat = "0.00E+00" // p-values and q-values, however small
	FormatInteger     NumberFormat = "#,##0"    // counts
	FormatOneDecimal  NumberFormat = "0.0"      // NPS points
	FormatTwoDecimals NumberFormat = "0.00"     // money, means
)
