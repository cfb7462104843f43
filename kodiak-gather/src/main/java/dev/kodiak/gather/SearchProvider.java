package dev.kodiak.gather;

import java.util.List;

/** Where images come from: a web image search ({@link Openverse}) or the user's own list ({@link UrlList}). */
public interface SearchProvider {
    /**
     * At most {@code max} results for {@code query}, best first, without repeated image URLs.
     *
     * @param label the dataset label the results are for (a URL list picks its rows by it; web searches ignore it)
     * @param query what to search for, e.g. {@code grizzly bear}
     */
    List<SearchResult> search(String label, String query, int max);

    /** A short name for messages, e.g. {@code openverse}. */
    String name();
}
