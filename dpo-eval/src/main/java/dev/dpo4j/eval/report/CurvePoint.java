package dev.dpo4j.eval.report;

/**
 * One point of a training-curve series: a metric's value at an optimizer step.
 *
 * @param step the optimizer step (x axis)
 * @param value the metric's value (y axis)
 */
public record CurvePoint(double step, double value) {
}
