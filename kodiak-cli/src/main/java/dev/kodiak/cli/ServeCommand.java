package dev.kodiak.cli;

import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.serve.PredictServer;
import dev.kodiak.serve.ServeOptions;
import dev.kodiak.vision.predict.PredictorOptions;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak serve MODEL}: the upload-and-predict page and the JSON API (docs/http-api.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model: a page to upload an image and see the prediction (http://HOST:PORT/), a JSON API "
                + "(POST /api/predict, GET /api/model), GET /healthz and GET /metrics (Prometheus). See docs/http-api.md.",
                "Requests are micro-batched onto the model; when too many wait, the server answers 503 with Retry-After. "
                        + "SIGTERM or Ctrl-C stops it after the requests in flight are answered."})
final class ServeCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .kodiak model file.")
    Path model;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}: this machine only; 0.0.0.0: every interface).")
    String host;

    @Option(names = "--max-upload", paramLabel = "MB", defaultValue = "10",
            description = "Largest request body in megabytes; larger requests get 413 (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--max-batch", defaultValue = "16", description = "Most images per forward pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--batch-wait", paramLabel = "MS", defaultValue = "5",
            description = "Longest wait for more images to fill a batch, in milliseconds (default: ${DEFAULT-VALUE}).")
    double batchWait;

    @Option(names = "--queue", defaultValue = "256",
            description = "Most images waiting for the model; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-seconds", paramLabel = "S",
            description = "A sound model's page takes sound files and microphone recordings: longest sound upload in "
                    + "seconds; longer ones get 422 too-long (default: the limit the model file records, 600 s unless "
                    + "training chose another).")
    Double maxSeconds;

    @Mixin
    PrecisionOption precision;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (maxUploadMb < 1 || maxUploadMb > 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-upload must be between 1 and 1024 MB");
        }
        if (maxSeconds != null && !(maxSeconds > 0 && maxSeconds <= 86_400)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-seconds must be a number of seconds above 0 and at most 86400, got " + maxSeconds);
        }
        ServeOptions options = ServeOptions.defaults().host(host).port(port).maxUploadBytes(maxUploadMb * 1024L * 1024L)
                .maxBatch(maxBatch).maxWaitMillis(batchWait).queueCapacity(queue)
                .maxSeconds(maxSeconds == null ? 0 : maxSeconds);
        WebLogging.quiet();
        Output o = new Output(spec, false);
        PredictServer server = PredictServer.start(Predictor.load(model,
                PredictorOptions.defaults().bf16(precision.choose(o).bf16())), options);
        server.closeOnShutdown();
        o.say("Serving %s (%s) at %s  (Ctrl-C to stop)", server.modelName(), String.join(", ",
                server.labels()), server.url());
        try {
            server.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
    }
}
