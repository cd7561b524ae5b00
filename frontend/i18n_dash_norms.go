package frontend

// Norms: where a study's lift falls among the installation's closed
// studies, and the reasons the norms endpoint gives.
func init() {
	addMessages("ru", map[string]string{
		"rs_why_norm_nps_rel":     "NPS в контрольной группе может быть нулевым или отрицательным, поэтому относительный прирост NPS не имеет смысла",
		"rs_pat_norm_studies":     "метрику «%[2]s» измеряют закрытых исследований: %[1]s",
		"rs_pat_norm_rel":         "относительный прирост метрики «%[2]s» определён (доля в контрольной группе выше 0) в закрытых исследованиях: %[1]s",
		"rs_pat_norm_need":        "для квартилей нужно не меньше %s",
		"rs_pat_norm_category":    "в категории %[1]s других закрытых исследований с метрикой «%[3]s» %[2]s, меньше %[4]s: сравнение со всеми закрытыми исследованиями",
		"rs_norms":                "Нормативы",
		"rs_why_projection_new":   "исследование только что запущено: скорость набора ещё неизвестна",
		"rs_why_projection_empty": "в одной из групп ещё нет завершённых анкет: прогноз не из чего строить",
		"rs_norms_line":           "Среди %s закрытых исследований (%s): медиана прироста %s, у половины исследований — от %s до %s; процентиль этого исследования — %s.",
		"rs_norms_pool_all":       "все категории",
		"rs_norms_pool_cat":       "категория %s",
	})
	addMessages("en", map[string]string{
		"rs_why_norm_nps_rel":     "NPS can be 0 or negative in control, so a relative lift of NPS has no meaning",
		"rs_pat_norm_studies":     "%[1]s closed studies measure %[2]s",
		"rs_pat_norm_rel":         "%[1]s closed studies have a relative lift on %[2]s (a control rate above 0)",
		"rs_pat_norm_need":        "quartiles need at least %s",
		"rs_pat_norm_category":    "category %[1]s has %[2]s other closed studies measuring %[3]s, fewer than %[4]s: compared with all closed studies",
		"rs_norms":                "Norms",
		"rs_why_projection_new":   "the study was launched just now: no fill rate yet",
		"rs_why_projection_empty": "a group has no completes yet: no fill rate to project from",
		"rs_norms_line":           "Among %s closed studies (%s): median lift %s, the middle half from %s to %s; this study is at percentile %s.",
		"rs_norms_pool_all":       "all categories",
		"rs_norms_pool_cat":       "category %s",
	})
}
