package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.model.ItemTransformSpec;
import dev.kodiak.vision.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Item transforms as the model file records them ({@link ItemTransformSpec}): what a model's preprocessing is,
 * written once at export and re-created exactly at load, so a model can never silently run with other preprocessing.
 */
public final class TransformSpecs {
    private TransformSpecs() {
    }

    /** The spec of one transform, e.g. {@code resize 128x128 crop reflection}. */
    public static ItemTransformSpec toSpec(ItemTransform<RgbImage> transform) {
        if (transform instanceof Resize r) {
            return new ItemTransformSpec.Resize(r.height(), r.width(), r.method().name().toLowerCase(Locale.ROOT),
                    r.padMode().name().toLowerCase(Locale.ROOT));
        }
        if (transform instanceof RandomResizedCrop c) {
            return new ItemTransformSpec.RandomResizedCrop(c.height(), c.width(), c.minScale());
        }
        throw new KodiakException("cannot record the item transform " + transform.describe()
                + " in a model file: only Resize and RandomResizedCrop are portable");
    }

    public static List<ItemTransformSpec> toSpecs(List<? extends ItemTransform<RgbImage>> transforms) {
        List<ItemTransformSpec> specs = new ArrayList<>();
        for (ItemTransform<RgbImage> t : transforms) {
            specs.add(toSpec(t));
        }
        return specs;
    }

    /** The transform a spec describes; a clear error for malformed values. */
    public static ItemTransform<RgbImage> fromSpec(ItemTransformSpec spec) {
        try {
            if (spec instanceof ItemTransformSpec.Resize r) {
                return Resize.to(r.height(), r.width())
                        .method(ResizeMethod.valueOf(r.method().toUpperCase(Locale.ROOT)))
                        .padMode(PadMode.valueOf(r.padMode().toUpperCase(Locale.ROOT)));
            }
            ItemTransformSpec.RandomResizedCrop c = (ItemTransformSpec.RandomResizedCrop) spec;
            return RandomResizedCrop.of(c.height(), c.width(), c.minScale());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KodiakException("the model file's item transform " + spec + " is malformed: " + e.getMessage());
        }
    }

    public static List<ItemTransform<RgbImage>> fromSpecs(List<ItemTransformSpec> specs) {
        List<ItemTransform<RgbImage>> out = new ArrayList<>();
        for (ItemTransformSpec s : specs) {
            out.add(fromSpec(s));
        }
        return out;
    }

    /** {height, width} the transforms produce (the last sizing transform wins); null when none sizes. */
    public static int[] outputSize(List<ItemTransformSpec> specs) {
        int[] size = null;
        for (ItemTransformSpec s : specs) {
            size = new int[] {s.height(), s.width()};
        }
        return size;
    }
}
