package dev.kodiak.learn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a stored {@link Recipe}: its {@code name} must be one this Kodiak knows and its {@code version}
 * {@value Recipe#VERSION}; every value must be present and of its type, and the record checks the rest. Also reads the
 * two forms Kodiak's format version 1 wrote: a checkpoint's {@code {"kind":"fine_tune",...}} and a model file's words
 * ({@code fine_tune(3, base_lr=0.002, freeze_epochs=1, lr_mult=100.0)}).
 */
public final class RecipeJson {
    private static final Map<String, Class<? extends Recipe>> TYPES = Map.of(Recipe.FIT, Recipe.Fit.class,
            Recipe.FIT_ONE_CYCLE, Recipe.FitOneCycle.class, Recipe.FINE_TUNE, Recipe.FineTune.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RecipeJson() {
    }

    /**
     * The recipe {@code node} stores; a {@link KodiakException} saying what is wrong (without naming the file: the
     * caller does) for an unknown name or version, a missing or mistyped value, or values the recipe refuses.
     */
    public static Recipe read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new KodiakException("the recipe is " + node + ", not an object with a name");
        }
        ObjectNode fields = node.has("kind") && !node.has("name") ? fromVersion1(node) : node.deepCopy();
        JsonNode name = fields.remove("name");
        if (name == null || !name.isTextual()) {
            throw new KodiakException("the recipe has no name (this Kodiak knows " + known() + ")");
        }
        Class<? extends Recipe> type = TYPES.get(name.asText());
        if (type == null) {
            throw new KodiakException("unknown recipe '" + name.asText() + "' (this Kodiak knows " + known()
                    + "): written by a newer Kodiak?");
        }
        JsonNode version = fields.remove("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new KodiakException("recipe " + name.asText() + " has no version (a whole number) but " + version);
        }
        if (version.asLong() != Recipe.VERSION) {
            throw new KodiakException("recipe " + name.asText() + " has version " + version.asText()
                    + ", but this Kodiak reads version " + Recipe.VERSION
                    + (version.asLong() > Recipe.VERSION ? ": upgrade Kodiak" : ""));
        }
        for (RecordComponent c : type.getRecordComponents()) {
            String key = snake(c.getName());
            if (c.getType().isPrimitive() && (!fields.has(key) || fields.get(key).isNull())) {
                throw new KodiakException("recipe " + name.asText() + " has no '" + key + "'");
            }
        }
        try {
            return JSON.treeToValue(fields, type);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new KodiakException("recipe " + name.asText() + " has a value this Kodiak does not know: '" + path(e)
                    + "' (written by a newer Kodiak?)");
        } catch (InvalidFormatException e) {
            throw new KodiakException("recipe " + name.asText() + "'s '" + path(e) + "' is " + e.getValue()
                    + ", not " + typeName(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw new KodiakException("recipe " + name.asText() + "'s '" + path(e) + "' is invalid: "
                    + e.getOriginalMessage());
        } catch (IOException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof KodiakException k ? k : e;
            String why = cause instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : cause.getMessage();
            throw new KodiakException("recipe " + name.asText() + " is invalid: " + why, e);
        }
    }

    /**
     * The recipe a format-version-1 model file describes in words; null when the words are none of the three
     * recipes (the file then records no recipe). Values the words leave out are the ones Kodiak used then.
     */
    public static Recipe fromWords(String words) {
        if (words == null) {
            return null;
        }
        Matcher m = Pattern.compile("(fit|fit_one_cycle|fine_tune)\\((\\d+)(.*)\\)").matcher(words.strip());
        if (!m.matches()) {
            return null;
        }
        Map<String, String> args = new java.util.HashMap<>();
        Matcher a = Pattern.compile(",\\s*(\\w+)=(slice\\([^)]*\\)|[^,]+)").matcher(m.group(3));
        while (a.find()) {
            args.put(a.group(1), a.group(2).strip());
        }
        try {
            int epochs = Integer.parseInt(m.group(2));
            return switch (m.group(1)) {
                case Recipe.FIT -> new Recipe.Fit(epochs, slice(args.get("lr")), null);
                case Recipe.FIT_ONE_CYCLE -> new Recipe.FitOneCycle(epochs, slice(args.get("lr_max")),
                        dev.kodiak.learn.schedule.OneCycle.defaults(), null);
                default -> Recipe.fineTune(epochs, Double.parseDouble(args.get("base_lr")),
                        Integer.parseInt(args.get("freeze_epochs")), Double.parseDouble(args.get("lr_mult")));
            };
        } catch (RuntimeException e) { // words we cannot read: no recipe, not a refused file
            return null;
        }
    }

    private static dev.kodiak.learn.schedule.LrSlice slice(String text) {
        Matcher s = Pattern.compile("slice\\(([^,)]+)(?:,\\s*([^)]+))?\\)").matcher(text);
        if (!s.matches()) {
            return dev.kodiak.learn.schedule.LrSlice.single(Double.parseDouble(text));
        }
        return s.group(2) == null ? dev.kodiak.learn.schedule.LrSlice.of(Double.parseDouble(s.group(1)))
                : dev.kodiak.learn.schedule.LrSlice.of(Double.parseDouble(s.group(1)), Double.parseDouble(s.group(2)));
    }

    /** A format-version-1 checkpoint's recipe ({@code kind}, flat values) in today's form. */
    private static ObjectNode fromVersion1(JsonNode old) {
        ObjectNode n = JSON.createObjectNode();
        String kind = old.path("kind").asText();
        n.put("name", kind);
        n.put("version", Recipe.VERSION);
        n.set("epochs", old.get("epochs"));
        if (kind.equals(Recipe.FINE_TUNE)) {
            n.set("base_lr", old.get("base_lr"));
            n.set("freeze_epochs", old.get("freeze_epochs"));
            n.set("lr_mult", old.get("lr_mult"));
            n.put("pct_start", Recipe.FineTune.PCT_START); // fixed then
            n.put("div", Recipe.FineTune.DIV);
        } else if (kind.equals(Recipe.FIT_ONE_CYCLE)) {
            ObjectNode lr = n.putObject("lr_max");
            lr.put("kind", old.path("lr_kind").asText().toLowerCase(java.util.Locale.ROOT));
            lr.set("lo", old.get("lr_lo"));
            lr.set("hi", old.get("lr_hi"));
            ObjectNode cycle = n.putObject("cycle");
            for (String key : List.of("pct_start", "div", "div_final", "mom_start", "mom_mid", "mom_end")) {
                cycle.set(key, old.get(key));
            }
        }
        return n;
    }

    private static String known() {
        return Recipe.FIT + ", " + Recipe.FIT_ONE_CYCLE + " and " + Recipe.FINE_TUNE;
    }

    private static String snake(String camel) {
        return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(camel);
    }

    private static String path(MismatchedInputException e) {
        List<String> parts = new ArrayList<>();
        for (Iterator<com.fasterxml.jackson.databind.JsonMappingException.Reference> it = e.getPath().iterator();
                it.hasNext(); ) {
            var ref = it.next();
            parts.add(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return String.join(".", parts);
    }

    private static String typeName(Class<?> type) {
        return type == int.class || type == Integer.class ? "a whole number"
                : type == double.class || type == Double.class ? "a number" : "a " + type.getSimpleName();
    }

    /** Jackson's door to {@link #read}: every reader of a {@link Recipe} gets its checks. */
    public static final class Deserializer extends JsonDeserializer<Recipe> {
        @Override
        public Recipe deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            try {
                return read(node);
            } catch (KodiakException e) {
                throw com.fasterxml.jackson.databind.JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }
}
