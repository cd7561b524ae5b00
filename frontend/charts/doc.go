// Package charts draws the dashboard's charts as inline SVG on the server:
// a forest plot of lifts (Lift), 100% stacked bars (Stacked), grouped bars
// of a distribution (Bars), a line over ordered categories (Line) and a
// progress bar against a target (Progress). It imports nothing of ours,
// only the standard library.
//
// Each chart is a struct whose SVG method returns an html/template.HTML
// holding one <svg> element, safe to embed in a page: every text is
// escaped, and there is no style attribute or <style> element, so the
// page's strict Content-Security-Policy holds. Shapes carry presentation
// attributes (fill, stroke, ...) so that a chart renders without any CSS,
// when printed or opened alone, and class names with the ch- prefix so
// that the page's CSS can theme them. CSS rules override presentation
// attributes, so write them for a shape and a class together, for example
// .ch-bar.ch-exposed { fill: ... } or .ch-line.ch-exposed { stroke: ... }.
//
// Classes: ch (the svg), ch-lift, ch-stacked, ch-bars, ch-line-chart,
// ch-progress (the kind of chart); ch-label (all text), ch-tick (axis
// labels), ch-value (value labels), ch-seglabel (a share inside a stacked
// segment), ch-legend; ch-axis, ch-zero, ch-grid; ch-ci (whiskers),
// ch-point, ch-sig, ch-nonsig (Lift); ch-segment, ch-bar, ch-line,
// ch-marker, ch-band, ch-swatch; ch-track, ch-fill, ch-done, ch-neutral
// (Progress); and the colour classes ch-exposed, ch-control, ch-promoter,
// ch-passive, ch-detractor, ch-s1 ... ch-s5.
//
// The caller formats every number, since the page is in Russian (decimal
// comma) or English: each chart takes the labels it draws as strings, or a
// Format func for axis ticks. The charts never draw a NaN or infinite
// value or bound: such a value is left out. A chart with nothing to draw
// returns "", for the caller to say "not enough data" in the page's words.
//
// The viewBox is 480 units wide (Progress: 240) and the svg is
// width="100%", so a chart scales to its container; text is 14 to 16
// units high, so about 10 px in a 320 px wide container (a phone) and 1:1
// in a 480 px one. On a wide page, cap the chart's width in CSS (say
// .ch { max-width: 40rem }) lest its text grow past the page's. The caller passes an ID unique in the page, from which the
// ids of the chart's <title> and <desc> are made (ID-title, ID-desc).
package charts
