package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.util.Arrays;
import java.util.Locale;

/** The three kinds of model Kodiak trains, named as the CLI, the model file and the JSON outputs spell them. */
public enum TaskKind {
    /** One class per item (softmax, cross-entropy). */
    SINGLE_LABEL("single-label"),
    /** A set of labels per item, possibly empty (sigmoid per label, binary cross-entropy). */
    MULTI_LABEL("multi-label"),
    /** One or more numbers per item (linear outputs, mean squared error). */
    REGRESSION("regression");

    private final String cliName;

    TaskKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name used everywhere outside Java: {@code single-label}, {@code multi-label}, {@code regression}. */
    public String cliName() {
        return cliName;
    }

    /** The kind named {@code name} (as {@link #cliName()}), with a clear error listing the names otherwise. */
    public static TaskKind parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TaskKind k : values()) {
            if (k.cliName.equals(n)) {
                return k;
            }
        }
        throw new KodiakException("unknown task '" + name + "': use one of "
                + String.join(", ", Arrays.stream(values()).map(TaskKind::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
