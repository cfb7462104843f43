package dev.kodiak.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.KodiakException;
import java.nio.file.Path;

/**
 * The options a checkpoint saved (its {@code plan}, a {@link TrainPlan}), read with a check of each one: a checkpoint that was edited,
 * damaged or written by something else gets a message naming the option, never a NullPointerException or a
 * silently different run.
 */
final class SavedOptions {
    private final JsonNode plan;
    private final Path checkpoint;

    SavedOptions(JsonNode plan, Path checkpoint) {
        if (plan == null || !plan.isObject()) {
            throw refused(checkpoint, "it has no saved training options: it was not written by `kodiak train`");
        }
        this.plan = plan;
        this.checkpoint = checkpoint;
    }

    String text(String key) {
        JsonNode v = required(key);
        if (!v.isTextual()) {
            throw invalid(key, v, "text");
        }
        return v.asText();
    }

    /** Text or null (an option that was not given). */
    String optionalText(String key) {
        JsonNode v = plan.get(key);
        return v == null || v.isNull() ? null : text(key);
    }

    int integer(String key) {
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw invalid(key, v, "a whole number");
        }
        return v.asInt();
    }

    long longInteger(String key) {
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(key, v, "a whole number");
        }
        return v.asLong();
    }

    Long optionalLongInteger(String key) {
        JsonNode v = plan.get(key);
        return v == null || v.isNull() ? null : longInteger(key);
    }

    Integer optionalInteger(String key) {
        JsonNode v = plan.get(key);
        return v == null || v.isNull() ? null : integer(key);
    }

    double number(String key) {
        JsonNode v = required(key);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw invalid(key, v, "a finite number");
        }
        return v.asDouble();
    }

    Double optionalNumber(String key) {
        JsonNode v = plan.get(key);
        return v == null || v.isNull() ? null : number(key);
    }

    boolean bool(String key) {
        JsonNode v = required(key);
        if (!v.isBoolean()) {
            throw invalid(key, v, "true or false");
        }
        return v.asBoolean();
    }

    /** The error for a saved option that reads well but is out of range (found by the command's own checks). */
    static KodiakException invalid(Path checkpoint, String why) {
        return refused(checkpoint, "its saved options are invalid: " + why);
    }

    private JsonNode required(String key) {
        JsonNode v = plan.get(key);
        if (v == null || v.isNull()) {
            throw refused(checkpoint, "its saved option '" + key + "' is missing");
        }
        return v;
    }

    private KodiakException invalid(String key, JsonNode v, String expected) {
        return refused(checkpoint, "its saved option '" + key + "' is " + v + ", not " + expected);
    }

    private static KodiakException refused(Path checkpoint, String why) {
        return new KodiakException("checkpoint " + checkpoint + " cannot be resumed: " + why
                + ". Start the run again without --resume (and delete the checkpoint).");
    }
}
