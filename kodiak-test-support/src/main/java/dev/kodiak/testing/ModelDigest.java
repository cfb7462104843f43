package dev.kodiak.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipFile;

/** The SHA-256 of the weights inside a {@code .kodiak} file: equal digests mean bit-identical weights. */
public final class ModelDigest {
    private ModelDigest() {
    }

    public static String weightsSha256(Path modelFile) {
        try (ZipFile zip = new ZipFile(modelFile.toFile())) {
            var entry = zip.getEntry("weights.safetensors");
            if (entry == null) {
                throw new IllegalStateException(modelFile + " has no weights.safetensors");
            }
            try (var in = zip.getInputStream(entry)) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
