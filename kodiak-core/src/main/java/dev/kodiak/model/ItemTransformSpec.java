package dev.kodiak.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An item transform as a model file records it, by {@code type}: what a model's preprocessing is, written once at
 * export and re-created exactly at load (the vision module turns these into transforms and checks their values), so
 * a model never silently runs with other preprocessing. A type this Kodiak does not know refuses the file.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ItemTransformSpec.Resize.class, name = ItemTransformSpec.RESIZE),
        @JsonSubTypes.Type(value = ItemTransformSpec.RandomResizedCrop.class, name = ItemTransformSpec.RANDOM_RESIZED_CROP)})
public sealed interface ItemTransformSpec permits ItemTransformSpec.Resize, ItemTransformSpec.RandomResizedCrop {
    String RESIZE = "resize";
    String RANDOM_RESIZED_CROP = "random_resized_crop";

    /** Height of the image the transform produces, in pixels. */
    int height();

    /** Width of the image the transform produces, in pixels. */
    int width();

    /**
     * Resize to {@code height} x {@code width}.
     *
     * @param method  {@code crop}, {@code pad} or {@code squish}
     * @param padMode {@code reflection}, {@code zeros} or {@code border} (for {@code pad})
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Resize(int height, int width, String method, String padMode) implements ItemTransformSpec {
    }

    /**
     * A random crop of at least {@code minScale} of the area for training; a centre crop when predicting.
     *
     * @param minScale the smallest fraction of the image's area a training crop covers
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RandomResizedCrop(int height, int width, double minScale) implements ItemTransformSpec {
    }
}
