package dev.kodiak.learn.schedule;

/**
 * A hyper-parameter's value as a function of the position in training, 0 at the start and 1 at the end
 * (fastai's schedule functions). Build them with {@link Schedules}.
 */
@FunctionalInterface
public interface Schedule {
    /** The value at {@code pos} in [0, 1]. */
    double at(double pos);
}
