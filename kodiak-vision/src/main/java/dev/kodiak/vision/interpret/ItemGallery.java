package dev.kodiak.vision.interpret;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.ImageGrid;
import dev.kodiak.vision.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The evaluated image files of an interpretation and how to show one (decoded, and transformed as the model saw it):
 * what the top-losses and results grids of every kind of interpretation draw.
 */
final class ItemGallery {
    /** Side of a grid cell, in pixels. */
    static final int CELL = 160;

    private final List<Path> items;
    private final Function<Path, RgbImage> viewer;
    private final Drawer drawer; // inputs that are no images (sound): drawn by their own kind; else null

    /** Draws input files in a grid, each under its caption (e.g. spectrograms of sound files). */
    @FunctionalInterface
    interface Drawer {
        void draw(List<Path> items, List<String> captions, int columns, Path png);
    }

    /** {@code items} may be empty (predictions made without files); otherwise one per prediction. */
    ItemGallery(List<Path> items, int predictions, Function<Path, RgbImage> viewer) {
        if (items != null && !items.isEmpty() && items.size() != predictions) {
            throw new KodiakException("got " + items.size() + " items for " + predictions + " predictions");
        }
        this.items = items == null ? List.of() : List.copyOf(items);
        this.viewer = viewer;
        this.drawer = null;
    }

    private ItemGallery(List<Path> items, int predictions, Drawer drawer) {
        if (items.size() != predictions) {
            throw new KodiakException("got " + items.size() + " items for " + predictions + " predictions");
        }
        this.items = List.copyOf(items);
        this.viewer = null;
        this.drawer = drawer;
    }

    /** Items drawn by {@code drawer} (inputs of another kind than images). */
    static ItemGallery drawnBy(List<Path> items, int predictions, Drawer drawer) {
        return new ItemGallery(items, predictions, drawer);
    }

    /** Files shown as decoded, without the model's item transforms. */
    static ItemGallery decoded(List<Path> items, int predictions) {
        return new ItemGallery(items, predictions, f -> ImageDecoder.standard().decode(f));
    }

    List<Path> items() {
        return items;
    }

    /** The file of prediction {@code i}; null when the predictions came without files. */
    Path item(int i) {
        return items.isEmpty() ? null : items.get(i);
    }

    /** Writes the items at {@code indices} in a square-ish grid, each under its caption. */
    void write(List<Integer> indices, List<String> captions, Path png) {
        if (indices.isEmpty()) {
            throw new KodiakException("no items to show: the interpretation holds no predictions");
        }
        int columns = (int) Math.ceil(Math.sqrt(indices.size()));
        if (drawer != null) {
            List<Path> chosen = new ArrayList<>();
            for (int i : indices) {
                chosen.add(item(i));
            }
            drawer.draw(chosen, captions, columns, png);
            return;
        }
        List<RgbImage> images = new ArrayList<>();
        for (int i : indices) {
            images.add(view(item(i)));
        }
        ImageGrid.write(images, captions, columns, CELL, png);
    }

    private RgbImage view(Path item) {
        if (item == null || viewer == null) {
            throw new KodiakException("these predictions came without image files: there is nothing to show");
        }
        return viewer.apply(item);
    }
}
