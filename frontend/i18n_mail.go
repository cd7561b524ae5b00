package frontend

// Invitation emails and the unsubscribe pages.
func init() {
	addMessages("ru", map[string]string{
		"mail_subject":           "%s: насколько вероятно, что вы нас порекомендуете?",
		"mail_subject_reminder":  "Напоминание: %s ждёт вашей оценки",
		"mail_hello":             "Здравствуйте!",
		"mail_hello_name":        "Здравствуйте, %s!",
		"mail_intro":             "Нам важно ваше мнение. Ответ займёт несколько секунд:",
		"mail_intro_reminder":    "Недавно мы спросили вас об одном и будем рады ответу. Это займёт несколько секунд:",
		"mail_low":               "0 — точно нет",
		"mail_high":              "10 — обязательно",
		"mail_how":               "Нажмите на оценку: откроется страница, где её можно поменять, добавить комментарий и отправить.",
		"mail_footer":            "Вы получили это письмо как клиент %s.",
		"mail_unsubscribe":       "Отписаться от писем с опросами",
		"msg_unsubscribe_title":  "Отписаться от писем с опросами?",
		"msg_unsubscribe_text":   "Мы больше не будем присылать вам опросы по электронной почте.",
		"msg_unsubscribe_button": "Отписаться",
		"msg_unsubscribed_title": "Вы отписались",
		"msg_unsubscribed_text":  "Мы больше не будем присылать вам письма с опросами. Эту страницу можно закрыть.",
	})
	addMessages("en", map[string]string{
		"mail_subject":           "%s: how likely are you to recommend us?",
		"mail_subject_reminder":  "Reminder: %s would love your rating",
		"mail_hello":             "Hello!",
		"mail_hello_name":        "Hello %s,",
		"mail_intro":             "Your opinion matters to us. It takes a few seconds:",
		"mail_intro_reminder":    "We asked you a question recently and would love your answer. It takes a few seconds:",
		"mail_low":               "0 — not at all likely",
		"mail_high":              "10 — extremely likely",
		"mail_how":               "Click a number: a page opens where you can change it, add a comment and send it.",
		"mail_footer":            "You received this email as a customer of %s.",
		"mail_unsubscribe":       "Unsubscribe from survey emails",
		"msg_unsubscribe_title":  "Unsubscribe from survey emails?",
		"msg_unsubscribe_text":   "We will not send you surveys by email any more.",
		"msg_unsubscribe_button": "Unsubscribe",
		"msg_unsubscribed_title": "You have unsubscribed",
		"msg_unsubscribed_text":  "We will not send you survey emails any more. You can close this page.",
	})
}
