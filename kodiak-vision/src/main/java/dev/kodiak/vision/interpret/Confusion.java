package dev.kodiak.vision.interpret;

/** {@code count} items of class {@code actual} were predicted as {@code predicted} (an off-diagonal cell). */
public record Confusion(String actual, String predicted, int count) {
    @Override
    public String toString() {
        return actual + " → " + predicted + ": " + count;
    }
}
