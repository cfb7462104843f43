package dev.kodiak.vision.imagenet;

/** One class of a prediction: its index, name, raw score (logit) and softmax probability. */
public record ClassScore(int index, String label, double logit, double probability) {
}
