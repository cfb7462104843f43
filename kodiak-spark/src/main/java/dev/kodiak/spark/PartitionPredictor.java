package dev.kodiak.spark;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Precision;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The work of one partition: rows in micro-batches of {@code batchSize}, each decoded in the task's thread and
 * predicted in one forward pass by this JVM's shared predictor; out come the same rows with the task's columns added.
 * Rows stream through (at most one batch is held), and one bad item only gets an {@code error}.
 */
final class PartitionPredictor implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ModelShipment model;
    private final ItemReader reader;
    private final TaskColumns columns;
    private final int batchSize;
    private final String precision;
    private final int threadsPerTask;
    private final boolean predictorPerThread;

    PartitionPredictor(ModelShipment model, ItemReader reader, TaskColumns columns, int batchSize, String precision,
                       int threadsPerTask, boolean predictorPerThread) {
        this.model = model;
        this.reader = reader;
        this.columns = columns;
        this.batchSize = batchSize;
        this.precision = precision;
        this.threadsPerTask = threadsPerTask;
        this.predictorPerThread = predictorPerThread;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskThreads.use(threadsPerTask);
        PredictorOptions options = PredictorOptions.defaults().maxBatch(batchSize)
                .precision(Precision.parse(precision));
        Predictor predictor = model.predictor(options, predictorPerThread);
        ImageDecoder decoder = ImageDecoder.withLimits(options.limits());
        Configuration conf = reader.hadoopConfiguration();
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    ready.addAll(predict(batch, predictor, decoder, conf));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<Row> predict(List<Row> batch, Predictor predictor, ImageDecoder decoder, Configuration conf) {
        Object[][] added = new Object[batch.size()][];
        List<RgbImage> images = new ArrayList<>(batch.size());
        List<Integer> at = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            try {
                images.add(reader.read(batch.get(i), decoder, conf));
                at.add(i);
            } catch (RuntimeException e) {
                added[i] = columns.failed(reason(e));
            }
        }
        List<Prediction> predictions;
        try {
            predictions = predictor.predictBatch(images);
        } catch (RuntimeException e) {
            predictions = null; // one image broke the batch: find it by predicting them one by one
        }
        for (int j = 0; j < at.size(); j++) {
            int i = at.get(j);
            try {
                added[i] = columns.values(predictions != null ? predictions.get(j) : predictor.predict(images.get(j)));
            } catch (RuntimeException e) {
                added[i] = columns.failed("cannot predict " + reader.name(batch.get(i)) + ": " + reason(e));
            }
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row in = batch.get(i);
            Object[] values = new Object[in.length() + added[i].length];
            for (int c = 0; c < in.length(); c++) {
                values[c] = in.get(c);
            }
            System.arraycopy(added[i], 0, values, in.length(), added[i].length);
            out.add(RowFactory.create(values));
        }
        return out;
    }

    // Kodiak's messages say what and where; anything else (a decoder's bug) at least says what it was.
    static String reason(RuntimeException e) {
        return e instanceof dev.kodiak.KodiakException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** libtorch's intra-op threads for the calling task thread (libtorch's setting is per thread in OpenMP). */
    static final class TaskThreads {
        private static final ThreadLocal<Integer> SET = new ThreadLocal<>();

        private TaskThreads() {
        }

        static void use(int threads) {
            if (Integer.valueOf(threads).equals(SET.get())) {
                return;
            }
            Engine.threads(); // libtorch's lazy per-thread set-up first, so it cannot undo the setting below
            Engine.setThreads(threads);
            SET.set(threads);
        }
    }
}
