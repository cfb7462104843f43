package dev.kodiak.cli;

import dev.kodiak.data.DataBlock;
import dev.kodiak.data.Datasets;
import dev.kodiak.data.InputBlock;
import dev.kodiak.data.ItemFailure;
import dev.kodiak.vision.transforms.Resize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kodiak data summary}: how many images per split and label, which ones do not decode. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Count the images per split and label, decode every image to find broken ones, and walk one "
                + "item through the pipeline.")
final class DataSummaryCommand implements Runnable {
    @Mixin
    DataOptions data;

    @Mixin
    JsonOption json;

    @Mixin
    InputOptions inputs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output out = new Output(spec, json.on);
        Path dir = data.dataDir();
        DataBlock<?> block = inputs.block(data, List.of(Resize.to(64)), List.of(), false, data.seed, data.csvData(),
                m -> out.say("%s", m));
        Datasets ds = block.datasets(dir);
        List<ItemFailure> failed = decodeAll(ds.items(), block.input());
        Map<String, Map<String, Integer>> counts = ds.counts();
        if (json.on) {
            Map<String, Object> result = new LinkedHashMap<>(counts);
            result.put("vocab", ds.target().vocab());
            List<Map<String, String>> f = new ArrayList<>();
            for (ItemFailure x : failed) {
                f.add(Map.of("file", x.file().toString(), "error", x.error()));
            }
            result.put("failed", f);
            out.object(result);
        }
        out.say("Data: %s (%d %s files; split: %s; labels: %s)", dir, ds.items().size(), block.input().kind(),
                ds.splitter().describe(),
                ds.labeller().describe());
        printTable(out, counts);
        out.say("Failed to decode: %d", failed.size());
        for (ItemFailure f : failed) {
            out.say("  %s", f.error());
        }
        if (!failed.isEmpty()) {
            out.say("Run `kodiak verify %s` to move broken files to %s/.quarantine/.", dir, dir);
        }
        out.say("");
        out.say(block.summary(dir, 4).stripTrailing());
    }

    private static void printTable(Output out, Map<String, Map<String, Integer>> counts) {
        TreeSet<String> labels = new TreeSet<>();
        counts.values().forEach(m -> labels.addAll(m.keySet()));
        int width = Math.max(5, labels.stream().mapToInt(String::length).max().orElse(5));
        out.say("%-" + width + "s  %7s  %7s  %7s", "label", "train", "valid", "test");
        int[] totals = new int[3];
        for (String label : labels) {
            int[] n = new int[3];
            int k = 0;
            for (String split : List.of("train", "valid", "test")) {
                n[k] = counts.get(split).getOrDefault(label, 0);
                totals[k] += n[k];
                k++;
            }
            out.say("%-" + width + "s  %7d  %7d  %7d", label, n[0], n[1], n[2]);
        }
        out.say("%-" + width + "s  %7d  %7d  %7d", "total", totals[0], totals[1], totals[2]);
    }

    /** Decodes every item in parallel; returns the ones that fail, in item order. */
    static List<ItemFailure> decodeAll(List<Path> items, InputBlock<?> block) {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Path p : items) {
                results.add(pool.submit(() -> {
                    try {
                        block.load(p);
                        return null;
                    } catch (dev.kodiak.KodiakException e) {
                        return e.getMessage();
                    }
                }));
            }
            List<ItemFailure> failed = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String error = results.get(i).get();
                if (error != null) {
                    failed.add(new ItemFailure(items.get(i), error));
                }
            }
            return failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.kodiak.KodiakException("interrupted while decoding images");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new dev.kodiak.KodiakException("decoding failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
