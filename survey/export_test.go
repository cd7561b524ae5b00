package survey

// AllModels exposes the model list to the external tests.
var AllModels = allModels
