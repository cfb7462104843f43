package dev.kodiak.gather;

import dev.kodiak.KodiakException;

/**
 * One image a {@link SearchProvider} found, with what a user needs to credit it.
 *
 * @param imageUrl the image file's address (only http and https are downloaded)
 * @param pageUrl  the page that shows the image and its licence, or "" when unknown
 * @param title    the image's title, or ""
 * @param licence  the licence, e.g. {@code by-sa 4.0} or {@code cc0 1.0}, or "" when unknown
 * @param creator  who made it, or ""
 * @param width    pixels, 0 when unknown
 * @param height   pixels, 0 when unknown
 */
public record SearchResult(String imageUrl, String pageUrl, String title, String licence, String creator, int width,
                           int height) {
    public SearchResult {
        if (imageUrl == null || imageUrl.isBlank()) {
            throw new KodiakException("a search result needs an image URL");
        }
        imageUrl = imageUrl.strip();
        pageUrl = pageUrl == null ? "" : pageUrl.strip();
        title = title == null ? "" : title.strip();
        licence = licence == null ? "" : licence.strip();
        creator = creator == null ? "" : creator.strip();
        if (width < 0 || height < 0) {
            throw new KodiakException("image size must not be negative, got " + width + "x" + height);
        }
    }

    /** Just an address, nothing else known (a line of a URL list). */
    public static SearchResult of(String imageUrl) {
        return new SearchResult(imageUrl, "", "", "", "", 0, 0);
    }

    /** True when the size is known and smaller than {@code minSize} on either side. */
    public boolean knownSmallerThan(int minSize) {
        return width > 0 && height > 0 && (width < minSize || height < minSize);
    }
}
