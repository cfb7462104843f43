package dev.kodiak.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.io.UnusableFileException;
import dev.kodiak.vision.ImageDecodeException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the predict server and the cleaner share: Javalin on Jetty with JSON errors ({@code {"error": ...}}, never a
 * stack trace or an HTML page, also for the errors Jetty answers itself), a JSON 404, bounds on uploads (at most
 * {@link ServeOptions#maxUploads()} read at once, each within the body timeout; see {@link UploadGate}), the page assets from the jar under {@code /static}, per-request metrics, and a graceful
 * stop that refuses new requests (503) and waits for the ones in flight. Internal.
 */
final class WebServer {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STATIC = "/dev/kodiak/serve/static";
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final String ROUTE = "kodiak.route";

    // Jetty's limit on the request line and headers together (its default): longer URLs get 414, headers 431
    private static final int HEADER_BYTES = 8 * 1024;

    private final Javalin app;
    private final Metrics metrics;
    private final long maxBodyBytes;
    private final java.util.Set<String> routeNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private boolean stopped;

    /** The routes, added with {@link #get} and {@link #post} so that metrics know each request's route. */
    interface Routes {
        void add(WebServer server, JavalinConfig config);
    }

    WebServer(ServeOptions options, Metrics metrics, Routes routes) {
        this.metrics = metrics;
        this.maxBodyBytes = options.maxUploadBytes();
        UploadGate gate = new UploadGate(options.maxUploads(), options.bodyTimeoutMillis(),
                refused -> metrics.request(refused.getMethod(), routeName(refused.getHttpURI().getPath()), 503, 0));
        metrics.gauge("uploads_in_progress", "Requests whose body is being received or answered now.", gate::inProgress);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            QueuedThreadPool pool = new QueuedThreadPool(options.threads(), Math.min(options.threads(), 4));
            pool.setName("kodiak-http");
            config.jetty.threadPool = pool;
            // Jetty's graceful stop: connectors close, requests in flight finish (up to the stop timeout) and are
            // written out before the server stops. Javalin nests its servlet context inside the innermost wrapper,
            // the upload gate, which admits requests with a body before anything reads it.
            config.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler(gate));
                server.setStopTimeout(options.graceMillis());
                server.setErrorHandler(new JsonErrorHandler(HEADER_BYTES));
            });
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(HEADER_BYTES));
            // The idle timeout bounds every pause: while the headers or a body arrive, and between requests.
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(options.host());
                connector.setPort(options.port());
                connector.setIdleTimeout(options.idleTimeoutMillis());
                return connector;
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler(HEADER_BYTES)));
            long maxBodyBytes = options.maxUploadBytes();
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
            config.routes.exception(UnusableFileException.class, (e, ctx) -> error(ctx, ApiError.of(e)));
            config.routes.exception(KodiakException.class, (e, ctx) -> error(ctx, new ApiError(400, e.getMessage())));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, refusal(ctx, e)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                ApiError slow = UploadGate.timeout(e);
                if (slow != null) {
                    error(ctx, slow);
                    return;
                }
                LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), e);
                error(ctx, new ApiError(500, "internal error: " + e.getClass().getSimpleName()
                        + " (the server log has the details)"));
            });
            config.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) { // keep an endpoint's own JSON 404
                    error(ctx, notFound(ctx));
                }
            });
            config.routes.error(405, ctx -> error(ctx, notAllowed(ctx)));
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
        routeNames.add(path);
        config.routes.get(path, named(path, h));
    }

    void post(JavalinConfig config, String path, Handler h) {
        routeNames.add(path);
        config.routes.post(path, named(path, h));
    }

    // Javalin's own refusals (no route, the cleaner's body over the limit), in our words
    private ApiError refusal(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> notFound(ctx);
            case 405 -> notAllowed(ctx);
            case 413 -> RequestImages.tooLarge(maxBodyBytes);
            default -> new ApiError(e.getStatus(), e.getMessage());
        };
    }

    private static ApiError notFound(Context ctx) {
        return new ApiError(404, "no such page or endpoint: " + ctx.method() + " " + ctx.path());
    }

    private static ApiError notAllowed(Context ctx) {
        return new ApiError(405, "method " + ctx.method() + " is not allowed on " + ctx.path());
    }

    private String routeName(String path) {
        return routeNames.contains(path) ? path : "other";
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
        try {
            app.stop();
        } catch (RuntimeException e) { // the grace period ran out: Jetty has cut the requests still in flight
            LOG.warn("stopped with requests still in flight after the grace period: {}", e.toString());
        }
    }

    /**
     * The whole request body, for routes that take it at once: 413 over the limit, 408 when it came too slowly,
     * 400 when the connection broke.
     */
    static byte[] body(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            throw e;
        } catch (Exception e) { // Jetty's IOException arrives unchecked through Kotlin
            ApiError slow = UploadGate.timeout(e);
            throw slow != null ? slow : new ApiError(400, "the request body cannot be read: " + e.getMessage());
        }
    }

    static void error(Context ctx, ApiError e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        json(ctx.status(e.status()), e.reason() == null ? Map.of("error", e.getMessage())
                : Map.of("error", e.getMessage(), "reason", e.reason()));
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
