package api

import (
	"strings"

	"github.com/brandlift/brandlift/survey"
)

// The builder's templates: the standard brand-lift questions in Russian
// and English, and whole studies made of them. {brand} in a text becomes
// the study's brand. Every template passes the store's validation as it
// stands (dash_builder_test.go saves each one on both databases).

// questionTemplates are the per-question templates, in the order the
// builder offers them.
var questionTemplates = []string{"ad_recall", "aided_awareness", "unaided_awareness", "consideration",
	"favorability", "purchase_intent", "nps", "csat"}

// studyTemplates are the whole-study templates, in the order the new-study
// page offers them. Unaided awareness comes first in the full study: it
// must be asked before any question names the brand, or the question
// itself prompts the answer.
var studyTemplates = map[string][]string{
	// Yandex Direct's Brand Lift asks about ad recall, brand awareness and
	// purchase intent.
	"yandex3": {"ad_recall", "aided_awareness", "purchase_intent"},
	"full6":   {"unaided_awareness", "ad_recall", "aided_awareness", "consideration", "favorability", "purchase_intent"},
	"nps":     {"nps", "nps_reason"},
}

// studyTemplateOrder is the order of the new-study page's choices.
var studyTemplateOrder = []string{"yandex3", "full6", "nps"}

func tx(ru, en string) survey.Text { return survey.Text{"ru": ru, "en": en} }

func opt(key, ru, en string) survey.Option { return survey.Option{Key: key, Text: tx(ru, en)} }

func positive(o survey.Option) survey.Option { o.Positive = true; return o }

func fixed(o survey.Option) survey.Option { o.Fixed = true; return o }

// questionTemplate builds template name for brand (a placeholder when the
// study has none yet); ok is false for an unknown name.
func questionTemplate(name, brand string) (survey.Question, bool) {
	q, ok := templateQuestion(name)
	if !ok {
		return q, false
	}
	brandRU, brandEN := brand, brand
	if strings.TrimSpace(brand) == "" {
		brandRU, brandEN = "«Бренд»", "Brand"
	}
	fill := func(t survey.Text) survey.Text {
		return survey.Text{"ru": strings.ReplaceAll(t["ru"], "{brand}", brandRU), "en": strings.ReplaceAll(t["en"], "{brand}", brandEN)}
	}
	q.Text = fill(q.Text)
	for i := range q.Options {
		q.Options[i].Text = fill(q.Options[i].Text)
	}
	return q, true
}

func templateQuestion(name string) (survey.Question, bool) {
	agree := func(ru, en [5]string) []survey.Option {
		return []survey.Option{positive(opt("definitely", ru[0], en[0])), positive(opt("probably", ru[1], en[1])),
			opt("probably_not", ru[2], en[2]), opt("definitely_not", ru[3], en[3]), fixed(opt("dont_know", ru[4], en[4]))}
	}
	switch name {
	case "ad_recall":
		return survey.Question{Key: "ad_recall", Type: survey.SingleChoice, Metric: survey.AdRecall, Required: true,
			Text: tx("Видели ли вы в последние две недели рекламу бренда {brand}?",
				"Have you seen an ad for {brand} in the last two weeks?"),
			Options: []survey.Option{positive(opt("yes", "Да", "Yes")), opt("no", "Нет", "No"),
				fixed(opt("dont_remember", "Не помню", "Don't remember"))}}, true
	case "aided_awareness":
		return survey.Question{Key: "aided_awareness", Type: survey.MultiChoice, Metric: survey.Awareness, Required: true, Randomize: true,
			Text: tx("Какие из этих брендов вы знаете, хотя бы по названию?",
				"Which of these brands have you heard of, even if only by name?"),
			Options: []survey.Option{positive(opt("brand", "{brand}", "{brand}")),
				opt("brand_a", "Бренд А", "Brand A"), opt("brand_b", "Бренд Б", "Brand B"), opt("brand_c", "Бренд В", "Brand C"),
				{Key: "none", Text: tx("Ни один из этих", "None of these"), Fixed: true, Exclusive: true}}}, true
	case "unaided_awareness":
		return survey.Question{Key: "unaided_awareness", Type: survey.TextQuestion, Required: true,
			Text: tx("Какие бренды в этой категории вы знаете? Назовите все, что вспомните.",
				"Which brands in this category do you know? Name all that come to mind.")}, true
	case "consideration":
		return survey.Question{Key: "consideration", Type: survey.SingleChoice, Metric: survey.Consideration, Required: true,
			Text: tx("Рассмотрите ли вы бренд {brand}, когда в следующий раз будете выбирать товары этой категории?",
				"Would you consider {brand} the next time you choose a product in this category?"),
			Options: agree([5]string{"Точно да", "Скорее да", "Скорее нет", "Точно нет", "Затрудняюсь ответить"},
				[5]string{"Definitely", "Probably", "Probably not", "Definitely not", "Not sure"})}, true
	case "favorability":
		return survey.Question{Key: "favorability", Type: survey.SingleChoice, Metric: survey.Favorability, Required: true,
			Text: tx("Как вы относитесь к бренду {brand}?", "What is your opinion of {brand}?"),
			Options: []survey.Option{positive(opt("very_good", "Очень хорошо", "Very favorable")),
				positive(opt("good", "Скорее хорошо", "Somewhat favorable")), opt("neutral", "Нейтрально", "Neutral"),
				opt("bad", "Скорее плохо", "Somewhat unfavorable"), opt("very_bad", "Очень плохо", "Very unfavorable"),
				fixed(opt("unknown", "Не знаю этот бренд", "I don't know this brand"))}}, true
	case "purchase_intent":
		return survey.Question{Key: "purchase_intent", Type: survey.SingleChoice, Metric: survey.PurchaseIntent, Required: true,
			Text: tx("Насколько вероятно, что вы купите продукцию бренда {brand} в ближайший месяц?",
				"How likely are you to buy from {brand} in the next month?"),
			Options: agree([5]string{"Точно куплю", "Скорее куплю", "Скорее не куплю", "Точно не куплю", "Затрудняюсь ответить"},
				[5]string{"Definitely will", "Probably will", "Probably will not", "Definitely will not", "Not sure"})}, true
	case "nps":
		return survey.Question{Key: "nps", Type: survey.NPSQuestion, Required: true,
			Text: tx("Насколько вероятно, что вы порекомендуете бренд {brand} друзьям или коллегам?",
				"How likely are you to recommend {brand} to a friend or colleague?")}, true
	case "nps_reason":
		return survey.Question{Key: "nps_reason", Type: survey.TextQuestion, Required: false,
			Text: tx("Почему вы поставили такую оценку?", "What is the main reason for your score?")}, true
	case "csat":
		return survey.Question{Key: "csat", Type: survey.Rating, Scale: 5, Required: true,
			Text: tx("Насколько вы довольны брендом {brand}? Оцените от 1 до 5.",
				"How satisfied are you with {brand}? Rate from 1 to 5.")}, true
	}
	return survey.Question{}, false
}
