package frontend

import (
	"fmt"
	"strings"
)

// GroupLabel names a stored group in the reader's language. In a
// multi-cell or wave study the group is an arm, [wave "/"] group
// [":" cell] (survey.Arm): the label is the group's name with the cell
// or the wave key after it, "Тестовая группа · video_15s".
func GroupLabel(lang string, group any) string {
	wave, base, cell := splitArm(fmt.Sprint(group))
	label := T(lang, "group_"+base)
	if cell != "" {
		label += " · " + cell
	}
	if wave != "" {
		label = wave + " · " + label
	}
	return label
}

// GroupBase is the group of an arm without its wave and cell.
func GroupBase(group any) string {
	_, base, _ := splitArm(fmt.Sprint(group))
	return base
}

func splitArm(s string) (wave, base, cell string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		wave, s = s[:i], s[i+1:]
	}
	base, cell, _ = strings.Cut(s, ":")
	return wave, base, cell
}
