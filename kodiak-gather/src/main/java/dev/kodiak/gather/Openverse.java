package dev.kodiak.gather;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Searches <a href="https://openverse.org">Openverse</a>, a catalogue of openly licensed images, through its API:
 * {@code GET {base}/v1/images/?q=...&page=N&page_size=S[&license=...]}. Anonymous use is allowed and kept within
 * its limits (20 results a page, at most 20 pages, one request a second); OAuth2 client credentials raise the page
 * size to 50 and the pace to two requests a second. A 429 is waited out as its Retry-After asks.
 */
public final class Openverse implements SearchProvider {
    /** The public API. */
    public static final String DEFAULT_BASE = "https://api.openverse.org";
    /** The values Openverse's {@code license} parameter accepts. */
    public static final Set<String> LICENCES = Set.of("by", "by-sa", "by-nc", "by-nd", "by-nc-sa", "by-nc-nd", "cc0",
            "pdm", "sampling+", "nc-sampling+");
    /** The deepest page the API serves. */
    public static final int MAX_PAGES = 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_JSON_BYTES = 8L * 1024 * 1024;

    private final URI base;
    private final List<String> licences;
    private final String clientId;
    private final String clientSecret;
    private final HttpFetcher http;
    private final Clock clock;
    private final Pacer pacer;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    private Openverse(Builder b) {
        this.base = b.base;
        this.licences = List.copyOf(b.licences);
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.clock = b.clock;
        // The API address is the user's choice (api.openverse.org, or --api-base: a mirror, a proxy on their own
        // network): trusted, wherever it is. The image URLs it returns are strangers' and Downloader checks those.
        this.http = new HttpFetcher(b.options.toBuilder().allowPrivateAddresses(true).build(), b.sleeper, b.clock);
        this.pacer = new Pacer(authenticated() ? Duration.ofMillis(500) : Duration.ofSeconds(1), b.clock, http);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "openverse";
    }

    /** Whether client credentials were given (higher limits). */
    public boolean authenticated() {
        return clientId != null;
    }

    /** Results per page: 20 anonymously, 50 with credentials. */
    public int pageSize() {
        return authenticated() ? 50 : 20;
    }

    @Override
    public synchronized List<SearchResult> search(String label, String query, int max) {
        if (query == null || query.isBlank()) {
            throw new KodiakException("the Openverse query must not be empty");
        }
        Map<String, SearchResult> found = new LinkedHashMap<>();
        for (int page = 1; found.size() < max && page <= MAX_PAGES; page++) {
            JsonNode json = fetchPage(query, page, Math.min(pageSize(), Math.max(1, max)));
            JsonNode results = json.path("results");
            for (JsonNode r : results) {
                String url = r.path("url").asText("");
                if (!url.isBlank() && found.size() < max) {
                    found.putIfAbsent(url, result(r));
                }
            }
            if (results.isEmpty() || page >= json.path("page_count").asInt(Integer.MAX_VALUE)) {
                break;
            }
        }
        return List.copyOf(found.values());
    }

    private static SearchResult result(JsonNode r) {
        String licence = r.path("license").asText("");
        String version = r.path("license_version").asText("");
        return new SearchResult(r.path("url").asText(), r.path("foreign_landing_url").asText(""),
                r.path("title").asText(""), version.isBlank() ? licence : licence + " " + version,
                r.path("creator").asText(""), Math.max(0, r.path("width").asInt(0)),
                Math.max(0, r.path("height").asInt(0)));
    }

    private JsonNode fetchPage(String query, int page, int pageSize) {
        StringBuilder q = new StringBuilder("q=").append(enc(query)).append("&page=").append(page)
                .append("&page_size=").append(pageSize);
        if (!licences.isEmpty()) {
            q.append("&license=").append(enc(String.join(",", licences)));
        }
        URI uri = URI.create(base + "/v1/images/?" + q);
        for (int attempt = 0; ; attempt++) {
            pacer.await();
            try {
                HttpFetcher.Response r = http.get(uri, authHeader(), MAX_JSON_BYTES);
                return parse(r, uri);
            } catch (FetchException e) {
                if (attempt == 0 && authenticated() && e.status() == 401) {
                    token = null; // expired early or revoked: fetch a new one once
                    continue;
                }
                throw new KodiakException("Openverse search for \"" + query + "\" (page " + page + ") failed: "
                        + e.getMessage() + (e.status() == 401 && !authenticated()
                        ? "; anonymous requests are limited, see KODIAK_OPENVERSE_CLIENT_ID" : ""), e);
            }
        }
    }

    private Map<String, String> authHeader() {
        if (!authenticated()) {
            return Map.of();
        }
        if (token == null || !clock.instant().isBefore(tokenExpires)) {
            URI uri = URI.create(base + "/v1/auth_tokens/token/");
            pacer.await();
            HttpFetcher.Response r;
            try {
                r = http.postForm(uri, Map.of("grant_type", "client_credentials", "client_id", clientId,
                        "client_secret", clientSecret), MAX_JSON_BYTES);
            } catch (FetchException e) {
                throw new KodiakException("cannot get an Openverse access token: " + e.getMessage(), e);
            }
            if (r.status() != 200) {
                throw new KodiakException("Openverse refused the client credentials (HTTP " + r.status()
                        + "); check KODIAK_OPENVERSE_CLIENT_ID and KODIAK_OPENVERSE_CLIENT_SECRET, or unset them to "
                        + "search anonymously");
            }
            JsonNode json = parse(r, uri);
            token = json.path("access_token").asText("");
            if (token.isBlank()) {
                throw new KodiakException("Openverse's token answer has no access_token: " + excerpt(r.text()));
            }
            // Renew a minute early so a token never expires between the check and the request.
            tokenExpires = clock.instant().plusSeconds(Math.max(0, json.path("expires_in").asLong(3600) - 60));
        }
        return Map.of("Authorization", "Bearer " + token);
    }

    private static JsonNode parse(HttpFetcher.Response r, URI uri) {
        try {
            JsonNode json = JSON.readTree(r.body());
            if (json == null || !json.isObject()) {
                throw new KodiakException("Openverse answered " + uri + " with something other than a JSON object: "
                        + excerpt(r.text()));
            }
            return json;
        } catch (IOException e) {
            throw new KodiakException("Openverse answered " + uri + " with invalid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "): " + excerpt(r.text()) + "; is --api-base right?", e);
        }
    }

    private static String excerpt(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 120 ? one.substring(0, 120) + "..." : one;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Builds an {@link Openverse} search. */
    public static final class Builder {
        private URI base = URI.create(DEFAULT_BASE);
        private List<String> licences = List.of();
        private String clientId;
        private String clientSecret;
        private DownloadOptions options = DownloadOptions.defaults();
        private Sleeper sleeper = Sleeper.real();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Another API address: a mirror, a proxy, a test server. */
        public Builder apiBase(String url) {
            URI uri;
            try {
                uri = URI.create(url.strip().replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new KodiakException("--api-base " + url + " is not a valid URL");
            }
            HttpFetcher.requireHttp(uri, null);
            this.base = uri;
            return this;
        }

        /** Only these licences, e.g. {@code cc0, by, by-sa} (see {@link #LICENCES}); empty means all. */
        public Builder licences(List<String> codes) {
            TreeSet<String> unknown = new TreeSet<>();
            List<String> clean = new ArrayList<>();
            for (String c : codes) {
                String code = c.strip().toLowerCase(Locale.ROOT);
                if (!LICENCES.contains(code)) {
                    unknown.add(c);
                } else if (!clean.contains(code)) {
                    clean.add(code);
                }
            }
            if (!unknown.isEmpty()) {
                throw new KodiakException("unknown licence " + String.join(", ", unknown) + "; Openverse knows "
                        + String.join(", ", new TreeSet<>(LICENCES)));
            }
            this.licences = clean;
            return this;
        }

        /** OAuth2 client credentials (registered with Openverse); both null means anonymous. */
        public Builder credentials(String clientId, String clientSecret) {
            boolean id = clientId != null && !clientId.isBlank();
            boolean secret = clientSecret != null && !clientSecret.isBlank();
            if (id != secret) {
                throw new KodiakException("Openverse credentials need both a client id and a client secret "
                        + "(KODIAK_OPENVERSE_CLIENT_ID and KODIAK_OPENVERSE_CLIENT_SECRET)");
            }
            this.clientId = id ? clientId.strip() : null;
            this.clientSecret = secret ? clientSecret.strip() : null;
            return this;
        }

        /** Credentials from {@code KODIAK_OPENVERSE_CLIENT_ID} and {@code KODIAK_OPENVERSE_CLIENT_SECRET}, if set. */
        public Builder credentialsFrom(Map<String, String> environment) {
            return credentials(environment.get("KODIAK_OPENVERSE_CLIENT_ID"),
                    environment.get("KODIAK_OPENVERSE_CLIENT_SECRET"));
        }

        /** Timeouts, retries and limits of the API requests (whose address is trusted, private or not). */
        public Builder options(DownloadOptions options) {
            this.options = options;
            return this;
        }

        /** The clock and the sleeper behind the pace and the Retry-After waits (tests pass fake ones). */
        public Builder time(Clock clock, Sleeper sleeper) {
            this.clock = clock;
            this.sleeper = sleeper;
            return this;
        }

        public Openverse build() {
            return new Openverse(this);
        }
    }
}
