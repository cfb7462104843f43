package dev.kodiak.learn;

import dev.kodiak.KodiakException;

/**
 * Which number of an epoch to watch, and which direction is better: {@code valid_loss} (lower) or a metric
 * by name (error rates and losses lower, everything else higher).
 */
record Monitor(String name, boolean lowerIsBetter) {
    static Monitor of(String name) {
        boolean lower = name.equals("valid_loss") || name.equals("train_loss") || name.contains("error")
                || name.equals("mse") || name.equals("mae") || name.equals("rmse") || name.endsWith("_loss");
        return new Monitor(name, lower);
    }

    double value(EpochResult r) {
        if (name.equals("valid_loss")) {
            return r.validLoss();
        }
        if (name.equals("train_loss")) {
            return r.trainLoss();
        }
        Double v = r.metrics().get(name);
        if (v == null) {
            throw new KodiakException("cannot monitor '" + name + "': the epochs have valid_loss, train_loss and "
                    + r.metrics().keySet());
        }
        return v;
    }

    boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return lowerIsBetter ? value < best - minDelta : value > best + minDelta;
    }
}
