package dev.kodiak.compare;

import dev.kodiak.KodiakException;

/** Per-item differences {@code b[i] − a[i]} of two models' values on the same items, with their mean and sd. */
final class PairedDifferences {
    private PairedDifferences() {
    }

    static double[] of(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new KodiakException("a paired comparison needs the same items for both models, got " + a.length
                    + " and " + b.length + " values");
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = b[i] - a[i];
        }
        return d;
    }

    static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return x.length == 0 ? Double.NaN : sum / x.length;
    }

    /** The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
    static double sd(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }
}
