package frontend

// messages holds every fixed text a respondent reads, per language. Texts
// with %s or %d are formats for printf in the templates. Russian follows
// the terms of GLOSSARY-RU.md.
var messages = map[string]map[string]string{
	"ru": {
		"survey":          "Опрос",
		"intro":           "Вопросов: %d, около %d мин. Выберите ответы и нажмите «Отправить» внизу страницы.",
		"intro_js":        "Вопросов: %d, около %d мин.",
		"keys_hint":       "Можно отвечать с клавиатуры: цифры выбирают вариант, стрелки переходят между вариантами, Enter — дальше.",
		"language":        "Язык",
		"question_n":      "Вопрос %d из %d",
		"optional":        "необязательный",
		"choose_many":     "Можно выбрать несколько вариантов.",
		"nps_low":         "0 — точно не порекомендую",
		"nps_high":        "10 — обязательно порекомендую",
		"rating_low":      "%d — очень плохо",
		"rating_high":     "%d — отлично",
		"text_hint":       "Не больше %d символов.",
		"text_keys":       "Ctrl+Enter — дальше.",
		"consent_step":    "Перед началом",
		"consent_title":   "Согласие на обработку персональных данных",
		"consent_label":   "Я даю согласие на обработку персональных данных на условиях, изложенных выше",
		"err_consent":     "Чтобы продолжить, отметьте согласие на обработку персональных данных.",
		"err_required":    "Пожалуйста, ответьте на этот вопрос.",
		"err_invalid":     "Этот ответ не подходит. Пожалуйста, выберите вариант ещё раз.",
		"err_too_long":    "Ответ слишком длинный: не больше %d символов.",
		"err_exclusive":   "Вариант «%s» нельзя выбрать вместе с другими.",
		"errors_title":    "Проверьте ответы",
		"errors_text":     "Некоторые вопросы требуют внимания:",
		"consent_summary": "Согласие на обработку персональных данных",
		"progress":        "Прогресс",
		"back":            "Назад",
		"next":            "Далее",
		"submit":          "Отправить",
		"retry_title":     "Ответы пока не отправлены.",
		"retry_text":      "Нет связи с сервером. Ответы сохранены на этом устройстве — мы отправим их сами, как только связь появится.",
		"retry":           "Отправить ещё раз",
		"msg_end_link":    "Перейти на сайт",

		"msg_thanks_title":           "Спасибо!",
		"msg_thanks_text":            "Ваши ответы сохранены. Эту страницу можно закрыть.",
		"msg_already_answered_title": "Вы уже ответили на этот опрос",
		"msg_already_answered_text":  "Спасибо за участие! Ответить можно только один раз — ваши ответы уже сохранены.",
		"msg_throttled_title":        "Вы недавно уже отвечали нам",
		"msg_throttled_text":         "Спасибо! Мы задаём этот вопрос не чаще, чем раз в несколько месяцев, и спросим снова позже.",
		"msg_not_started_title":      "Опрос ещё не начался",
		"msg_not_started_text":       "Пожалуйста, откройте эту ссылку немного позже.",
		"msg_paused_title":           "Опрос временно приостановлен",
		"msg_paused_text":            "Пожалуйста, вернитесь позже по этой же ссылке — мы будем рады вашим ответам.",
		"msg_closed_title":           "Опрос завершён",
		"msg_closed_text":            "Спасибо за интерес! Ответы больше не принимаются.",
		"msg_full_title":             "Опрос уже заполнен",
		"msg_full_text":              "Мы собрали все нужные ответы. Спасибо, что были готовы помочь!",
		"msg_invalid_link_title":     "Ссылка недействительна",
		"msg_invalid_link_text":      "Похоже, ссылка скопирована не полностью. Откройте её ещё раз из приглашения к опросу.",
		"msg_expired_link_title":     "Срок действия ссылки истёк",
		"msg_expired_link_text":      "Это приглашение к опросу больше не действует. Спасибо за интерес!",
		"msg_unknown_study_title":    "Опрос не найден",
		"msg_unknown_study_text":     "Возможно, в ссылке опечатка или опрос был удалён.",
		"msg_unavailable_title":      "Не удалось сохранить ответ",
		"msg_unavailable_text":       "У нас временная неполадка, и ваши ответы не сохранены. Пожалуйста, вернитесь назад и отправьте их ещё раз через минуту.",
		"msg_down_title":             "Опрос временно недоступен",
		"msg_down_text":              "У нас временная неполадка. Пожалуйста, обновите страницу через минуту — ссылка продолжит работать.",
	},
	"en": {
		"survey":          "Survey",
		"intro":           "Questions: %d, about %d min. Choose your answers and press “Submit” at the bottom of the page.",
		"intro_js":        "Questions: %d, about %d min.",
		"keys_hint":       "You can answer with the keyboard: number keys choose an option, arrow keys move between options, Enter goes on.",
		"language":        "Language",
		"question_n":      "Question %d of %d",
		"optional":        "optional",
		"choose_many":     "Choose all that apply.",
		"nps_low":         "0 — not at all likely",
		"nps_high":        "10 — extremely likely",
		"rating_low":      "%d — very poor",
		"rating_high":     "%d — excellent",
		"text_hint":       "Up to %d characters.",
		"text_keys":       "Ctrl+Enter goes on.",
		"consent_step":    "Before you start",
		"consent_title":   "Consent to the processing of personal data",
		"consent_label":   "I consent to the processing of my personal data on the terms above",
		"err_consent":     "To continue, please tick the box to give your consent.",
		"err_required":    "Please answer this question.",
		"err_invalid":     "This answer is not valid. Please choose again.",
		"err_too_long":    "This answer is too long: %d characters at most.",
		"err_exclusive":   "“%s” cannot be combined with other answers.",
		"errors_title":    "Please check your answers",
		"errors_text":     "Some questions need your attention:",
		"consent_summary": "Consent to the processing of personal data",
		"progress":        "Progress",
		"back":            "Back",
		"next":            "Next",
		"submit":          "Submit",
		"retry_title":     "Your answers have not been sent yet.",
		"retry_text":      "We cannot reach the server. Your answers are kept on this device, and we will send them as soon as the connection is back.",
		"retry":           "Send again",
		"msg_end_link":    "Continue to the website",

		"msg_thanks_title":           "Thank you!",
		"msg_thanks_text":            "Your answers have been saved. You can close this page now.",
		"msg_already_answered_title": "You have already answered this survey",
		"msg_already_answered_text":  "Thank you for taking part! The survey can be answered only once, and your answers are saved.",
		"msg_throttled_title":        "You answered us recently",
		"msg_throttled_text":         "Thank you! We ask this question no more than once every few months, and will ask again later.",
		"msg_not_started_title":      "The survey has not started yet",
		"msg_not_started_text":       "Please open this link again a little later.",
		"msg_paused_title":           "The survey is paused for now",
		"msg_paused_text":            "Please come back later using the same link — we would love to hear from you.",
		"msg_closed_title":           "The survey has closed",
		"msg_closed_text":            "Thank you for your interest! We are no longer accepting answers.",
		"msg_full_title":             "The survey is full",
		"msg_full_text":              "We have all the answers we need. Thank you for being willing to help!",
		"msg_invalid_link_title":     "This link is not valid",
		"msg_invalid_link_text":      "It may have been copied only in part. Please open it again from your survey invitation.",
		"msg_expired_link_title":     "This link has expired",
		"msg_expired_link_text":      "This survey invitation is no longer valid. Thank you for your interest!",
		"msg_unknown_study_title":    "Survey not found",
		"msg_unknown_study_text":     "The link may contain a typo, or the survey has been removed.",
		"msg_unavailable_title":      "Your answers were not saved",
		"msg_unavailable_text":       "Something went wrong on our side. Please go back and send your answers again in a minute.",
		"msg_down_title":             "The survey is unavailable for a moment",
		"msg_down_text":              "Something went wrong on our side. Please reload this page in a minute; your link will keep working.",
	},
}

// addMessages adds an area's texts (the dashboard's pages each keep
// theirs in a file of their own). A key defined twice is a bug found at
// start-up, not a text silently replaced.
func addMessages(lang string, m map[string]string) {
	for k, v := range m {
		if _, dup := messages[lang][k]; dup {
			panic("frontend: message " + lang + "/" + k + " is defined twice")
		}
		messages[lang][k] = v
	}
}

// T returns the text for key in lang, falling back to Russian, then to the key.
func T(lang, key string) string {
	if s, ok := messages[lang][key]; ok {
		return s
	}
	if s, ok := messages["ru"][key]; ok {
		return s
	}
	return key
}
