package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.vision.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Item transforms as plain values, for the model file: what a model's preprocessing is, written once at export
 * and re-created exactly at load, so a model can never silently run with other preprocessing.
 */
public final class TransformSpecs {
    private TransformSpecs() {
    }

    /** The spec of one transform, e.g. {@code {"type":"resize","height":128,"width":128,"method":"crop"}}. */
    public static Map<String, Object> toSpec(ItemTransform<RgbImage> transform) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (transform instanceof Resize r) {
            spec.put("type", "resize");
            spec.put("height", r.height());
            spec.put("width", r.width());
            spec.put("method", r.method().name().toLowerCase(Locale.ROOT));
            spec.put("pad_mode", r.padMode().name().toLowerCase(Locale.ROOT));
        } else if (transform instanceof RandomResizedCrop c) {
            spec.put("type", "random_resized_crop");
            spec.put("height", c.height());
            spec.put("width", c.width());
            spec.put("min_scale", c.minScale());
        } else {
            throw new KodiakException("cannot record the item transform " + transform.describe()
                    + " in a model file: only Resize and RandomResizedCrop are portable");
        }
        return spec;
    }

    public static List<Map<String, Object>> toSpecs(List<? extends ItemTransform<RgbImage>> transforms) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (ItemTransform<RgbImage> t : transforms) {
            specs.add(toSpec(t));
        }
        return specs;
    }

    /** The transform a spec describes; a clear error for anything unknown or malformed. */
    public static ItemTransform<RgbImage> fromSpec(Map<String, Object> spec) {
        Object type = spec.get("type");
        try {
            if ("resize".equals(type)) {
                return Resize.to(integer(spec, "height"), integer(spec, "width"))
                        .method(ResizeMethod.valueOf(string(spec, "method").toUpperCase(Locale.ROOT)))
                        .padMode(PadMode.valueOf(string(spec, "pad_mode").toUpperCase(Locale.ROOT)));
            }
            if ("random_resized_crop".equals(type)) {
                return RandomResizedCrop.of(integer(spec, "height"), integer(spec, "width"),
                        ((Number) spec.get("min_scale")).doubleValue());
            }
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new KodiakException("the model file's item transform " + spec + " is malformed: " + e.getMessage());
        }
        throw new KodiakException("the model file asks for an item transform of unknown type '" + type
                + "': it was written by a newer Kodiak");
    }

    public static List<ItemTransform<RgbImage>> fromSpecs(List<Map<String, Object>> specs) {
        List<ItemTransform<RgbImage>> out = new ArrayList<>();
        for (Map<String, Object> s : specs) {
            out.add(fromSpec(s));
        }
        return out;
    }

    /** {height, width} the transforms produce (the last sizing transform wins); null when none sizes. */
    public static int[] outputSize(List<Map<String, Object>> specs) {
        int[] size = null;
        for (Map<String, Object> s : specs) {
            if (s.get("height") instanceof Number && s.get("width") instanceof Number) {
                size = new int[] {integer(s, "height"), integer(s, "width")};
            }
        }
        return size;
    }

    // A whole number that fits an int: 4294967297 must not wrap to 1, nor 128.7 round to 128.
    private static int integer(Map<String, Object> spec, String key) {
        Object v = spec.get(key);
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Number n) {
            try {
                return new java.math.BigDecimal(n.toString()).intValueExact(); // fails on a fraction or overflow
            } catch (ArithmeticException | NumberFormatException notWhole) {
                // reported below
            }
        }
        throw new KodiakException("the model file's item transform " + spec + " is malformed: " + key + " is " + v
                + ", not a whole number of pixels up to " + Resize.MAX_SIDE);
    }

    private static String string(Map<String, Object> spec, String key) {
        return (String) spec.get(key);
    }
}
