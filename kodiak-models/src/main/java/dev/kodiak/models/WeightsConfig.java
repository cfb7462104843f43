package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.nio.file.Path;

/**
 * Where weights are cached and whether they may be downloaded. Built from the environment by default
 * ({@link #fromEnvironment()}); tests and embedding applications pass explicit values.
 *
 * @param cacheDir  the weights cache: {@code $KODIAK_CACHE/weights}, else {@code ~/.cache/kodiak/weights}
 * @param offline   {@code KODIAK_OFFLINE=1}: no download, ever
 * @param mirrorUrl {@code KODIAK_WEIGHTS_URL}: a base URL serving the cache file names, used instead of the
 *                  publishers' addresses; null for none
 */
public record WeightsConfig(Path cacheDir, boolean offline, String mirrorUrl) {
    public WeightsConfig {
        if (cacheDir == null) {
            throw new KodiakException("the weights cache directory must be given");
        }
        mirrorUrl = mirrorUrl == null || mirrorUrl.isBlank() ? null : mirrorUrl.trim();
    }

    /** From {@code KODIAK_CACHE}, {@code KODIAK_OFFLINE}, {@code KODIAK_WEIGHTS_URL} (or system properties of those names). */
    public static WeightsConfig fromEnvironment() {
        String cache = setting("KODIAK_CACHE");
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "kodiak");
        String offline = setting("KODIAK_OFFLINE");
        boolean isOffline = offline != null && !offline.equals("0") && !offline.equalsIgnoreCase("false");
        return new WeightsConfig(root.resolve("weights"), isOffline, setting("KODIAK_WEIGHTS_URL"));
    }

    /** The same settings with another mirror (e.g. the CLI's {@code --url}). */
    public WeightsConfig withMirror(String url) {
        return new WeightsConfig(cacheDir, offline, url);
    }

    private static String setting(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            v = System.getProperty(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
