package dev.kodiak.serve;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The media type a data file is served with, from its extension (the cleaner shows images and plays clips). Internal. */
final class MediaTypes {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("gif", "image/gif"), Map.entry("bmp", "image/bmp"),
            Map.entry("webp", "image/webp"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("webm", "audio/webm"));

    private MediaTypes() {
    }

    /** E.g. {@code audio/wav}; unknown extensions are {@code application/octet-stream}. */
    static String of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return BY_EXTENSION.getOrDefault(dot < 0 ? "" : name.substring(dot + 1), "application/octet-stream");
    }
}
