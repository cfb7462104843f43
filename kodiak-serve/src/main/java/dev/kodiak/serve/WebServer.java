package dev.kodiak.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecodeException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the predict server and the cleaner share: Javalin on Jetty with JSON errors ({@code {"error": ...}}, never a
 * stack trace), a JSON 404, the page assets from the jar under {@code /static}, per-request metrics, and a graceful
 * stop that refuses new requests (503) and waits for the ones in flight. Internal.
 */
final class WebServer {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STATIC = "/dev/kodiak/serve/static";
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final String ROUTE = "kodiak.route";

    private final Javalin app;
    private final Metrics metrics;
    private volatile boolean draining;
    private boolean stopped;

    /** The routes, added with {@link #get} and {@link #post} so that metrics know each request's route. */
    interface Routes {
        void add(WebServer server, JavalinConfig config);
    }

    WebServer(String host, int port, int threads, long maxBodyBytes, long graceMillis, Metrics metrics, Routes routes) {
        this.metrics = metrics;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(threads, 4));
            pool.setName("kodiak-http");
            config.jetty.threadPool = pool;
            // Jetty's graceful stop: connectors close, requests in flight finish (up to the stop timeout) and are
            // written out before the server stops. Javalin nests its servlet context inside this wrapper.
            config.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(graceMillis);
            });
            config.http.maxRequestSize = maxBodyBytes;
            config.jetty.multipartConfig.maxFileSize(maxBodyBytes, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(maxBodyBytes, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(maxBodyBytes, 1 << 20), io.javalin.config.SizeUnit.BYTES);
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = STATIC;
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "no-cache");
            });
            config.routes.before(this::admit);
            config.requestLogger.http(this::finished);
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(ImageDecodeException.class, (e, ctx) -> error(ctx, ApiError.of(e)));
            config.routes.exception(KodiakException.class, (e, ctx) -> error(ctx, new ApiError(400, e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), e);
                error(ctx, new ApiError(500, "internal error: " + e.getClass().getSimpleName()
                        + " (the server log has the details)"));
            });
            config.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) { // keep an endpoint's own JSON 404
                    json(ctx.status(404), Map.of("error", "no such page or endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> json(ctx.status(405),
                    Map.of("error", "method " + ctx.method() + " is not allowed on " + ctx.path())));
            routes.add(this, config);
        });
    }

    void start() {
        app.start();
    }

    int port() {
        return app.port();
    }

    Metrics metrics() {
        return metrics;
    }

    /** Adds a GET route whose requests are counted under {@code path}. */
    void get(JavalinConfig config, String path, Handler h) {
        config.routes.get(path, named(path, h));
    }

    void post(JavalinConfig config, String path, Handler h) {
        config.routes.post(path, named(path, h));
    }

    private static Handler named(String path, Handler h) {
        return ctx -> {
            ctx.attribute(ROUTE, path);
            h.handle(ctx);
        };
    }

    private void admit(Context ctx) {
        if (draining) {
            ctx.header("Connection", "close");
            throw new ApiError(503, "the server is shutting down", 1);
        }
    }

    private void finished(Context ctx, Float millis) {
        String route = ctx.attribute(ROUTE);
        if (route == null) {
            route = ctx.path().startsWith("/static/") && ctx.statusCode() < 400 ? "/static" : "other";
        }
        metrics.request(ctx.method().name(), route, ctx.statusCode(), millis / 1000.0);
    }

    /**
     * Refuses new requests and stops Jetty gracefully: requests in flight are answered (up to the grace period
     * given at construction), then the connections close. Idempotent.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        draining = true;
        stopped = true;
        app.stop();
    }

    static void error(Context ctx, ApiError e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        json(ctx.status(e.status()), Map.of("error", e.getMessage()));
    }

    static void json(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A page from the jar's static folder, as HTML. */
    static void page(Context ctx, String name) {
        try (var in = WebServer.class.getResourceAsStream(STATIC + "/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the page " + name + " is missing from the jar");
            }
            ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the page " + name + ": " + e.getMessage(), e);
        }
    }
}
