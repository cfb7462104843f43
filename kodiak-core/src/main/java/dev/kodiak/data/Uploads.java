package dev.kodiak.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Helpers for kinds that decode uploads through a temporary file ({@link InputKind#decodeUpload}): the client's
 * name gives only a short, safe extension, and the file is always removed.
 */
public final class Uploads {
    private Uploads() {
    }

    /** The extension of the client's file name ({@code .ogg}) when it is short and plain, else {@code .upload}. */
    public static String extension(String name) {
        int dot = name == null ? -1 : name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : ".upload";
    }

    /** Deletes a temporary file, quietly (null is fine): a leftover in the temp folder is no reason to fail. */
    public static void delete(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            tmp.toFile().deleteOnExit();
        }
    }
}
