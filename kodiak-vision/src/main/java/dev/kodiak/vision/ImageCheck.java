package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.io.FileCheck;
import dev.kodiak.io.FileProblem;
import dev.kodiak.vision.ImageDecodeException.Reason;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code kodiak verify}'s image check: decodes every image fully (with the decoder's pixel and byte limits). Image
 * files in formats Kodiak does not read ({@link ImageFiles#UNSUPPORTED_EXTENSIONS}: {@code .tif}, {@code .svg},
 * {@code .heic}...) fail as {@code unsupported_format}. Reason codes are {@link Reason}'s names in lower case
 * ({@code zero_bytes}, {@code truncated}, {@code not_an_image}, {@code unsupported_format}, {@code too_large},
 * {@code unreadable}).
 */
public final class ImageCheck implements FileCheck {
    private final ImageDecoder decoder;

    private ImageCheck(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /** The check with the standard decoder's limits. */
    public static ImageCheck standard() {
        return new ImageCheck(ImageDecoder.standard());
    }

    /** The check with {@code decoder}'s limits. */
    public static ImageCheck of(ImageDecoder decoder) {
        if (decoder == null) {
            throw new KodiakException("decoder must not be null; use ImageDecoder.standard()");
        }
        return new ImageCheck(decoder);
    }

    /** {@code reason} as JSON and the quarantine log write it: {@code truncated}, {@code zero_bytes}, ... */
    public static String code(Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String what() {
        return "images";
    }

    @Override
    public List<Path> find(Path dir) {
        return ImageFiles.findImageLike(dir);
    }

    @Override
    public FileProblem check(Path file, Path real) {
        try {
            decoder.decode(real);
        } catch (ImageDecodeException e) {
            return new FileProblem(code(e.reason()), e.detail());
        }
        if (!ImageFiles.isUnsupportedImageName(file)) {
            return null;
        }
        // It decodes, but training lists only the readable extensions: say so rather than call it fine.
        String name = file.getFileName().toString();
        return new FileProblem(code(Reason.UNSUPPORTED_FORMAT), "its content is an image Kodiak reads, but training "
                + "skips files named ." + name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)
                + " (it lists " + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted().toList())
                + "); rename it");
    }
}
