package dev.kodiak.gather;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server on 127.0.0.1 for the tests: routes by exact path, counts hits, keeps request headers. */
final class TestServer implements AutoCloseable {
    /** Answers one request; {@code hit} is 0 for the first request to this path, 1 for the second, ... */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, int hit) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, Headers> lastHeaders = new ConcurrentHashMap<>();

    private TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(pool);
        server.createContext("/", this::dispatch);
        server.start();
    }

    static TestServer start() throws IOException {
        return new TestServer();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String url(String path) {
        return base() + path;
    }

    TestServer on(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** Every request as "METHOD path?query", in arrival order. */
    List<String> log() {
        return List.copyOf(log);
    }

    Headers lastHeaders(String path) {
        return lastHeaders.get(path);
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            log.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            lastHeaders.put(path, ex.getRequestHeaders());
            int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
            Handler h = routes.get(path);
            if (h == null) {
                status(404).handle(ex, hit);
            } else {
                h.handle(ex, hit);
            }
        } catch (IOException e) {
            // the client hung up (a cancelled download): nothing to answer
        }
    }

    static Handler bytes(String type, byte[] body) {
        return (ex, hit) -> {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        };
    }

    static Handler json(String body) {
        return bytes("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static Handler status(int code, String... headerPairs) {
        return (ex, hit) -> {
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                ex.getResponseHeaders().set(headerPairs[i], headerPairs[i + 1]);
            }
            byte[] body = ("status " + code).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, body.length);
            ex.getResponseBody().write(body);
        };
    }

    static Handler redirect(String location) {
        return status(302, "Location", location);
    }

    /** The n-th request gets the n-th handler; later ones the last. */
    static Handler sequence(Handler... handlers) {
        return (ex, hit) -> handlers[Math.min(hit, handlers.length - 1)].handle(ex, hit);
    }

    /**
     * Headers and the first half of the body at once, then nothing more until the server closes: only the client's
     * read timeout can end the download.
     */
    static Handler stalled(byte[] body) {
        return (ex, hit) -> {
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            try {
                new java.util.concurrent.CountDownLatch(1).await(); // close() interrupts it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** A body sent in chunks without a Content-Length, {@code size} bytes of zeros after a JPEG signature. */
    static Handler chunked(int size) {
        return (ex, hit) -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            byte[] chunk = new byte[8192];
            chunk[0] = (byte) 0xFF;
            chunk[1] = (byte) 0xD8;
            chunk[2] = (byte) 0xFF;
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
                chunk[0] = 0;
            }
        };
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
