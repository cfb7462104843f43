package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.NativeMemory;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {
    @TempDir
    Path dir;

    private void makeData(int perClass, int w, int h) throws IOException {
        for (int i = 0; i < perClass; i++) {
            RawImageBlock.write(dir.resolve("ants").resolve(String.format("a%03d.raw", i)), w, h, i);
            RawImageBlock.write(dir.resolve("bees").resolve(String.format("b%03d.raw", i)), w, h, 100 + i);
        }
    }

    private DataBlock<RawImageBlock.Raw> block() {
        return DataBlock.builder()
                .blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find)
                .splitter(Splitters.random(0.2, 42))
                .label(Labels.parentFolder())
                .build();
    }

    private static float[] floats(Tensor t) {
        Tensor c = t.contiguous();
        float[] a = new float[(int) c.numel()];
        ((FloatBuffer) c.createBuffer()).get(a);
        return a;
    }

    private static long[] longs(Tensor t) {
        Tensor c = t.contiguous();
        long[] a = new long[(int) c.numel()];
        ((LongBuffer) c.createBuffer()).get(a);
        return a;
    }

    @Test
    void batchesHoldTheItemsPixelsAndLabels() throws IOException {
        makeData(10, 4, 3);
        try (DataLoaders<RawImageBlock.Raw> dls = block().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(4));
             StepScope scope = StepScope.open()) {
            assertThat(dls.vocab()).containsExactly("ants", "bees");
            assertThat(dls.train().size()).isEqualTo(16);
            assertThat(dls.valid().size()).isEqualTo(4);
            assertThat(dls.train().batchCount()).isEqualTo(4);
            Batch b = dls.valid().oneBatch();
            assertThat(b.inputShape()).containsExactly(4, 3, 3, 4);
            // item 0 of the batch: pixel (x=1, y=2), green channel equals its file byte / 255
            Path file = b.items().get(0);
            byte[] bytes = Files.readAllBytes(file);
            int hwcIndex = (2 * 4 + 1) * 3 + 1;
            float expected = (bytes[2 + hwcIndex] & 0xFF) / 255f;
            float[] x = b.x().toFloatArray();
            assertThat(x[1 * 12 + 2 * 4 + 1]).isEqualTo(expected);
            long[] y = b.y().toLongArray();
            for (int i = 0; i < b.size(); i++) {
                String folder = b.items().get(i).getParent().getFileName().toString();
                assertThat(y[i]).isEqualTo(folder.equals("ants") ? 0 : 1);
            }
        }
    }

    @Test
    void batchTransformsRunOnTheWorkersWithOneIntraOpThreadAndLeaveTheOthersAlone() throws Exception {
        makeData(8, 2, 2);
        int configured = dev.kodiak.engine.Engine.threads();
        java.util.Set<String> threadNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<Integer> intraOp = java.util.concurrent.ConcurrentHashMap.newKeySet();
        BatchTransform probe = (x, rng, training) -> {
            threadNames.add(Thread.currentThread().getName());
            intraOp.add(org.bytedeco.pytorch.global.torch.get_num_threads());
            return x;
        };
        DataBlock<RawImageBlock.Raw> b = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .batchTransforms(probe).build();
        try (var dls = b.dataLoaders(dir, LoaderOptions.defaults().withBatchSize(2).withWorkers(2));
             StepScope scope = StepScope.open()) {
            int batches = 0;
            for (Batch batch : dls.train().epoch(0)) {
                assertThat(batch.x().toFloatArray()).hasSize(2 * 3 * 2 * 2); // the adopted tensor is alive and readable
                batches++;
            }
            assertThat(batches).isEqualTo(6);
        }
        assertThat(threadNames).isNotEmpty().allMatch(n -> n.startsWith("kodiak-loader-"));
        assertThat(intraOp).containsExactly(1);
        // the constructing thread and threads started later keep the configured count
        assertThat(dev.kodiak.engine.Engine.threads()).isEqualTo(configured);
        int[] fresh = new int[1];
        Thread t = new Thread(() -> fresh[0] = dev.kodiak.engine.Engine.threads());
        t.start();
        t.join();
        assertThat(fresh[0]).isEqualTo(configured);
    }

    @Test
    void aBatchTransformMayReturnANonOwningReferenceToItsInput() throws IOException {
        // torch.mul_out(x, ...) returns a new Java object for x's own native handle, one that owns nothing; the
        // worker's scope frees that handle, so the loader must hand the consumer a handle of its own (reading a
        // freed one crashed the JVM in BearClassifierTest)
        makeData(4, 2, 2);
        BatchTransform doubleInPlace = (x, rng, training) -> NativeTensors.wrap(
                org.bytedeco.pytorch.global.torch.mul_out(NativeTensors.unwrap(x), NativeTensors.unwrap(x),
                        org.bytedeco.pytorch.global.torch.full(new long[] {1}, new org.bytedeco.pytorch.Scalar(2.0))));
        DataBlock<RawImageBlock.Raw> plain = block();
        DataBlock<RawImageBlock.Raw> doubled = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.2, 42)).label(Labels.parentFolder())
                .batchTransforms(doubleInPlace).build();
        List<float[]> expected = new ArrayList<>();
        try (var dls = plain.dataLoaders(dir, LoaderOptions.defaults().withBatchSize(2).withWorkers(2));
             StepScope scope = StepScope.open()) {
            for (Batch b : dls.valid().epoch(0)) {
                expected.add(b.x().toFloatArray());
            }
        }
        try (var dls = doubled.dataLoaders(dir, LoaderOptions.defaults().withBatchSize(2).withWorkers(2));
             StepScope scope = StepScope.open()) {
            int k = 0;
            for (Batch b : dls.valid().epoch(0)) {
                // an owning handle, held once by this thread's scope (a returned reference has no owner: -1)
                assertThat(NativeTensors.unwrap(b.x()).referenceCount()).isEqualTo(1);
                assertThat(NativeTensors.unwrap(b.y()).referenceCount()).isEqualTo(1);
                float[] got = b.x().toFloatArray();
                float[] want = expected.get(k++);
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).isEqualTo(2 * want[i]);
                }
            }
            assertThat(k).isEqualTo(expected.size()).isPositive();
        }
    }

    @Test
    void trainingDropsTheLastIncompleteBatchAndValidationDoesNot() throws IOException {
        makeData(9, 2, 2); // 18 items: 15 train (3 batches of 4 + 3 dropped), 3 valid
        try (var dls = block().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(4));
             StepScope scope = StepScope.open()) {
            int trainItems = 0;
            for (Batch b : dls.train().epoch(0)) {
                trainItems += b.size();
                assertThat(b.size()).isEqualTo(4);
            }
            assertThat(trainItems).isEqualTo(12);
            int validItems = 0;
            for (Batch b : dls.valid().epoch(0)) {
                validItems += b.size();
            }
            assertThat(validItems).isEqualTo(3);
        }
    }

    @Test
    void ranksTakeDisjointSlicesOfEveryGlobalBatchThatTogetherAreTheWholeBatch() throws IOException {
        makeData(20, 2, 2); // 40 items: 32 train (4 global batches of 8), 8 valid
        try (var dls = block().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(8));
             StepScope scope = StepScope.open()) {
            List<List<Integer>> whole = new ArrayList<>();
            dls.train().epoch(3).forEach(b -> whole.add(b.indices()));
            List<List<Integer>> rank0 = new ArrayList<>();
            List<List<Integer>> rank1 = new ArrayList<>();
            dls.train().epoch(3, 0, 2).forEach(b -> rank0.add(b.indices()));
            dls.train().epoch(3, 1, 2).forEach(b -> rank1.add(b.indices()));
            assertThat(rank0).hasSameSizeAs(whole);
            for (int k = 0; k < whole.size(); k++) {
                List<Integer> both = new ArrayList<>(rank0.get(k));
                both.addAll(rank1.get(k));
                assertThat(both).isEqualTo(whole.get(k)); // rank 0 the first half, rank 1 the second
                assertThat(rank0.get(k)).hasSize(4);
            }
            List<Integer> valid = new ArrayList<>();
            for (int r = 0; r < 3; r++) { // 8 items over 3 ranks: 2, 3 and 3, every item once
                dls.valid().epoch(0, r, 3).forEach(b -> valid.addAll(b.indices()));
            }
            List<Integer> allValid = new ArrayList<>();
            dls.valid().epoch(0).forEach(b -> allValid.addAll(b.indices()));
            assertThat(valid).isEqualTo(allValid);
            assertThatThrownBy(() -> dls.train().epoch(0, 0, 3)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("batch size 8 does not split evenly over 3 processes");
        }
    }

    @Test
    void batchesAreIdenticalWhateverTheNumberOfWorkers() throws IOException {
        makeData(20, 3, 3);
        List<List<Integer>> orderOne = new ArrayList<>();
        List<float[]> pixelsOne = new ArrayList<>();
        try (var dls = block().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(8).withWorkers(1));
             StepScope scope = StepScope.open()) {
            for (Batch b : dls.train().epoch(1)) {
                orderOne.add(b.indices());
                pixelsOne.add(b.x().toFloatArray());
            }
        }
        try (var dls = block().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(8).withWorkers(3));
             StepScope scope = StepScope.open()) {
            int k = 0;
            for (Batch b : dls.train().epoch(1)) {
                assertThat(b.indices()).isEqualTo(orderOne.get(k));
                assertThat(b.x().toFloatArray()).isEqualTo(pixelsOne.get(k));
                k++;
            }
            assertThat(k).isEqualTo(orderOne.size());
            List<Integer> epoch2 = dls.train().epoch(2).iterator().next().indices();
            assertThat(epoch2).isNotEqualTo(orderOne.get(0));
        }
    }

    @Test
    void badItemsStopTheRunOrAreSkippedAndReported() throws IOException {
        makeData(6, 2, 2);
        Path broken = dir.resolve("ants").resolve("zz-broken.raw");
        Files.write(broken, new byte[] {'X', 1, 2});
        DataBlock<RawImageBlock.Raw> block = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.byFunction(p -> false)).label(Labels.parentFolder())
                .build();
        assertThatThrownBy(() -> block.dataLoaders(dir, 4)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("validation set is empty");
        DataBlock<RawImageBlock.Raw> all = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.byFunction(p -> p.toString().contains("b00")))
                .label(Labels.parentFolder()).build();
        try (var dls = all.dataLoaders(dir, LoaderOptions.defaults().withBatchSize(7));
             StepScope scope = StepScope.open()) {
            assertThatThrownBy(() -> dls.train().epoch(0).iterator().next()).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("zz-broken.raw");
        }
        try (var dls = all.dataLoaders(dir, LoaderOptions.defaults().withBatchSize(7).withSkipBadItems(true));
             StepScope scope = StepScope.open()) {
            int seen = 0;
            for (Batch b : dls.train().epoch(0)) {
                seen += b.size();
                assertThat(b.items()).doesNotContain(broken);
            }
            assertThat(seen).isEqualTo(6); // one batch of the 7 training items; the broken one is left out
            assertThat(dls.failures()).extracting(ItemFailure::file).contains(broken);
        }
    }

    @Test
    void clearErrorsForMissingEmptyAndSingleClassData() throws IOException {
        assertThatThrownBy(() -> block().dataLoaders(dir.resolve("nope"), 4)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> block().dataLoaders(dir, 4)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("no items found");
        for (int i = 0; i < 5; i++) {
            RawImageBlock.write(dir.resolve("only").resolve(i + ".raw"), 2, 2, i);
        }
        assertThatThrownBy(() -> block().dataLoaders(dir, 4)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("only one label ('only')");
    }

    @Test
    void differentSizesInOneBatchSuggestAResize() throws IOException {
        makeData(5, 2, 2);
        RawImageBlock.write(dir.resolve("ants").resolve("a999.raw"), 3, 2, 1);
        DataBlock<RawImageBlock.Raw> b = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.byFunction(p -> p.toString().contains("b00")))
                .label(Labels.parentFolder()).build();
        try (var dls = b.dataLoaders(dir, LoaderOptions.defaults().withBatchSize(6));
             StepScope scope = StepScope.open()) {
            assertThatThrownBy(() -> dls.train().oneBatch()).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("same size").hasMessageContaining("Resize.to");
        }
    }

    @Test
    void showBatchDrawsCaptionsOfTheBatchItems() throws IOException {
        makeData(10, 2, 2);
        Path png = dir.resolve("batch.png");
        try (var dls = block().dataLoaders(dir, 4)) {
            dls.showBatch(png, 2);
        }
        String drawn = Files.readString(png);
        assertThat(drawn).startsWith("4 ");
        assertThat(drawn.substring(2).split(",")).allMatch(c -> c.equals("ants") || c.equals("bees"));
    }

    @Test
    void summaryWalksOneItemThroughEveryStepAndNamesAFailure() throws IOException {
        makeData(5, 2, 2);
        String ok = block().summary(dir, 4);
        assertThat(ok).contains("found 10 items").contains("train 8, valid 2").contains("[ants, bees]")
                .contains("collate: x Float [4, 3, 2, 2]").contains("OK: every step worked");
        Files.write(dir.resolve("ants").resolve("a000.raw"), new byte[] {'X'});
        DataBlock<RawImageBlock.Raw> first = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.byFunction(p -> p.toString().contains("b00")))
                .label(Labels.parentFolder()).build();
        assertThat(first.summary(dir, 4)).contains("FAILED at loading").contains("a000.raw");
    }

    @Test
    void nativeObjectCountStaysFlatOverThreeHundredBatches() throws IOException {
        makeData(8, 8, 8);
        try (var dls = block().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(4).withWorkers(2))) {
            long afterWarmup = -1;
            long rssAfterWarmup = 0;
            int batches = 0;
            for (int epoch = 0; batches < 300; epoch++) {
                var it = dls.train().epoch(epoch).iterator();
                while (it.hasNext() && batches < 300) {
                    // the way the learner uses a loader: the batch is taken inside the step's scope
                    try (StepScope scope = StepScope.open()) {
                        Batch b = it.next();
                        b.x().mul(b.x()).sum().item();
                    }
                    batches++;
                    if (batches == 10) {
                        afterWarmup = Pointer.totalCount();
                        rssAfterWarmup = NativeMemory.currentRssBytes();
                    }
                }
            }
            assertThat(afterWarmup).isNotNegative();
            assertThat(NativeMemory.currentRssBytes() - rssAfterWarmup).isLessThan(50L << 20);
            assertThat(Pointer.totalCount()).isLessThanOrEqualTo(afterWarmup + 5);
        }
    }
}
