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
 * @param hubEndpoint {@code KODIAK_HF_ENDPOINT}: the Hugging Face hub (or a mirror of its URL layout) that
 *                  {@code hf:} weights come from; {@value #HUGGING_FACE} when not set
 */
public record WeightsConfig(Path cacheDir, boolean offline, String mirrorUrl, String hubEndpoint) {
    /** The Hugging Face hub. */
    public static final String HUGGING_FACE = "https://huggingface.co";

    public WeightsConfig {
        if (cacheDir == null) {
            throw new KodiakException("the weights cache directory must be given");
        }
        mirrorUrl = mirrorUrl == null || mirrorUrl.isBlank() ? null : mirrorUrl.trim();
        hubEndpoint = hubEndpoint == null || hubEndpoint.isBlank() ? HUGGING_FACE
                : hubEndpoint.trim().replaceAll("/+$", "");
    }

    /** Settings that take {@code hf:} weights from the Hugging Face hub itself. */
    public WeightsConfig(Path cacheDir, boolean offline, String mirrorUrl) {
        this(cacheDir, offline, mirrorUrl, null);
    }

    /**
     * From {@code KODIAK_CACHE}, {@code KODIAK_OFFLINE}, {@code KODIAK_WEIGHTS_URL}, {@code KODIAK_HF_ENDPOINT} (or
     * system properties of those names).
     */
    public static WeightsConfig fromEnvironment() {
        String cache = setting("KODIAK_CACHE");
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "kodiak");
        String offline = setting("KODIAK_OFFLINE");
        boolean isOffline = offline != null && !offline.equals("0") && !offline.equalsIgnoreCase("false");
        return new WeightsConfig(root.resolve("weights"), isOffline, setting("KODIAK_WEIGHTS_URL"),
                setting("KODIAK_HF_ENDPOINT"));
    }

    /** The same settings with another mirror (e.g. the CLI's {@code --url}). */
    public WeightsConfig withMirror(String url) {
        return new WeightsConfig(cacheDir, offline, url, hubEndpoint);
    }

    private static String setting(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            v = System.getProperty(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
