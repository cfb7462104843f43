package dev.kodiak.serve;

import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;

/**
 * Child-JVM main for the graceful-shutdown test: serves MODEL on a free port with every batch taking DELAY_MS, prints
 * {@code port=N}, prints {@code batch} when a batch reaches the model (so the test knows a request is in flight without
 * guessing a delay), and closes on SIGTERM through {@link PredictServer#closeOnShutdown()}; prints {@code closed} last.
 */
public final class SlowServerMain {
    private SlowServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Predictor predictor = Predictor.load(Path.of(args[0]));
        long delay = Long.parseLong(args[1]);
        PredictServer server = PredictServer.start(predictor, images -> {
            System.out.println("batch");
            System.out.flush();
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return predictor.predictBatch(images);
        }, ServeOptions.defaults().port(0));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("closed");
            System.out.flush();
        }));
        System.out.println("port=" + server.port());
        System.out.flush();
        server.awaitClose();
    }
}
