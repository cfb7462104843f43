package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float path from item to batch and the block-level encoder: samples a block writes as floats reach the batch
 * exactly (no 8-bit rounding), the block's {@code encode} runs on every batch between collation and the batch
 * transforms (knowing training from validation), {@link InputPipeline} makes the validation batch, and show-batch
 * hands the encoded values, unclamped, to the block's drawing.
 */
class FloatSamplesTest {
    @TempDir
    Path dir;

    /** Items are files of little-endian float32 values; encode scales by 10 and adds 1 in training. */
    static final class SignalBlock implements InputBlock<float[]> {
        final List<float[]> drawn = new ArrayList<>();
        final List<Path> drawnItems = new ArrayList<>();

        @Override
        public float[] load(Path item) {
            try {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(item)).order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[b.remaining() / 4];
                b.asFloatBuffer().get(v);
                return v;
            } catch (IOException e) {
                throw new KodiakException("cannot read " + item, e);
            }
        }

        @Override
        public int channels() {
            return 1;
        }

        @Override
        public int[] size(float[] sample) {
            return new int[] {1, sample.length};
        }

        @Override
        public boolean floatSamples() {
            return true;
        }

        @Override
        public void writeFloats(float[] sample, FloatBuffer dest) {
            dest.put(sample);
        }

        @Override
        public void writeHwc(float[] sample, ByteBuffer dest) {
            throw new AssertionError("a float block's samples must not go through the 8-bit path");
        }

        @Override
        public Tensor encode(Tensor raw, Rng rng, boolean training) {
            Tensor x = raw.mul(10);
            return training ? x.add(1) : x;
        }

        @Override
        public float[] fromChw(float[] chw, int height, int width) {
            throw new AssertionError("not invertible");
        }

        @Override
        public void drawGrid(List<float[]> samples, List<String> captions, int columns, Path png) {
            throw new AssertionError("drawEncoded is overridden");
        }

        @Override
        public void drawEncoded(List<float[]> chw, int height, int width, List<Path> items, List<String> captions,
                                int columns, Path png) {
            drawn.addAll(chw);
            drawnItems.addAll(items);
        }
    }

    private static void write(Path file, float... values) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }

    private static List<Path> find(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".f32")).sorted().toList();
        } catch (IOException e) {
            throw new KodiakException("cannot list " + root, e);
        }
    }

    private DataLoaders<float[]> loaders(SignalBlock block) throws IOException {
        for (int i = 0; i < 8; i++) {
            // values 8 bits cannot hold: small, negative, above 1
            write(dir.resolve(i % 2 == 0 ? "up" : "down").resolve("s" + i + ".f32"),
                    0.001f * i, -0.5f - i, 3.25f + i, 1e-4f);
        }
        return DataBlock.builder().blocks(block, CategoryBlock.create()).items(FloatSamplesTest::find)
                .splitter(Splitters.random(0.25, 7)).label(Labels.parentFolder()).build()
                .dataLoaders(dir, LoaderOptions.defaults().withBatchSize(2).withWorkers(1));
    }

    @Test
    void floatSamplesReachTheBatchExactlyAndEncodeKnowsTraining() throws IOException {
        SignalBlock block = new SignalBlock();
        try (DataLoaders<float[]> dls = loaders(block); StepScope scope = StepScope.open()) {
            Batch valid = dls.valid().oneBatch();
            assertThat(valid.x().shape()).containsExactly(2, 1, 1, 4);
            float[] got = valid.x().toFloatArray();
            for (int k = 0; k < valid.size(); k++) {
                float[] item = block.load(valid.items().get(k));
                for (int j = 0; j < 4; j++) {
                    assertThat(got[k * 4 + j]).isEqualTo(item[j] * 10f); // validation: scaled, nothing added
                }
            }
            Batch train = dls.train().oneBatch();
            float[] t = train.x().toFloatArray();
            float[] first = block.load(train.items().get(0));
            assertThat(t[0]).isEqualTo(first[0] * 10f + 1f); // training: the encoder was told so

            // the pipeline a model file re-creates makes exactly the validation batch
            InputPipeline<float[]> pipeline = new InputPipeline<>(block, List.of());
            List<float[]> items = new ArrayList<>();
            for (Path p : valid.items()) {
                items.add(pipeline.load(p));
            }
            assertThat(pipeline.batch(items).toFloatArray()).containsExactly(got);
        }
    }

    @Test
    void showBatchDrawsTheEncodedValuesUnclamped() throws IOException {
        SignalBlock block = new SignalBlock();
        try (DataLoaders<float[]> dls = loaders(block)) {
            dls.showBatch(dir.resolve("batch.png"), 1);
        }
        assertThat(block.drawn).hasSize(1);
        assertThat(block.drawnItems).hasSize(1);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : block.drawn.get(0)) {
            max = Math.max(max, v);
        }
        assertThat(max).isGreaterThan(30f); // 10 x (3.25 + i) + 1: not clamped to 0..1 on the way
    }
}
