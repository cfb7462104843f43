package dev.kodiak.gather;

import dev.kodiak.KodiakException;

import java.time.Duration;

/**
 * How politely and how safely images (and search pages) are fetched.
 *
 * @param parallelism    downloads at once, over all hosts
 * @param perHost        requests at once to one host (politeness: a small site is not hammered)
 * @param connectTimeout time to open a connection
 * @param readTimeout    time for one whole answer, from sending the request to the last byte of the body
 * @param retries        extra tries after a timeout, a connection failure, a 5xx or a 429
 * @param backoff        wait before the first retry; doubled for each further one (a 429's Retry-After wins)
 * @param maxRetryAfter  the longest Retry-After honoured; a server asking for more fails the request instead
 * @param maxBytes       a larger body is abandoned as soon as it exceeds this (checked on Content-Length too)
 * @param maxRedirects   redirects followed; each hop is checked to be http or https
 * @param userAgent      sent with every request, naming Kodiak
 * @param allowPrivateAddresses fetch from loopback, private-network and link-local addresses too (off: a URL whose
 *                       host resolves to one, at the start or after any redirect, is rejected as
 *                       {@link RejectReason#PRIVATE_ADDRESS}); for datasets served on your own network
 */
public record DownloadOptions(int parallelism, int perHost, Duration connectTimeout, Duration readTimeout, int retries,
                              Duration backoff, Duration maxRetryAfter, long maxBytes, int maxRedirects,
                              String userAgent, boolean allowPrivateAddresses) {
    /** {@code Kodiak/<version> (image dataset gatherer; Java HttpClient)}. */
    public static final String USER_AGENT = "Kodiak/" + version() + " (deep-learning image dataset gatherer; Java "
            + Runtime.version().feature() + " HttpClient)";

    public DownloadOptions {
        positive("parallelism", parallelism);
        positive("perHost", perHost);
        positive("connectTimeout", connectTimeout);
        positive("readTimeout", readTimeout);
        if (retries < 0) {
            throw new KodiakException("retries must not be negative, got " + retries);
        }
        if (backoff == null || backoff.isNegative() || maxRetryAfter == null || maxRetryAfter.isNegative()) {
            throw new KodiakException("backoff and maxRetryAfter must be zero or positive");
        }
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new KodiakException("maxBytes must be between 1 and " + (Integer.MAX_VALUE - 16) + ", got " + maxBytes);
        }
        if (maxRedirects < 0) {
            throw new KodiakException("maxRedirects must not be negative, got " + maxRedirects);
        }
        if (userAgent == null || userAgent.isBlank()) {
            throw new KodiakException("userAgent must not be empty");
        }
    }

    /**
     * 8 at once, 2 per host, 10 s to connect, 30 s per answer, 3 retries from 1 s, 20 MiB, 5 redirects, public
     * addresses only.
     */
    public static DownloadOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.parallelism = parallelism;
        b.perHost = perHost;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.retries = retries;
        b.backoff = backoff;
        b.maxRetryAfter = maxRetryAfter;
        b.maxBytes = maxBytes;
        b.maxRedirects = maxRedirects;
        b.userAgent = userAgent;
        b.allowPrivateAddresses = allowPrivateAddresses;
        return b;
    }

    /** Builds {@link DownloadOptions}, starting from the defaults. */
    public static final class Builder {
        private int parallelism = 8;
        private int perHost = 2;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private int retries = 3;
        private Duration backoff = Duration.ofSeconds(1);
        private Duration maxRetryAfter = Duration.ofMinutes(2);
        private long maxBytes = 20L * 1024 * 1024;
        private int maxRedirects = 5;
        private String userAgent = USER_AGENT;
        private boolean allowPrivateAddresses;

        private Builder() {
        }

        public Builder parallelism(int n) {
            this.parallelism = n;
            return this;
        }

        public Builder perHost(int n) {
            this.perHost = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        public Builder retries(int n) {
            this.retries = n;
            return this;
        }

        public Builder backoff(Duration d) {
            this.backoff = d;
            return this;
        }

        public Builder maxRetryAfter(Duration d) {
            this.maxRetryAfter = d;
            return this;
        }

        public Builder maxBytes(long n) {
            this.maxBytes = n;
            return this;
        }

        public Builder maxRedirects(int n) {
            this.maxRedirects = n;
            return this;
        }

        public Builder userAgent(String s) {
            this.userAgent = s;
            return this;
        }

        /** Also fetch from loopback, private-network and link-local addresses (your own servers). */
        public Builder allowPrivateAddresses(boolean allow) {
            this.allowPrivateAddresses = allow;
            return this;
        }

        public DownloadOptions build() {
            return new DownloadOptions(parallelism, perHost, connectTimeout, readTimeout, retries, backoff,
                    maxRetryAfter, maxBytes, maxRedirects, userAgent, allowPrivateAddresses);
        }
    }

    private static void positive(String name, int n) {
        if (n < 1) {
            throw new KodiakException(name + " must be at least 1, got " + n);
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new KodiakException(name + " must be a positive duration, got " + d);
        }
    }

    private static String version() {
        String v = DownloadOptions.class.getPackage().getImplementationVersion();
        return v == null ? "0.1" : v;
    }
}
