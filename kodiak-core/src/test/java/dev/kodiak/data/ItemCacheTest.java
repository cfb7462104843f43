package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.StepScope;
import dev.kodiak.testing.RawImageBlock;
import dev.kodiak.testing.RawImageBlock.Raw;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemCacheTest {
    private static final int ITEM_BYTES = 4 * 4 * 3; // every test file is 4x4 RGB

    @TempDir
    Path dir;

    /** RawImageBlock that counts loads and reports its samples' size, so the loaders may cache them. */
    static final class CountingBlock implements InputBlock<Raw> {
        final RawImageBlock raw = new RawImageBlock();
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public Raw load(Path item) {
            loads.incrementAndGet();
            return raw.load(item);
        }

        @Override
        public long bytes(Raw sample) {
            return sample.hwc().length;
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public int[] size(Raw sample) {
            return raw.size(sample);
        }

        @Override
        public void writeHwc(Raw sample, ByteBuffer dest) {
            raw.writeHwc(sample, dest);
        }

        @Override
        public Raw fromChw(float[] chw, int height, int width) {
            return raw.fromChw(chw, height, width);
        }

        @Override
        public void drawGrid(List<Raw> samples, List<String> captions, int columns, Path png) {
            raw.drawGrid(samples, captions, columns, png);
        }
    }

    private void makeData(int perClass) throws IOException {
        for (int i = 0; i < perClass; i++) {
            RawImageBlock.write(dir.resolve("ants").resolve(String.format("a%03d.raw", i)), 4, 4, i);
            RawImageBlock.write(dir.resolve("bees").resolve(String.format("b%03d.raw", i)), 4, 4, 100 + i);
        }
    }

    private DataBlock<Raw> block(CountingBlock input) {
        return DataBlock.builder().blocks(input, CategoryBlock.create()).items(RawImageBlock::find)
                .splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder()).build();
    }

    private static float[] floats(Tensor t) {
        Tensor c = t.contiguous();
        float[] a = new float[(int) c.numel()];
        ((FloatBuffer) c.createBuffer()).get(a);
        return a;
    }

    /** Pixels of every batch of two epochs of train and valid; counts loads in {@code input}. */
    private List<float[]> twoEpochs(CountingBlock input, long cacheBytes) {
        List<float[]> out = new ArrayList<>();
        LoaderOptions options = LoaderOptions.defaults().withBatchSize(4).withWorkers(2).withCacheBytes(cacheBytes);
        try (DataLoaders<Raw> dls = block(input).dataLoaders(dir, options); StepScope s = StepScope.open()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch b : dls.train().epoch(epoch)) {
                    out.add(b.x().toFloatArray());
                }
                for (Batch b : dls.valid().epoch(epoch)) {
                    out.add(b.x().toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void withRoomForEveryItemEachFileIsDecodedOnceAndTheBatchesAreUnchanged() throws IOException {
        makeData(8); // 16 items: 12 train (3 full batches), 4 valid
        CountingBlock cached = new CountingBlock();
        List<float[]> withCache = twoEpochs(cached, 1 << 20);
        CountingBlock uncached = new CountingBlock();
        List<float[]> without = twoEpochs(uncached, 0);

        assertThat(cached.loads.get()).isEqualTo(16);
        assertThat(uncached.loads.get()).isEqualTo(32);
        assertThat(withCache).hasSize(without.size());
        for (int i = 0; i < without.size(); i++) {
            assertThat(withCache.get(i)).as("batch %d", i).isEqualTo(without.get(i));
        }
    }

    @Test
    void aSmallBudgetKeepsOnlyWhatFitsAndDecodesTheRestAgain() throws IOException {
        makeData(8);
        CountingBlock input = new CountingBlock();
        twoEpochs(input, 5L * ITEM_BYTES + ITEM_BYTES / 2); // room for 5 items, not 6
        assertThat(input.loads.get()).isEqualTo(16 + (16 - 5));
    }

    @Test
    void theCacheAdmitsUntilFullAndNeverKeepsFailures() throws IOException {
        makeData(2);
        Path broken = Files.write(dir.resolve("ants").resolve("zzz.raw"), new byte[] {'X'});
        CountingBlock input = new CountingBlock();
        ItemCache<Raw> cache = new ItemCache<>(2L * ITEM_BYTES);
        List<Path> files = RawImageBlock.find(dir);
        for (Path f : files) {
            if (!f.equals(broken)) {
                cache.load(f, input);
            }
        }
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.bytes()).isEqualTo(2L * ITEM_BYTES);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                cache.load(broken, input);
            } catch (dev.kodiak.KodiakException expected) {
                // reported again each time: a failure is not remembered as an item
            }
        }
        assertThat(cache.size()).isEqualTo(2);
        assertThat(input.loads.get()).isEqualTo(4 + 2);
    }
}
