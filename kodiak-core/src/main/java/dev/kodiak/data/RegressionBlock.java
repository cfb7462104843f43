package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One or more numbers per item (regression). A label may be a number, a float/double array, a collection of
 * numbers, or a string of numbers separated by spaces or commas.
 *
 * @param names the value names in output order; empty until {@link #fit} has counted the values
 */
public record RegressionBlock(List<String> names) implements TargetBlock {
    public RegressionBlock {
        names = List.copyOf(names);
    }

    /** A block whose number of values comes from the data (named {@code value}, or {@code value0..n}). */
    public static RegressionBlock create() {
        return new RegressionBlock(List.of());
    }

    /** A block with named values, e.g. {@code RegressionBlock.named("x", "y")}. */
    public static RegressionBlock named(String... names) {
        if (names.length == 0) {
            throw new KodiakException("a regression block needs at least one value name");
        }
        return new RegressionBlock(List.of(names));
    }

    @Override
    public RegressionBlock fit(List<Object> labels) {
        if (!names.isEmpty()) {
            return this;
        }
        if (labels.isEmpty()) {
            throw new KodiakException("cannot fit a regression block on no labels");
        }
        int n = values(labels.get(0)).length;
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            generated.add(n == 1 ? "value" : "value" + i);
        }
        return new RegressionBlock(generated);
    }

    @Override
    public List<String> vocab() {
        return names;
    }

    @Override
    public int outputs() {
        return names.size();
    }

    @Override
    public long encode(Object label, float[] floats) {
        double[] v = values(label);
        if (v.length != names.size()) {
            throw new KodiakException("expected " + names.size() + " regression value(s) " + names + ", got " + v.length
                    + " in label '" + label + "'");
        }
        for (int i = 0; i < v.length; i++) {
            floats[i] = (float) v[i];
        }
        return -1;
    }

    @Override
    public String caption(Object label) {
        double[] v = values(label);
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", d));
        }
        return sb.toString();
    }

    @Override
    public String defaultLoss() {
        return "mse";
    }

    /** The numbers in one label. */
    public static double[] values(Object label) {
        if (label instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (label instanceof double[] d) {
            return d.clone();
        }
        if (label instanceof float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (label instanceof Collection<?> c) {
            double[] d = new double[c.size()];
            int i = 0;
            for (Object o : c) {
                d[i++] = values(o)[0];
            }
            return d;
        }
        if (label instanceof String s) {
            String[] parts = s.trim().split("[\\s,]+");
            double[] d = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    d[i] = Double.parseDouble(parts[i]);
                } catch (NumberFormatException e) {
                    throw new KodiakException("regression label '" + s + "' is not a number (or numbers)");
                }
            }
            return d;
        }
        throw new KodiakException("regression label must be a number, numbers or a string of numbers, got "
                + (label == null ? "null" : label.getClass().getSimpleName()));
    }
}
