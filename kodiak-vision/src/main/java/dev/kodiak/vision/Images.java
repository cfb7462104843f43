package dev.kodiak.vision;

import dev.kodiak.KodiakException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing images to files, atomically: a reader never sees half a file, and a failed write leaves none. */
public final class Images {
    private Images() {
    }

    /** Writes {@code image} as a PNG file (lossless). */
    public static void writePng(RgbImage image, Path file) {
        writePng(ImageDecoder.toBufferedImage(image), file);
    }

    /** Writes {@code image} as a PNG file. */
    public static void writePng(BufferedImage image, Path file) {
        writeAtomically(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
        });
    }

    /** Writes {@code image} as a baseline JPEG file with {@code quality} between 0 and 1 (0.9 is a good default). */
    public static void writeJpeg(RgbImage image, Path file, double quality) {
        if (!(quality >= 0 && quality <= 1)) {
            throw new KodiakException("JPEG quality must be between 0 and 1, got " + quality);
        }
        BufferedImage buffered = ImageDecoder.toBufferedImage(image);
        writeAtomically(file, out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (var stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality((float) quality);
                writer.write(null, new IIOImage(buffered, null, null), param);
            } finally {
                writer.dispose();
            }
        });
    }

    /** What writes the content of a file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a temporary file next to {@code file}, then moves it into place. */
    static void writeAtomically(Path file, Content content) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                content.writeTo(out);
            }
            dev.kodiak.io.AtomicFiles.readableByAll(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new KodiakException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed or succeeded; a stray temp file is the lesser problem
                }
            }
        }
    }
}
