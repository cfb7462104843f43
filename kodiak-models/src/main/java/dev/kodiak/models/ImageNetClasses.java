package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The 1000 ImageNet-1k class names in logit order, shipped with Kodiak (from torchvision, BSD-3-Clause). */
public final class ImageNetClasses {
    /** The number of ImageNet-1k classes. */
    public static final int COUNT = 1000;
    private static volatile List<String> names;

    private ImageNetClasses() {
    }

    /** All names; index i is the name of logit i. */
    public static List<String> names() {
        List<String> n = names;
        if (n == null) {
            n = load();
            names = n;
        }
        return n;
    }

    /** The name of class {@code index}. */
    public static String name(int index) {
        if (index < 0 || index >= COUNT) {
            throw new KodiakException("ImageNet class index must be 0.." + (COUNT - 1) + ", got " + index);
        }
        return names().get(index);
    }

    private static List<String> load() {
        try (InputStream in = ImageNetClasses.class.getResourceAsStream("imagenet-classes.txt")) {
            if (in == null) {
                throw new KodiakException("the ImageNet class names are missing from Kodiak's jar (imagenet-classes.txt)");
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (lines.size() != COUNT) {
                throw new KodiakException("imagenet-classes.txt holds " + lines.size() + " names, not " + COUNT);
            }
            return lines;
        } catch (IOException e) {
            throw new KodiakException("cannot read the ImageNet class names: " + e.getMessage(), e);
        }
    }
}
