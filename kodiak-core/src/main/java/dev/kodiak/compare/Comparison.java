package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.metrics.Predictions;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Is model B better than model A? A paired comparison on the same items: each model's metric with its bootstrap
 * interval, the difference B − A with a paired-bootstrap interval, the discordant items, a p-value, and how many
 * items would detect the observed difference with a given power.
 * <pre>{@code
 * Comparison c = Comparison.of(predsA, predsB);        // single-label: per-item error, McNemar's exact test
 * c.difference();                                      // -0.013: B makes 1.3 points fewer errors
 * c.differenceInterval();                              // 95% CI -0.040–0.013
 * c.pValue();                                          // 0.51
 * c.itemsForPower(0.8);                                // OptionalLong[3811]
 * }</pre>
 * The test is McNemar's exact test when the per-item values are right/wrong, else a paired (sign-flip) permutation
 * test. Intervals: percentile bootstrap, {@value #RESAMPLES} resamples, seed {@value #SEED}, 95%.
 */
public final class Comparison {
    public static final double CONFIDENCE = 0.95;
    public static final int RESAMPLES = 10_000;
    public static final long SEED = 42;
    /** The level at which {@link #itemsForPower} plans a two-sided test. */
    public static final double ALPHA = 0.05;
    /** The probability above which a multi-label output counts as predicted (fastai's accuracy_multi default). */
    public static final double THRESHOLD = 0.5;

    private final ItemMeasure measure;
    private final double[] a;
    private final double[] b;
    private final double[] differences;
    private final Estimate estimateA;
    private final Estimate estimateB;
    private final Interval differenceInterval;
    private final Discordant discordant;
    private final double pValue;

    private Comparison(ItemMeasure measure, double[] a, double[] b) {
        if (a.length != b.length) {
            throw new KodiakException("a paired comparison needs both models' values on the same items, got "
                    + a.length + " and " + b.length);
        }
        if (a.length == 0) {
            throw new KodiakException("nothing to compare: no items");
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new KodiakException("item " + i + " has a non-finite value (" + a[i] + ", " + b[i] + ")");
            }
            if (measure.binary() && (!(a[i] == 0 || a[i] == 1) || !(b[i] == 0 || b[i] == 1))) {
                throw new KodiakException(measure.metric() + " needs per-item values of 0 or 1; item " + i
                        + " has " + a[i] + " and " + b[i]);
            }
        }
        this.measure = measure;
        this.a = a.clone();
        this.b = b.clone();
        this.differences = PairedDifferences.of(a, b);
        this.estimateA = new Estimate(PairedDifferences.mean(a), Bootstrap.meanInterval(a, CONFIDENCE, RESAMPLES, SEED));
        this.estimateB = new Estimate(PairedDifferences.mean(b), Bootstrap.meanInterval(b, CONFIDENCE, RESAMPLES, SEED));
        this.differenceInterval = Bootstrap.meanInterval(differences, CONFIDENCE, RESAMPLES, SEED);
        int aBetter = 0;
        int bBetter = 0;
        for (double d : differences) {
            boolean bLower = d < 0;
            if (d != 0) {
                if (bLower == measure.lowerIsBetter()) {
                    bBetter++;
                } else {
                    aBetter++;
                }
            }
        }
        this.discordant = new Discordant(aBetter, bBetter);
        this.pValue = measure.binary() ? new McNemar(aBetter, bBetter).pValue()
                : SignFlipTest.pValue(differences, RESAMPLES, SEED);
    }

    /**
     * Two models' predictions on the same items in the same order (same targets, same label order), scored with
     * {@code measure}; multi-label outputs count as predicted above {@value #THRESHOLD}.
     */
    public static Comparison of(Predictions a, Predictions b, ItemMeasure measure) {
        if (a.n() != b.n() || a.k() != b.k()) {
            throw new KodiakException("the two prediction sets differ in shape (" + a.n() + "×" + a.k() + " and "
                    + b.n() + "×" + b.k() + "): a comparison needs both models on the same items");
        }
        if (!Arrays.equals(a.classTargets(), b.classTargets()) || !Arrays.equals(a.targets(), b.targets())) {
            throw new KodiakException("the two prediction sets have different targets: a comparison needs both models "
                    + "on the same items, in the same order, with the same labels");
        }
        return new Comparison(measure, measure.perItem(a, THRESHOLD), measure.perItem(b, THRESHOLD));
    }

    /** Two single-label classifiers' predictions on the same items: per-item error, McNemar's exact test. */
    public static Comparison of(Predictions a, Predictions b) {
        if (!a.singleLabel()) {
            throw new KodiakException("these predictions have float targets: say how to score them, e.g. "
                    + "Comparison.of(a, b, ItemMeasure.MAE) or ItemMeasure.ACCURACY_MULTI");
        }
        return of(a, b, ItemMeasure.ERROR_RATE);
    }

    /** Per-item values of {@code measure} (e.g. 0/1 errors, absolute errors) of two models on the same items. */
    public static Comparison ofValues(double[] a, double[] b, ItemMeasure measure) {
        return new Comparison(measure, a, b);
    }

    public ItemMeasure measure() {
        return measure;
    }

    /** How many items both models were scored on. */
    public int n() {
        return a.length;
    }

    /** Model A's metric (the mean of its per-item values) with its bootstrap interval. */
    public Estimate a() {
        return estimateA;
    }

    /** Model B's metric with its bootstrap interval. */
    public Estimate b() {
        return estimateB;
    }

    /** B − A of the metric (for an error rate, negative means B makes fewer errors). */
    public double difference() {
        return PairedDifferences.mean(differences);
    }

    /** The paired-bootstrap interval of {@link #difference()}. */
    public Interval differenceInterval() {
        return differenceInterval;
    }

    /** Items where only A is right (or A scores better) and where only B is. */
    public Discordant discordant() {
        return discordant;
    }

    /** {@code mcnemar-exact} or {@code permutation}: the test behind {@link #pValue()}. */
    public String test() {
        return measure.binary() ? "mcnemar-exact" : "permutation";
    }

    /**
     * The two-sided p-value of H0 "the models score the same on items like these": how surprising a difference at
     * least this large would be if chance alone were at work. Not the probability that H0 is true.
     */
    public double pValue() {
        return pValue;
    }

    /**
     * Roughly how many items a comparison needs to detect the observed difference with probability {@code power}
     * in a two-sided test at level {@value #ALPHA} (if the observed difference were the true one); empty when the
     * observed difference is 0.
     */
    public OptionalLong itemsForPower(double power) {
        if (measure.binary()) {
            return SampleSize.mcNemar((double) discordant.aOnly() / n(), (double) discordant.bOnly() / n(), power,
                    ALPHA);
        }
        return SampleSize.pairedMeans(difference(), PairedDifferences.sd(differences), power, ALPHA);
    }

    /** Model A's per-item values. */
    public double[] valuesA() {
        return a.clone();
    }

    /** Model B's per-item values. */
    public double[] valuesB() {
        return b.clone();
    }
}
