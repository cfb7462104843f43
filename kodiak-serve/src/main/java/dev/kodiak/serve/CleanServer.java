package dev.kodiak.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.vision.predict.Predictor;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kodiak clean}: fastai's ImageClassifierCleaner in a browser. Pick a label and a split, see its images worst
 * first (highest loss) with the model's prediction, and keep, delete (into the quarantine) or move each one to
 * another label; {@code undo} reverses the latest change. Listens on 127.0.0.1 only: it changes files.
 *
 * <p>Requests that change files must be JSON {@code POST}s from the cleaner's own page: a {@code Content-Type} other
 * than {@code application/json} or a foreign {@code Origin} is refused (403), so another web site open in the same
 * browser cannot send them; every request must carry a {@code Host} naming this machine (against DNS rebinding). Documented in docs/http-api.md.
 */
public final class CleanServer implements AutoCloseable {
    private final CleanSession session;
    private final Predictor predictor;
    private final String modelName;
    private final WebServer web;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private CleanServer(CleanSession session, Predictor predictor, int port) {
        this.session = session;
        this.predictor = predictor;
        String file = predictor.source().getFileName().toString();
        this.modelName = file.toLowerCase(Locale.ROOT).endsWith(".kodiak") ? file.substring(0, file.length() - 7) : file;
        this.web = new WebServer(ServeOptions.defaults().host("127.0.0.1").port(port).threads(16)
                .maxUploadBytes(64 * 1024).graceMillis(10_000), new Metrics("kodiak_clean"), this::routes);
    }

    /** Starts the cleaner for data folder {@code dataDir} with {@code predictor} (which the server then owns). */
    public static CleanServer start(Path dataDir, Predictor predictor, int port) {
        CleanServer server;
        try {
            server = new CleanServer(CleanSession.open(dataDir, predictor), predictor, port);
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
        try {
            server.web.start();
        } catch (RuntimeException e) {
            predictor.close();
            throw new dev.kodiak.KodiakException("cannot start the cleaner on 127.0.0.1:" + port + ": " + e.getMessage()
                    + " (is the port in use? pick another with --port)", e);
        }
        return server;
    }

    private void routes(WebServer w, JavalinConfig c) {
        c.routes.before(CleanServer::checkHost);
        w.get(c, "/", ctx -> WebServer.page(ctx, "clean.html"));
        w.get(c, "/healthz", ctx -> WebServer.json(ctx, Map.of("status", "ok")));
        w.get(c, "/api/dataset", ctx -> WebServer.json(ctx, dataset()));
        w.get(c, "/api/items", this::items);
        w.get(c, "/api/image", this::image);
        w.get(c, "/api/history", ctx -> WebServer.json(ctx, Map.of("actions", session.actions().history())));
        w.post(c, "/api/delete", ctx -> {
            String path = field(body(ctx), "path");
            WebServer.json(ctx, done(session.actions().delete(path)));
        });
        w.post(c, "/api/relabel", ctx -> {
            JsonNode b = body(ctx);
            String path = field(b, "path");
            CleanAction a = relabel(b, path);
            session.moved(a.file(), a.to());
            WebServer.json(ctx, done(a));
        });
        w.post(c, "/api/undo", ctx -> {
            body(ctx);
            CleanAction a = session.actions().undoLast();
            session.moved(a.to(), a.file());
            WebServer.json(ctx, done(a));
        });
    }

    // Folders and single-label CSVs take {"label"}; a multi-label CSV {"labels": [...]}; regression {"values": {...}}.
    private CleanAction relabel(JsonNode b, String path) {
        CleanActions actions = session.actions();
        CleanCsv csv = actions.csv();
        if (csv == null || csv.kind() == dev.kodiak.data.TaskKind.SINGLE_LABEL) {
            return actions.relabel(path, field(b, "label"));
        }
        if (csv.kind() == dev.kodiak.data.TaskKind.MULTI_LABEL) {
            JsonNode labels = b.get("labels");
            if (labels == null || !labels.isArray()) {
                throw new ApiError(400, "the request needs 'labels': the item's labels as a list (possibly empty)");
            }
            List<String> names = new java.util.ArrayList<>();
            for (JsonNode l : labels) {
                if (!l.isTextual()) {
                    throw new ApiError(400, "'labels' must hold text only, not " + l);
                }
                names.add(l.asText());
            }
            return actions.relabelCsv(path, csv.multiLabel(names));
        }
        JsonNode values = b.get("values");
        if (values == null || !values.isObject()) {
            throw new ApiError(400, "the request needs 'values': one number per target, e.g. {\"" + session.targets().get(0)
                    + "\": 1.5}");
        }
        Map<String, Double> numbers = new LinkedHashMap<>();
        values.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber()) {
                throw new ApiError(400, "the target '" + e.getKey() + "' needs a number, not " + e.getValue());
            }
            numbers.put(e.getKey(), e.getValue().asDouble());
        });
        return actions.relabelCsv(path, csv.regression(session.targets(), numbers));
    }

    private Map<String, Object> dataset() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dir", session.actions().root().toString());
        d.put("model", modelName);
        d.put("labels", session.labels());
        d.put("model_labels", session.modelLabels());
        d.put("input_kind", session.inputKind());
        d.put("splits", session.splits());
        d.put("split_known", session.splitKnown());
        d.put("task", session.kind().cliName());
        d.put("targets", session.targets());
        if (session.threshold() != null) {
            d.put("threshold", session.threshold());
        }
        CleanCsv csv = session.actions().csv();
        d.put("source", csv == null ? "folders" : "csv");
        if (csv != null) {
            d.put("csv", csv.name());
            d.put("editable", csv.editable());
            if (!csv.editable()) {
                d.put("read_only", csv.readOnlyReason());
            }
        }
        if (!session.splitKnown()) {
            d.put("note", "This folder is not the one the model was trained on, so the training/validation split is "
                    + "unknown: every image is listed under train.");
        }
        return d;
    }

    private void items(Context ctx) {
        String label = ctx.queryParam("label");
        String split = ctx.queryParam("split") == null ? CleanSession.TRAIN : ctx.queryParam("split");
        if (label == null || !session.labels().contains(label)) {
            throw new ApiError(400, "unknown label '" + label + "'; the labels are " + session.labels());
        }
        if (!session.splits().contains(split)) {
            throw new ApiError(400, "unknown split '" + split + "'; this folder has " + session.splits());
        }
        List<CleanItem> items = session.items(label, split);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", label);
        out.put("split", split);
        out.put("items", items.stream().map(CleanServer::item).toList());
        WebServer.json(ctx, out);
    }

    // JSON has no Infinity/NaN: unreadable images get "loss": null and their error.
    private static Map<String, Object> item(CleanItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", i.path());
        m.put("label", i.label());
        m.put("split", i.split());
        m.put("predicted", i.predicted());
        m.put("probability", i.predicted() == null ? null : i.probability());
        m.put("loss", Double.isFinite(i.loss()) ? i.loss() : null);
        if (i.error() != null) {
            m.put("error", i.error());
        }
        if (i.labels() != null) {
            m.put("labels", i.labels());
        }
        if (i.values() != null && !i.values().isEmpty()) {
            m.put("values", i.values());
        }
        if (i.predictedLabels() != null) {
            m.put("predicted_labels", i.predictedLabels());
        }
        if (i.predictedValues() != null) {
            m.put("predicted_values", i.predictedValues());
        }
        return m;
    }

    // A data file (image or clip) with its media type; ranges (206) so that players can seek.
    private void image(Context ctx) throws IOException {
        Path file = session.actions().file(ctx.queryParam("path"));
        byte[] bytes = session.actions().read(file);
        ctx.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
        ctx.writeSeekableStream(new java.io.ByteArrayInputStream(bytes), MediaTypes.of(file), bytes.length);
    }

    private Map<String, Object> done(CleanAction a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", a);
        m.put("message", a.describe());
        return m;
    }

    /** The JSON body of a state-changing request, after the same-origin checks. */
    private static JsonNode body(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new ApiError(403, "changes must be sent as application/json from the cleaner's page");
        }
        String host = ctx.header("Host");
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("http://" + host)) {
            throw new ApiError(403, "refusing a change sent from another site (" + origin + ")");
        }
        byte[] bytes = WebServer.body(ctx); // 413 over the limit, 408 when too slow
        try {
            return bytes.length == 0 ? WebServer.JSON.createObjectNode() : WebServer.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ApiError(400, "the request body is not JSON: " + e.getMessage());
        }
    }

    // Every request must name this machine: a web page whose DNS name is re-pointed at 127.0.0.1 cannot read or change
    // the data through the user's browser (DNS rebinding).
    private static void checkHost(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || !(host.startsWith("127.0.0.1:") || host.startsWith("localhost:") || host.startsWith("[::1]:"))) {
            throw new ApiError(403, "the cleaner only answers requests addressed to this machine (Host: " + host + ")");
        }
    }

    private static String field(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || !v.isTextual()) {
            throw new ApiError(400, "the request needs the text field '" + name + "'");
        }
        return v.asText();
    }

    public int port() {
        return web.port();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    public CleanSession session() {
        return session;
    }

    /** Closes the server when the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kodiak-clean-shutdown"));
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops serving (requests in flight finish) and closes the predictor. Idempotent. */
    @Override
    public void close() {
        try {
            web.stop();
            predictor.close();
        } finally {
            closed.countDown();
        }
    }
}
