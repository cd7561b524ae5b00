/* Brandlift NPS widget: being written (see api/browser_widget_test.go). */
