package store

// allModels lists every GORM model that maps a table of the migrated schema;
// the migration test checks each model's columns against the database.
var allModels = []any{
	&schemaMigration{}, &studyRow{}, &questionRow{}, &optionRow{}, &apiKeyRow{},
	&responseRow{}, &cellRow{}, &tallyRow{}, &dailyTallyRow{}, &groupCountRow{}, &durationRow{}, &exposureRow{},
	&userRow{}, &sessionRow{}, &loginFailureRow{}, &auditRow{},
	&webhookRow{}, &deliveryRow{}, &attemptRow{}, &contactRow{}, &impressionFileRow{},
}
