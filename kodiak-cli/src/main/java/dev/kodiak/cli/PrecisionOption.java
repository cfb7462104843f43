package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Precision;
import dev.kodiak.engine.PrecisionChoice;

/**
 * {@code --precision fp32|bf16|auto} of every command: the decision is core's ({@link PrecisionChoice}); this says it
 * out loud on stderr, so that nobody trains 15x slower without knowing why.
 */
final class PrecisionOption {
    private PrecisionOption() {
    }

    /** Decides {@code option} for this CPU; says what {@code auto} chose and why, and warns where bf16 is emulated. */
    static PrecisionChoice choose(String option, Output o) {
        Precision requested = parse(option);
        PrecisionChoice choice = PrecisionChoice.forHost(requested);
        if (requested == Precision.AUTO) {
            o.note(choice.summary());
        }
        choice.warning().ifPresent(w -> o.warn("%s", w));
        return choice;
    }

    /** The option's value, or an error naming it. */
    static Precision parse(String option) {
        try {
            return Precision.parse(option);
        } catch (KodiakException e) {
            throw new KodiakException("unknown --precision '" + option + "': use fp32, bf16 or auto", e);
        }
    }
}
