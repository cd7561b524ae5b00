package api

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/survey"
)

// The builder's structural buttons post the whole form with op set to one
// of these; the server changes the form and shows it again, saving
// nothing. That keeps the builder usable without JavaScript.
//
//	add_question:TYPE   template:NAME      study_template:NAME
//	move_up:I  move_down:I  dup:I  del:I
//	add_option:I  opt_up:I:J  opt_down:I:J  dup_option:I:J  del_option:I:J
//	add_target  del_target:I
//	add_cell  del_cell:I  add_wave  del_wave:I  (dash_builder_design.go)

// applyOp changes f as op says; ok is false for an op it does not know
// or whose row does not exist (the form is shown again unchanged).
func (f *builderForm) applyOp(op string) (ok bool) {
	name, arg, _ := strings.Cut(op, ":")
	a, b := opArgs(arg)
	nq := len(f.Questions)
	switch name {
	case "add_question":
		if !slices.Contains([]string{"single_choice", "multi_choice", "nps", "rating", "text"}, arg) {
			return false
		}
		f.addQuestion(blankQuestion(survey.QuestionType(arg), len(f.Questions)+1))
	case "template":
		q, found := questionTemplate(arg, f.Brand)
		if !found {
			return false
		}
		f.addQuestion(questionFormOf(q))
	case "study_template":
		if !f.useStudyTemplate(arg) {
			return false
		}
	case "move_up", "move_down":
		to := a - 1
		if name == "move_down" {
			to = a + 1
		}
		if a < 0 || a >= nq || to < 0 || to >= nq {
			return false
		}
		f.Questions[a], f.Questions[to] = f.Questions[to], f.Questions[a]
	case "dup":
		if a < 0 || a >= nq {
			return false
		}
		q := cloneQuestion(f.Questions[a])
		q.Key = f.freeQuestionKey(q.Key)
		f.Questions = slices.Insert(f.Questions, a+1, q)
	case "del":
		if a < 0 || a >= nq {
			return false
		}
		f.Questions = slices.Delete(f.Questions, a, a+1)
	case "add_option":
		if a < 0 || a >= nq {
			return false
		}
		q := &f.Questions[a]
		q.Options = append(q.Options, optionForm{Key: freeKey("option", len(q.Options)+1, q.optionKeys()), Text: map[string]string{}})
	case "opt_up", "opt_down", "dup_option", "del_option":
		if a < 0 || a >= nq || b < 0 || b >= len(f.Questions[a].Options) {
			return false
		}
		q := &f.Questions[a]
		switch name {
		case "opt_up", "opt_down":
			to := b - 1
			if name == "opt_down" {
				to = b + 1
			}
			if to < 0 || to >= len(q.Options) {
				return false
			}
			q.Options[b], q.Options[to] = q.Options[to], q.Options[b]
		case "dup_option":
			o := q.Options[b]
			o.Text = copyText(o.Text)
			o.Key = freeKey(o.Key, 2, q.optionKeys())
			q.Options = slices.Insert(q.Options, b+1, o)
		default:
			q.Options = slices.Delete(q.Options, b, b+1)
		}
	case "add_target":
		t := targetForm{Measure: "abs_lift"}
		if f.Kind == string(survey.KindNPS) {
			t.Measure = "nps"
		}
		f.Targets = append(f.Targets, t)
	case "del_target":
		if a < 0 || a >= len(f.Targets) {
			return false
		}
		f.Targets = slices.Delete(f.Targets, a, a+1)
	default:
		return f.designOp(name, a)
	}
	return true
}

// useStudyTemplate replaces the questions with a whole-study template.
func (f *builderForm) useStudyTemplate(name string) bool {
	keys, ok := studyTemplates[name]
	if !ok {
		return false
	}
	f.Questions = nil
	for _, k := range keys {
		q, _ := questionTemplate(k, f.Brand)
		f.Questions = append(f.Questions, questionFormOf(q))
	}
	if name == "nps" {
		f.Kind = string(survey.KindNPS)
	}
	// Templates are written in both languages: offer both.
	f.Locales = slices.Clone(survey.SupportedLocales)
	return true
}

// addQuestion appends q with a key no other question has.
func (f *builderForm) addQuestion(q questionForm) {
	q.Key = f.freeQuestionKey(q.Key)
	f.Questions = append(f.Questions, q)
}

func (f *builderForm) freeQuestionKey(key string) string {
	keys := make([]string, len(f.Questions))
	for i, q := range f.Questions {
		keys[i] = q.Key
	}
	if !slices.Contains(keys, key) {
		return key
	}
	return freeKey(key, 2, keys)
}

func (q *questionForm) optionKeys() []string {
	keys := make([]string, len(q.Options))
	for i, o := range q.Options {
		keys[i] = o.Key
	}
	return keys
}

// freeKey is base_N for the first N from n that is not taken; keys stay
// within the store's 40 characters.
func freeKey(base string, n int, taken []string) string {
	if i := strings.LastIndex(base, "_"); i > 0 {
		if _, err := strconv.Atoi(base[i+1:]); err == nil {
			base = base[:i] // q_2 duplicates to q_3, not q_2_2
		}
	}
	if len(base) > 34 {
		base = base[:34]
	}
	for ; ; n++ {
		k := fmt.Sprintf("%s_%d", base, n)
		if !slices.Contains(taken, k) {
			return k
		}
	}
}

// blankQuestion is a new question of type t, numbered n: choice questions
// start with two empty options.
func blankQuestion(t survey.QuestionType, n int) questionForm {
	q := questionForm{Key: fmt.Sprintf("q%d", n), Type: string(t), Required: true, Text: map[string]string{}}
	switch t {
	case survey.SingleChoice, survey.MultiChoice:
		q.Options = []optionForm{{Key: "option_1", Text: map[string]string{}}, {Key: "option_2", Text: map[string]string{}}}
	case survey.Rating:
		q.Scale = "5"
	}
	return q
}

func cloneQuestion(q questionForm) questionForm {
	q.Text = copyText(q.Text)
	opts := make([]optionForm, len(q.Options))
	for i, o := range q.Options {
		o.Text = copyText(o.Text)
		opts[i] = o
	}
	q.Options = opts
	return q
}

// opArgs reads the op's row numbers; -1 when missing or not a number.
func opArgs(arg string) (int, int) {
	x, y, _ := strings.Cut(arg, ":")
	a, err := strconv.Atoi(x)
	if err != nil {
		a = -1
	}
	b, err := strconv.Atoi(y)
	if err != nil {
		b = -1
	}
	return a, b
}
