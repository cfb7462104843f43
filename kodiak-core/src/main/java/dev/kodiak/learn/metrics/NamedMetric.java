package dev.kodiak.learn.metrics;

import java.util.function.ToDoubleFunction;

/** A metric made of a name, a direction and a function; the built-in metrics are all of this kind. */
record NamedMetric(String name, boolean higherIsBetter, ToDoubleFunction<Predictions> function) implements Metric {
    @Override
    public double compute(Predictions predictions) {
        return predictions.n() == 0 ? Double.NaN : function.applyAsDouble(predictions);
    }

    @Override
    public String toString() {
        return name;
    }
}
