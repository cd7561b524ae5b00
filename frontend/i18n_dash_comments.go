package frontend

// The comments page's filters (a text question's answers, the NPS
// tracker's comments).
func init() {
	addMessages("ru", map[string]string{
		"rs_text_nps":          "Оценка NPS",
		"rs_text_nps_all":      "Все",
		"rs_nps_cat_promoter":  "промоутер",
		"rs_nps_cat_passive":   "нейтрал",
		"rs_nps_cat_detractor": "критик",
		"rs_text_from":         "С",
		"rs_text_to":           "По",
		"rs_text_reset":        "Сбросить фильтры",
		"rs_text_export":       "Скачать эти ответы (CSV)",
	})
	addMessages("en", map[string]string{
		"rs_text_nps":          "NPS score",
		"rs_text_nps_all":      "All",
		"rs_nps_cat_promoter":  "promoter",
		"rs_nps_cat_passive":   "passive",
		"rs_nps_cat_detractor": "detractor",
		"rs_text_from":         "From",
		"rs_text_to":           "To",
		"rs_text_reset":        "Clear the filters",
		"rs_text_export":       "Download these answers (CSV)",
	})
}
