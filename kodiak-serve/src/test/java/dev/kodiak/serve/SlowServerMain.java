package dev.kodiak.serve;

import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Child-JVM main for the graceful-shutdown test: serves MODEL on a free port, prints {@code port=N}, prints
 * {@code batch} when a batch reaches the model (so the test knows a request is in flight without guessing a delay),
 * holds that batch until the JVM begins to shut down (so the request is still in flight when SIGTERM arrives, however
 * slow the machine), and closes on SIGTERM; prints {@code closed} last.
 */
public final class SlowServerMain {
    private SlowServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Predictor predictor = Predictor.load(Path.of(args[0]));
        CountDownLatch shuttingDown = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(shuttingDown::countDown));
        PredictServer server = PredictServer.start(predictor, images -> {
            System.out.println("batch");
            System.out.flush();
            try {
                shuttingDown.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return predictor.predictPrepared(images);
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
