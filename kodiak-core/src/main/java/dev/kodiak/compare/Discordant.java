package dev.kodiak.compare;

/**
 * The items on which two models differ: for classifiers, the items only A gets right and those only B gets right;
 * for other measures, the items where A scores better and those where B does. Items where they tie say nothing
 * about which is better.
 */
public record Discordant(int aOnly, int bOnly) {
    public int total() {
        return aOnly + bOnly;
    }
}
