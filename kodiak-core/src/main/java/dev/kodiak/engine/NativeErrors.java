package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import java.util.function.Supplier;

/**
 * Turns libtorch's errors into Kodiak errors.
 *
 * <p>A failing libtorch call reaches Java as a plain {@link RuntimeException} whose message is the C++ text followed
 * by a C++ backtrace of dozens of lines ("Exception raised from ... frame #0: ..."). Users need the first line and
 * what Kodiak was doing; the full text stays available as the cause for {@code --debug}.
 *
 * <p>Internal: used by Kodiak's own code around native calls.
 */
public final class NativeErrors {
    private static final int MAX_MESSAGE = 400;

    private NativeErrors() {
    }

    /**
     * Runs {@code op}; a native failure becomes a {@link KodiakException} reading {@code "<context>: <first line>"}.
     * A KodiakException thrown by {@code op} passes through unchanged.
     *
     * @param context what Kodiak was doing, in the user's words, e.g. {@code "forward pass of resnet34 on batch 3"}
     */
    public static <T> T call(String context, Supplier<T> op) {
        try {
            return op.get();
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrap(context, e);
        }
    }

    /** {@link #call} for operations without a result. */
    public static void run(String context, Runnable op) {
        try {
            op.run();
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrap(context, e);
        }
    }

    /** The Kodiak error for a native failure {@code e} that happened while doing {@code context}. */
    public static KodiakException wrap(String context, RuntimeException e) {
        if (e instanceof KodiakException k) {
            return k;
        }
        String reason = shortMessage(e.getMessage());
        String prefix = context == null || context.isBlank() ? "PyTorch failed" : context;
        return new KodiakException(prefix + ": " + (reason.isEmpty() ? e.getClass().getSimpleName() : reason), e);
    }

    /**
     * The first meaningful line of a libtorch message: no backtrace, no source location, at most 400 characters.
     * Returns "" for a null or blank message.
     */
    public static String shortMessage(String message) {
        if (message == null) {
            return "";
        }
        for (String line : message.split("\\R")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("Exception raised from") || s.startsWith("frame #")) {
                continue;
            }
            return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
        }
        return "";
    }
}
