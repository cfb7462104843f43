package dev.kodiak.learn;

import dev.kodiak.learn.lrfind.LrSuggestions;

/**
 * What the learning-rate finder saw: the learning rate and smoothed loss of every batch it trained, and the
 * suggested learning rates.
 */
public record LrFindResult(double[] lrs, double[] losses, LrSuggestions suggestions) {
    public LrFindResult {
        lrs = lrs.clone();
        losses = losses.clone();
    }
}
