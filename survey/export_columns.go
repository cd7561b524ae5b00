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
}
