package dev.kodiak.vision.demo;

import dev.kodiak.KodiakException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Builds the two small demo tasks beyond single labels from the embedded clip-art (one folder per category):
 * <ul>
 *   <li><b>regression</b> — one drawing pasted on a textured canvas at a known scale; the target {@code scale} is the
 *       drawing's side as a fraction of the canvas side ("how big is it?").</li>
 *   <li><b>multi-label</b> — two or three drawings on one canvas; the target is the set of their categories
 *       ("what is in the picture?"), space-delimited.</li>
 * </ul>
 * Each task is a folder of PNGs plus {@code labels.csv} ({@code file}, the target, {@code is_valid}). The validation
 * items are built only from drawings the training items never use, so the validation score measures generalization
 * to new drawings, not recall of the training ones. The output depends only on the clip-art and the seed.
 */
public final class DemoTasks {
    /** Canvas side in pixels. */
    public static final int SIZE = 128;
    /** Share of the source drawings (per category) kept for validation items. */
    static final double VALID_SHARE = 0.2;
    /** Smallest and largest drawing side for the regression task, as a fraction of the canvas. */
    static final double MIN_SCALE = 0.25;
    static final double MAX_SCALE = 0.95;
    /** Drawing side for the multi-label task, as a fraction of the canvas. */
    static final double MULTI_SCALE = 0.45;
    /** A pixel this close to white in every channel is the clip-art's background: left transparent when pasting. */
    private static final int WHITE = 240;

    /** The kinds of demo task. */
    public enum Kind {
        REGRESSION("regression"),
        MULTI_LABEL("multi-label");

        private final String cliName;

        Kind(String cliName) {
            this.cliName = cliName;
        }

        /** The task's name as the CLI spells it. */
        public String cliName() {
            return cliName;
        }
    }

    private DemoTasks() {
    }

    /**
     * Writes {@code items} images of {@code kind} and their {@code labels.csv} into {@code out} (created; must be empty
     * or absent) from the category folders of {@code clipart}. Returns the CSV's path.
     */
    public static Path build(Kind kind, Path clipart, Path out, int items, long seed) {
        if (items < 10) {
            throw new KodiakException("a demo task needs at least 10 items, got " + items);
        }
        List<Category> categories = categories(clipart);
        try {
            Files.createDirectories(out);
            try (Stream<Path> existing = Files.list(out)) {
                if (existing.findAny().isPresent()) {
                    throw new KodiakException("the demo task folder " + out + " is not empty: pick a new folder");
                }
            }
            Random random = new Random(seed);
            List<String> rows = new ArrayList<>();
            rows.add(kind == Kind.REGRESSION ? "file,scale,is_valid" : "file,labels,is_valid");
            int validItems = (int) Math.round(items * VALID_SHARE);
            for (int i = 0; i < items; i++) {
                boolean valid = i >= items - validItems;
                String file = String.format(Locale.ROOT, "%s%04d.png", kind == Kind.REGRESSION ? "scaled" : "scene", i);
                BufferedImage canvas = background(random);
                String target = kind == Kind.REGRESSION
                        ? pasteScaled(canvas, categories, valid, random)
                        : pasteScene(canvas, categories, valid, random);
                ImageIO.write(canvas, "png", out.resolve(file).toFile());
                rows.add(file + "," + target + "," + valid);
            }
            Path csv = out.resolve("labels.csv");
            Files.write(csv, rows, StandardCharsets.UTF_8);
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo task into " + out, e);
        }
    }

    private static String pasteScaled(BufferedImage canvas, List<Category> categories, boolean valid, Random random)
            throws IOException {
        Category c = categories.get(random.nextInt(categories.size()));
        double scale = MIN_SCALE + (MAX_SCALE - MIN_SCALE) * random.nextDouble();
        int side = (int) Math.round(scale * SIZE);
        paste(canvas, c.pick(valid, random), side, random.nextInt(SIZE - side + 1), random.nextInt(SIZE - side + 1));
        return String.format(Locale.ROOT, "%.4f", (double) side / SIZE);
    }

    private static String pasteScene(BufferedImage canvas, List<Category> categories, boolean valid, Random random)
            throws IOException {
        int count = 2 + random.nextInt(2);
        int side = (int) Math.round(MULTI_SCALE * SIZE);
        int half = SIZE / 2;
        // one drawing per quadrant, so none hides another
        List<Integer> quadrants = new ArrayList<>(List.of(0, 1, 2, 3));
        java.util.Collections.shuffle(quadrants, random);
        TreeSet<String> labels = new TreeSet<>();
        for (int k = 0; k < count; k++) {
            Category c = categories.get(random.nextInt(categories.size()));
            int q = quadrants.get(k);
            int x0 = (q % 2) * half + random.nextInt(half - side + 1);
            int y0 = (q / 2) * half + random.nextInt(half - side + 1);
            paste(canvas, c.pick(valid, random), side, x0, y0);
            labels.add(c.name);
        }
        return String.join(" ", labels);
    }

    /** Draws the non-white pixels of {@code drawing}, resized to {@code side}, with its corner at (x0, y0). */
    private static void paste(BufferedImage canvas, Path drawing, int side, int x0, int y0) throws IOException {
        BufferedImage src = ImageIO.read(drawing.toFile());
        if (src == null) {
            throw new KodiakException("the clip-art file " + drawing + " is not a readable image");
        }
        BufferedImage resized = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, side, side, null);
        g.dispose();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = resized.getRGB(x, y);
                if (((rgb >> 16) & 255) < WHITE || ((rgb >> 8) & 255) < WHITE || (rgb & 255) < WHITE) {
                    canvas.setRGB(x0 + x, y0 + y, rgb);
                }
            }
        }
    }

    /** A light, slightly noisy background of a random tint, so the canvas itself carries no information. */
    private static BufferedImage background(Random random) {
        BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int r = 200 + random.nextInt(40);
        int g = 200 + random.nextInt(40);
        int b = 200 + random.nextInt(40);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int n = random.nextInt(11) - 5;
                canvas.setRGB(x, y, new Color(r + n, g + n, b + n).getRGB());
            }
        }
        return canvas;
    }

    private static List<Category> categories(Path clipart) {
        if (!Files.isDirectory(clipart)) {
            throw new KodiakException("the clip-art folder " + clipart + " does not exist");
        }
        List<Category> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(clipart)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                            .sorted(Comparator.comparing(Path::toString)).toList();
                }
                if (files.size() >= 5) {
                    out.add(new Category(dir.getFileName().toString(), files));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the clip-art folder " + clipart, e);
        }
        if (out.size() < 2) {
            throw new KodiakException("the clip-art folder " + clipart
                    + " needs at least two category folders of five or more PNG drawings each");
        }
        return out;
    }

    /** One category's drawings, split once into a training pool and a validation pool. */
    private static final class Category {
        final String name;
        final List<Path> train;
        final List<Path> valid;

        Category(String name, List<Path> files) {
            this.name = name;
            int nValid = Math.max(1, (int) Math.round(files.size() * VALID_SHARE));
            // every fifth drawing (in name order) goes to validation: deterministic and spread over the folder
            List<Path> t = new ArrayList<>();
            List<Path> v = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                (i % 5 == 4 && v.size() < nValid ? v : t).add(files.get(i));
            }
            this.train = t;
            this.valid = v;
        }

        Path pick(boolean validation, Random random) {
            List<Path> pool = validation ? valid : train;
            return pool.get(random.nextInt(pool.size()));
        }
    }
}
