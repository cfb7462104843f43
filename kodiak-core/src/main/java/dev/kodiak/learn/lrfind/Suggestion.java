package dev.kodiak.learn.lrfind;

/**
 * One suggested learning rate, and the point of the loss curve it comes from (to mark on the plot).
 *
 * @param method    {@code valley}, {@code slide}, {@code minimum} or {@code steep}
 * @param lr        the learning rate to train with
 * @param pointLr   where on the curve's x axis the suggestion was read (for {@code minimum}, 10× {@code lr})
 * @param pointLoss the (smoothed) loss there
 */
public record Suggestion(String method, double lr, double pointLr, double pointLoss) {
}
