package dev.kodiak.compare;

import dev.kodiak.KodiakException;

/**
 * McNemar's exact test for two classifiers scored on the same items. Only the discordant items carry information:
 * under H0 (both models equally accurate) each of them is as likely to favour A as B, so the number that only B gets
 * right is B(aOnly + bOnly, ½), and the p-value is the exact two-sided binomial one (no continuity correction and no
 * χ² approximation, both of which mislead with few discordant items).
 *
 * @param aOnly items only A gets right
 * @param bOnly items only B gets right
 */
public record McNemar(int aOnly, int bOnly) {
    public McNemar {
        if (aOnly < 0 || bOnly < 0) {
            throw new KodiakException("discordant counts cannot be negative, got " + aOnly + " and " + bOnly);
        }
    }

    /** Items on which the two models disagree about being right. */
    public int discordant() {
        return aOnly + bOnly;
    }

    /** The exact two-sided p-value; 1 when there are no discordant items. */
    public double pValue() {
        return Binomial.twoSidedPValue(bOnly, aOnly + bOnly, 0.5);
    }
}
