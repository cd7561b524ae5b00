package frontend

// messages holds every fixed text a respondent reads, per language.
var messages = map[string]map[string]string{
	"ru": {
		"submit": "Отправить",
	},
	"en": {
		"submit": "Submit",
	},
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
