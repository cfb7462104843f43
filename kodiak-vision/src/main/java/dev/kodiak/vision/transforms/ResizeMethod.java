package dev.kodiak.vision.transforms;

/** How {@link Resize} reaches the target aspect ratio. */
public enum ResizeMethod {
    /** Cut the largest region with the target's aspect (random position when training, centred otherwise). */
    CROP,
    /** Shrink or enlarge the whole image to fit inside the target and fill the rest ({@link PadMode}). */
    PAD,
    /** Stretch the whole image to the target size, distorting its aspect ratio. */
    SQUISH;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
