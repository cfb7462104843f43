package dev.kodiak.vision;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecodeException.Reason;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes JPEG (including CMYK/YCCK and progressive), PNG, GIF (first frame), BMP and WebP files into
 * {@link RgbImage}s, ready for files from the web: the format is recognised by its bytes, not its name; the pixel
 * count is checked against {@link DecodeLimits} from the header before any pixel is decoded; truncated files are
 * refused instead of returned half grey; JPEGs are turned upright by their EXIF orientation; grayscale becomes
 * RGB and transparency is flattened on white. Every failure is an {@link ImageDecodeException} naming the file.
 *
 * <p>Ordinary JPEGs (8-bit gray or colour, baseline or progressive) are decoded with libjpeg-turbo, about 1.4 times
 * as fast; anything it warns about, and every other format or kind of JPEG, goes through ImageIO (TwelveMonkeys).
 *
 * <p>Thread-safe: one decoder can serve all of a data loader's workers (each call uses its own native decoder or
 * ImageIO reader).
 */
public final class ImageDecoder {
    private static final ImageDecoder STANDARD = new ImageDecoder(DecodeLimits.DEFAULT);
    private static final Map<ImageFormat, ImageReaderSpi> READERS = findReaders();

    private final DecodeLimits limits;

    private ImageDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    /** A decoder with {@link DecodeLimits#DEFAULT}. */
    public static ImageDecoder standard() {
        return STANDARD;
    }

    public static ImageDecoder withLimits(DecodeLimits limits) {
        if (limits == null) {
            throw new KodiakException("limits must not be null; use DecodeLimits.DEFAULT");
        }
        return new ImageDecoder(limits);
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes the image file at {@code file}. Only regular files are read (a FIFO would block and a device such as
     * /dev/zero never end, also behind a link), and never more than {@link DecodeLimits#maxFileBytes()} of them.
     */
    public RgbImage decode(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) { // follows links: a link to /dev/zero is a device
                throw new ImageDecodeException(name, file, Reason.UNREADABLE, Files.isDirectory(file)
                        ? "it is a folder, not an image file"
                        : "it is not a regular file (a pipe, device or socket), so it is not read", null);
            }
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                throw tooManyBytes(name, file, size);
            }
            try (InputStream in = Files.newInputStream(file)) { // the size can change, or be wrong (/proc)
                bytes = in.readNBytes((int) limits.maxFileBytes() + 1);
            }
            if (bytes.length > limits.maxFileBytes()) {
                throw tooManyBytes(name, file, bytes.length);
            }
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(name, file, Reason.UNREADABLE, "the file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(name, file, Reason.UNREADABLE, "permission denied", e);
        } catch (IOException e) {
            throw new ImageDecodeException(name, file, Reason.UNREADABLE, "it cannot be read (" + e + ")", e);
        }
        return decode(bytes, name, file);
    }

    /** Decodes an image held in memory; {@code name} (a file name, an upload's name, a URL) is used in errors. */
    public RgbImage decode(byte[] bytes, String name) {
        return decode(bytes, name, null);
    }

    /** Reads {@code in} to its end (it is not closed) and decodes it; {@code name} is used in errors. */
    public RgbImage decode(InputStream in, String name) {
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) limits.maxFileBytes() + 1);
        } catch (IOException e) {
            throw new ImageDecodeException(name, null, Reason.UNREADABLE, "it cannot be read (" + e + ")", e);
        }
        if (bytes.length > limits.maxFileBytes()) {
            throw tooManyBytes(name, null, bytes.length);
        }
        return decode(bytes, name, null);
    }

    /** The pixels of an image Java 2D already holds (any type), as RGB; alpha is flattened on white. */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        return PixelConversion.toRgb(image);
    }

    /** A new {@code TYPE_3BYTE_BGR} image with a copy of the pixels, for drawing and for ImageIO writers. */
    public static BufferedImage toBufferedImage(RgbImage image) {
        return PixelConversion.toBufferedImage(image);
    }

    private RgbImage decode(byte[] bytes, String name, Path path) {
        if (bytes.length == 0) {
            throw new ImageDecodeException(name, path, Reason.ZERO_BYTES, "the file is empty (0 bytes; failed download?)",
                    null);
        }
        if (bytes.length > limits.maxFileBytes()) {
            throw tooManyBytes(name, path, bytes.length);
        }
        FormatSniffer.Verdict verdict = FormatSniffer.sniff(bytes);
        if (verdict.format() == null) {
            throw new ImageDecodeException(name, path, verdict.reason(), verdict.detail(), null);
        }
        ImageFormat format = verdict.format();
        JpegStructure jpeg = format == ImageFormat.JPEG ? JpegStructure.of(bytes) : null;
        if (format == ImageFormat.WEBP && bytes.length < 8 + FormatSniffer.le32(bytes, 4)) {
            throw truncated(name, path, bytes.length, null); // the RIFF header says how long the file must be
        }
        if (jpeg != null && jpeg.frame() != null) {
            checkPixels(jpeg.frame().width(), jpeg.frame().height(), name, path); // before any decoder sees the data
        }
        RgbImage rgb = null;
        if (jpeg != null && TurboJpeg.handles(jpeg.frame()) && jpeg.endsProperly(bytes)) {
            rgb = TurboJpeg.decode(bytes); // null on any warning: ImageIO below then accepts it or says what is wrong
        }
        if (rgb == null) {
            rgb = PixelConversion.toRgb(read(bytes, format, name, path, jpeg));
        }
        return jpeg == null ? rgb : ExifOrientation.apply(rgb, ExifOrientation.read(bytes, jpeg));
    }

    private void checkPixels(long width, long height, String name, Path path) {
        if (width * height > limits.maxPixels()) {
            throw new ImageDecodeException(name, path, Reason.TOO_LARGE, String.format(Locale.ROOT,
                    "the image is %,dx%,d pixels (%,.1f megapixels), over the limit of %,.1f megapixels "
                            + "(a decompression bomb?); raise DecodeLimits.maxPixels to read it",
                    width, height, width * height / 1e6, limits.maxPixels() / 1e6), null);
        }
    }

    private BufferedImage read(byte[] bytes, ImageFormat format, String name, Path path, JpegStructure jpeg) {
        ImageReaderSpi spi = READERS.get(format);
        if (spi == null) {
            throw new ImageDecodeException(name, path, Reason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format
                    + " is installed (is TwelveMonkeys ImageIO on the class path?)", null);
        }
        ImageReader reader = null;
        List<String> warnings = new ArrayList<>(0);
        try (var in = new ByteArrayImageInputStream(bytes)) {
            reader = spi.createReaderInstance();
            reader.setInput(in, true, true); // metadata is not needed: EXIF orientation is read separately
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            checkPixels(reader.getWidth(0), reader.getHeight(0), name, path);
            BufferedImage image = reader.read(0, reader.getDefaultReadParam());
            if (jpeg != null) {
                // JPEG readers return a partly grey image with only a warning when data is missing.
                if (!jpeg.endsProperly(bytes)) {
                    throw truncated(name, path, bytes.length, null);
                }
                String damage = warnings.stream().filter(ImageDecoder::saysDataMissing).findFirst().orElse(null);
                if (damage != null) {
                    throw new ImageDecodeException(name, path, Reason.UNREADABLE,
                            "the JPEG data is corrupt (" + damage + "); part of the image would be grey", null);
                }
            }
            return image;
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (isTruncated(format, bytes, jpeg, e)) {
                throw truncated(name, path, bytes.length, e);
            }
            throw new ImageDecodeException(name, path, Reason.UNREADABLE,
                    "the " + format + " data is corrupt (" + describe(e) + ")", e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private static boolean saysDataMissing(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("missing eoi") || w.contains("truncated");
    }

    /** Whether a failed decode is explained by the file stopping early, judged from the format's structure. */
    private static boolean isTruncated(ImageFormat format, byte[] b, JpegStructure jpeg, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
        }
        return switch (format) {
            case JPEG -> !jpeg.endsProperly(b);
            case PNG -> !pngReachesEnd(b);
            case GIF -> b[b.length - 1] != 0x3B; // the GIF trailer
            case BMP -> b.length >= 6 && FormatSniffer.le32(b, 2) > b.length;
            case WEBP -> b.length < 8 + FormatSniffer.le32(b, 4);
        };
    }

    /** Walks the PNG chunks: true when an IEND chunk is reached inside the file. */
    private static boolean pngReachesEnd(byte[] b) {
        long i = 8;
        while (i + 8 <= b.length) {
            long length = (b[(int) i] & 0xFFL) << 24 | (b[(int) i + 1] & 0xFFL) << 16 | (b[(int) i + 2] & 0xFFL) << 8
                    | (b[(int) i + 3] & 0xFFL);
            if (FormatSniffer.ascii(b, (int) i + 4, 4).equals("IEND")) {
                return true;
            }
            i += 12 + length;
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t instanceof IIOException) {
            t = t.getCause(); // ImageIO wraps the informative exception
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static ImageDecodeException truncated(String name, Path path, long length, Throwable cause) {
        return new ImageDecodeException(name, path, Reason.TRUNCATED, FormatSniffer.truncatedDetail(length), cause);
    }

    private ImageDecodeException tooManyBytes(String name, Path path, long size) {
        return new ImageDecodeException(name, path, Reason.TOO_LARGE, String.format(Locale.ROOT,
                "the file has %,d bytes, over the limit of %,d bytes; raise DecodeLimits.maxFileBytes to read it",
                size, limits.maxFileBytes()), null);
    }

    /**
     * One reader provider per format, found once. TwelveMonkeys' readers are preferred where they exist: its JPEG
     * reader handles CMYK/YCCK and broken ICC profiles that the JDK's rejects; its BMP and WebP readers cover more
     * variants. PNG and GIF use the JDK's.
     */
    private static Map<ImageFormat, ImageReaderSpi> findReaders() {
        ImageIO.scanForPlugins();
        Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
        for (ImageFormat format : ImageFormat.values()) {
            ImageReaderSpi chosen = null;
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
                 it.hasNext(); ) {
                ImageReader reader = it.next();
                ImageReaderSpi spi = reader.getOriginatingProvider();
                reader.dispose();
                if (chosen == null || spi.getClass().getName().startsWith("com.twelvemonkeys")
                        && !chosen.getClass().getName().startsWith("com.twelvemonkeys")) {
                    chosen = spi;
                }
            }
            if (chosen != null) {
                found.put(format, chosen);
            }
        }
        return found;
    }
}
