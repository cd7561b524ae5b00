package frontend

// The tracker's response rates by channel.
func init() {
	addMessages("ru", map[string]string{
		"rs_channels":          "Отклик по каналам",
		"rs_channel":           "Канал",
		"rs_channel_asked":     "Отправлено или показано",
		"rs_channel_answered":  "Ответили",
		"rs_channel_dismissed": "Закрыли без ответа",
		"rs_channel_rate":      "Доля ответивших",
		"rs_channel_email":     "Email-приглашения",
		"rs_channel_widget":    "Виджет на сайте",
		"rs_channel_link":      "Ссылки",
		"rs_channel_unknown":   "неизвестно",
		"rs_channels_hint":     "С начала исследования. Письмо и его напоминание — одно приглашение. Ссылки рассылаете вы сами, поэтому для них известны только ответы. В скобках — доверительный интервал (Уилсон).",
	})
	addMessages("en", map[string]string{
		"rs_channels":          "Response rate by channel",
		"rs_channel":           "Channel",
		"rs_channel_asked":     "Sent or shown",
		"rs_channel_answered":  "Answered",
		"rs_channel_dismissed": "Closed without answering",
		"rs_channel_rate":      "Response rate",
		"rs_channel_email":     "Email invitations",
		"rs_channel_widget":    "Website widget",
		"rs_channel_link":      "Links",
		"rs_channel_unknown":   "unknown",
		"rs_channels_hint":     "Since the study began. An email and its reminder are one invitation. You send links yourself, so only their answers are known. In brackets: the confidence interval (Wilson).",
	})
}
