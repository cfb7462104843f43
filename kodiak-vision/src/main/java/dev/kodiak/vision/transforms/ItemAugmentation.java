package dev.kodiak.vision.transforms;

/**
 * The random choices {@link Augment} made for one item of a batch. Neutral values mean "not applied":
 * rotation 0, zoom 1, warp 0, brightness 0.5, contrast 1.
 *
 * @param flipHorizontal mirror left-right
 * @param flipVertical   mirror upside down
 * @param rotateDegrees  counter-clockwise rotation of the content as seen on screen
 * @param zoom           magnification (> 1 enlarges the content, < 1 shrinks it and shows padding)
 * @param zoomCentreX    where the zoom centre lies, 0 (left edge) .. 1 (right edge); only used when zoom != 1
 * @param zoomCentreY    the same for rows, 0 (top) .. 1 (bottom)
 * @param warpX          horizontal perspective tilt: the left edge grows by this fraction of the height at each
 *                       end, the right edge shrinks by as much (negative values the other way round)
 * @param warpY          vertical perspective tilt: the top edge grows and the bottom edge shrinks likewise
 * @param brightness     in (0, 1): added to each pixel's logit as {@code logit(brightness)}; 0.5 changes nothing
 * @param contrast       multiplies each pixel's logit; 1 changes nothing
 */
record ItemAugmentation(boolean flipHorizontal, boolean flipVertical, double rotateDegrees, double zoom,
                        double zoomCentreX, double zoomCentreY, double warpX, double warpY,
                        double brightness, double contrast) {

    static final ItemAugmentation NONE = new ItemAugmentation(false, false, 0, 1, 0.5, 0.5, 0, 0, 0.5, 1);

    ItemAugmentation {
        if (!(zoom > 0) || !Double.isFinite(zoom)) {
            throw new IllegalArgumentException("zoom must be positive, got " + zoom);
        }
        if (!(brightness > 0 && brightness < 1)) {
            throw new IllegalArgumentException("brightness must be in (0, 1), got " + brightness);
        }
        if (!(contrast > 0) || !Double.isFinite(contrast)) {
            throw new IllegalArgumentException("contrast must be positive, got " + contrast);
        }
    }

    /** True when the item must be resampled through a sampling grid (anything but flips). */
    boolean moves() {
        return rotateDegrees != 0 || zoom != 1 || warps();
    }

    boolean warps() {
        return warpX != 0 || warpY != 0;
    }

    boolean changesLighting() {
        return brightness != 0.5 || contrast != 1;
    }

    ItemAugmentation withFlips(boolean horizontal, boolean vertical) {
        return new ItemAugmentation(horizontal, vertical, rotateDegrees, zoom, zoomCentreX, zoomCentreY, warpX, warpY,
                brightness, contrast);
    }

    ItemAugmentation withRotation(double degrees) {
        return new ItemAugmentation(flipHorizontal, flipVertical, degrees, zoom, zoomCentreX, zoomCentreY, warpX, warpY,
                brightness, contrast);
    }

    ItemAugmentation withZoom(double factor, double centreX, double centreY) {
        return new ItemAugmentation(flipHorizontal, flipVertical, rotateDegrees, factor, centreX, centreY, warpX, warpY,
                brightness, contrast);
    }

    ItemAugmentation withWarp(double x, double y) {
        return new ItemAugmentation(flipHorizontal, flipVertical, rotateDegrees, zoom, zoomCentreX, zoomCentreY, x, y,
                brightness, contrast);
    }

    ItemAugmentation withLighting(double brightnessChange, double contrastFactor) {
        return new ItemAugmentation(flipHorizontal, flipVertical, rotateDegrees, zoom, zoomCentreX, zoomCentreY, warpX,
                warpY, brightnessChange, contrastFactor);
    }
}
