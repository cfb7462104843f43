package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import java.util.Locale;

/** The arithmetic of forward passes: float32, bf16 autocast, or whichever suits this CPU ({@link PrecisionChoice}). */
public enum Precision {
    FP32, BF16, AUTO;

    /** {@code fp32}, {@code bf16} or {@code auto}, in any case. */
    public static Precision parse(String text) {
        if (text != null) {
            for (Precision p : values()) {
                if (p.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new KodiakException("unknown precision '" + text + "': use fp32, bf16 or auto");
    }

    /** As written on the command line: {@code fp32}, {@code bf16}, {@code auto}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
