package dev.kodiak.gather;

import dev.kodiak.KodiakException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Internal: the one place that talks HTTP for gathering. Java's client runs with redirects off, and redirects are
 * followed here so that the limit, the http/https-only rule and the public-address rule apply at every hop. Every body is read with a byte
 * cap and a deadline; timeouts, connection failures, 5xx and 429 are retried with back-off (429 and 503 honour
 * Retry-After); at most {@code perHost} requests run at once against one host.
 */
final class HttpFetcher {
    /** A finished exchange: the address that answered (after redirects), its status, headers and body. */
    record Response(URI uri, int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    private interface Attempt {
        Response run();
    }

    private static final long ERROR_BODY_CAP = 64 * 1024;

    private final DownloadOptions options;
    private final Sleeper sleeper;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, Semaphore> hosts = new ConcurrentHashMap<>();
    private final Function<InetAddress, Optional<String>> forbidden;

    HttpFetcher(DownloadOptions options, Sleeper sleeper, Clock clock) {
        this(options, sleeper, clock, PrivateAddresses::why);
    }

    /** @param forbidden why an address must not be fetched from (tests, all on loopback, pass a narrower rule) */
    HttpFetcher(DownloadOptions options, Sleeper sleeper, Clock clock, Function<InetAddress, Optional<String>> forbidden) {
        this.forbidden = forbidden;
        this.options = options;
        this.sleeper = sleeper;
        this.clock = clock;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout()).build();
    }

    DownloadOptions options() {
        return options;
    }

    /**
     * GETs {@code start}, following redirects; returns the 2xx answer with a body of at most {@code maxBytes}.
     *
     * @throws FetchException with the reason when there is no such answer after every retry
     */
    Response get(URI start, Map<String, String> headers, long maxBytes) {
        requireHttp(start, null);
        Response r = retrying(start, () -> followRedirects(start, headers, maxBytes));
        if (r.status() < 200 || r.status() > 299) {
            throw new FetchException(RejectReason.HTTP_ERROR, r.uri() + " answered HTTP " + r.status(), r.status());
        }
        return r;
    }

    /** POSTs a form (no redirects), with retries on failures; returns the answer whatever its status. */
    Response postForm(URI uri, Map<String, String> form, long maxBytes) {
        requireHttp(uri, null);
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return retrying(uri, () -> exchange(request(uri, Map.of("Content-Type", "application/x-www-form-urlencoded"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), maxBytes, false));
    }

    /** Sleeps through {@link #sleeper}, turning an interrupt into an error that stops the work. */
    void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while waiting", e);
        }
    }

    private Response followRedirects(URI start, Map<String, String> headers, long maxBytes) {
        URI uri = start;
        Map<String, String> sent = headers;
        for (int hop = 0; ; hop++) {
            Response r;
            try {
                r = exchange(request(uri, sent).GET().build(), maxBytes, true);
            } catch (FetchException e) {
                if (hop > 0 && e.reason() == RejectReason.PRIVATE_ADDRESS) {
                    throw new FetchException(e.reason(), start + " redirects to " + e.getMessage());
                }
                throw e;
            }
            if (!isRedirect(r.status())) {
                return r;
            }
            String location = r.headers().firstValue("location").orElse(null);
            if (location == null) {
                throw new FetchException(RejectReason.HTTP_ERROR, uri + " answered HTTP " + r.status()
                        + " without a Location to go to");
            }
            if (hop >= options.maxRedirects()) {
                throw new FetchException(RejectReason.TOO_MANY_REDIRECTS, start + " redirects more than "
                        + options.maxRedirects() + " times (a redirect loop?)");
            }
            URI next;
            try {
                next = uri.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new FetchException(RejectReason.HTTP_ERROR, uri + " redirects to a malformed address: "
                        + location);
            }
            requireHttp(next, uri);
            if (!sameHost(uri, next)) {
                sent = Map.of(); // never carry credentials to another host
            }
            uri = next;
        }
    }

    private Response retrying(URI uri, Attempt attempt) {
        for (int i = 0; ; i++) {
            FetchException failure;
            Duration wait = backoff(i);
            try {
                Response r = attempt.run();
                if (r.status() != 429 && (r.status() < 500 || r.status() > 599)) {
                    return r;
                }
                failure = new FetchException(RejectReason.SERVER_ERROR, uri + " answered HTTP " + r.status()
                        + " after " + (i + 1) + (i == 0 ? " try" : " tries"), r.status());
                Optional<Duration> asked = retryAfter(r.headers());
                if (asked.isPresent()) {
                    if (asked.get().compareTo(options.maxRetryAfter()) > 0) {
                        throw new FetchException(RejectReason.SERVER_ERROR, uri + " answered HTTP " + r.status()
                                + " and asks to wait " + asked.get().toSeconds() + " s, longer than the "
                                + options.maxRetryAfter().toSeconds() + " s Kodiak waits; try again later", r.status());
                    }
                    wait = asked.get();
                }
            } catch (FetchException e) {
                if (e.reason() != RejectReason.TIMEOUT && e.reason() != RejectReason.NETWORK_ERROR) {
                    throw e;
                }
                failure = e;
            }
            if (i >= options.retries()) {
                throw failure;
            }
            sleep(wait);
        }
    }

    /** One request and its answer, holding one of the host's slots meanwhile. */
    private Response exchange(HttpRequest request, long maxBytes, boolean strict) {
        URI uri = request.uri();
        Semaphore slots = hosts.computeIfAbsent(hostKey(uri), k -> new Semaphore(options.perHost(), true));
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while waiting to fetch " + uri, e);
        }
        AtomicReference<CappedBody> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> future = null;
        try {
            requirePublic(uri); // last thing before connecting: see requirePublic
            future = client.sendAsync(request, info -> {
                boolean ok = info.statusCode() >= 200 && info.statusCode() <= 299;
                long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
                CappedBody b = ok ? new CappedBody(maxBytes, strict, declared)
                        : new CappedBody(ERROR_BODY_CAP, false, declared);
                body.set(b);
                return b;
            });
            HttpResponse<byte[]> r = future.get(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Response(uri, r.statusCode(), r.headers(), r.body());
        } catch (TimeoutException e) {
            stop(body.get(), future);
            throw new FetchException(RejectReason.TIMEOUT, "no complete answer from " + uri + " within "
                    + options.readTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            stop(body.get(), future);
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while fetching " + uri, e);
        } catch (ExecutionException e) {
            throw failure(uri, e.getCause());
        } finally {
            slots.release();
        }
    }

    /** For tests: how many requests to {@code uri}'s host are waiting now for one of its {@code perHost} slots. */
    int waitingFor(URI uri) {
        Semaphore slots = hosts.get(hostKey(uri));
        return slots == null ? 0 : slots.getQueueLength();
    }

    private static void stop(CappedBody body, CompletableFuture<?> future) {
        if (body != null) {
            body.cancel();
        }
        if (future != null) {
            future.cancel(true);
        }
    }

    private FetchException failure(URI uri, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CappedBody.TooLarge) {
                return new FetchException(RejectReason.TOO_LARGE, uri + ": " + t.getMessage());
            }
            if (t instanceof HttpTimeoutException) {
                return new FetchException(RejectReason.TIMEOUT, "no answer from " + uri + " in time (" + t.getMessage()
                        + ")");
            }
        }
        String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new FetchException(RejectReason.NETWORK_ERROR, "cannot fetch " + uri + ": " + what);
    }

    private HttpRequest.Builder request(URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.readTimeout())
                .header("User-Agent", options.userAgent());
        headers.forEach(b::header);
        return b;
    }

    /** Retry-After as seconds or as an HTTP date; absent when missing or unreadable. */
    Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("retry-after").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), when.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private Duration backoff(int retry) {
        return options.backoff().multipliedBy(1L << Math.min(retry, 16));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Only http and https, with a host, at the start and after every redirect. */
    static void requireHttp(URI uri, URI from) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new FetchException(RejectReason.NOT_HTTP, (from == null ? "" : from + " redirects to ") + uri
                    + ": only http and https addresses are downloaded");
        }
    }

    /**
     * Unless private addresses are allowed, every address the host resolves to must be a public one. The client then
     * connects by name, and Java resolves names through its own cache (30 s by default), so the connection goes to an
     * address checked here: a DNS server cannot answer "public" for the check and "127.0.0.1" for the connection.
     */
    private void requirePublic(URI uri) {
        if (options.allowPrivateAddresses()) {
            return;
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new FetchException(RejectReason.NETWORK_ERROR, "cannot fetch " + uri + ": unknown host " + host);
        }
        for (InetAddress a : addresses) {
            Optional<String> why = forbidden.apply(a);
            if (why.isPresent()) {
                String is = host.equals(a.getHostAddress()) ? "" : " is " + PrivateAddresses.text(a) + ",";
                throw new FetchException(RejectReason.PRIVATE_ADDRESS, uri + ": " + host + is + " " + why.get()
                        + "; gather fetches public addresses only (--allow-private-urls to allow your own servers)");
            }
        }
    }

    private static boolean sameHost(URI a, URI b) {
        return hostKey(a).equals(hostKey(b));
    }

    private static String hostKey(URI uri) {
        return (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + uri.getPort();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
