package dev.kodiak.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The speeds bench/architectures.sh measured ({@code bench/results/architectures.json}): images/second of each
 * architecture's training step and inference, Kodiak's and PyTorch's in the same run, with the CPU and the load
 * they were measured under.
 *
 * @param file        the results file
 * @param cpu         the CPU model
 * @param cores       its cores (the threads used)
 * @param measuredAt  when (ISO-8601)
 * @param loadAverage {@code /proc/loadavg} before the run
 * @param batchSize   images per batch
 * @param size        image side in pixels
 * @param peer        the PyTorch measured beside Kodiak ({@code pytorch 1.13.1})
 * @param rows        one per architecture, benchmark and precision
 */
record ArchitectureSpeeds(Path file, String cpu, int cores, String measuredAt, String loadAverage, int batchSize,
        int size, String peer, List<Row> rows) {
    /** Where the bench script writes, under Kodiak's folder. */
    static final Path DEFAULT = Path.of("bench", "results", "architectures.json");

    /**
     * One measurement.
     *
     * @param arch      architecture name
     * @param benchmark {@code train-step} or {@code infer}
     * @param precision {@code fp32} or {@code bf16}
     * @param kodiak    Kodiak's median images/second
     * @param pytorch   PyTorch's median images/second in the same run
     * @param size      image side in pixels (the bench runs ViT at its 224 px whatever the others' size)
     */
    record Row(String arch, String benchmark, String precision, double kodiak, double pytorch, int size) {
    }

    ArchitectureSpeeds {
        rows = List.copyOf(rows);
    }

    /** The results at {@code file}, or empty when there is none (nothing was measured on this installation). */
    static Optional<ArchitectureSpeeds> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            List<Row> rows = new ArrayList<>();
            int size = root.path("size").asInt(0);
            for (JsonNode r : root.path("results")) {
                rows.add(new Row(r.path("arch").asText(), r.path("benchmark").asText(), r.path("precision").asText(),
                        r.path("kodiak").asDouble(Double.NaN), r.path("pytorch").asDouble(Double.NaN),
                        r.path("size").asInt(size)));
            }
            return Optional.of(new ArchitectureSpeeds(file, root.path("cpu").path("model").asText("unknown CPU"),
                    root.path("cpu").path("cores").asInt(0), root.path("measured_at").asText(""),
                    root.path("load_average").path("before").asText(""), root.path("bs").asInt(0),
                    size, root.path("peer").asText("pytorch"), rows));
        } catch (IOException e) {
            throw new KodiakException("cannot read the benchmark results " + file + ": " + e.getMessage()
                    + "; run bench/architectures.sh again or delete the file", e);
        }
    }

    /** The measurement of {@code arch}'s {@code benchmark} in {@code precision}, if it was measured. */
    Optional<Row> of(String arch, String benchmark, String precision) {
        return rows.stream().filter(r -> r.arch().equals(arch) && r.benchmark().equals(benchmark)
                && r.precision().equals(precision)).findFirst();
    }

    /** One line on where the figures come from: CPU, cores, batch, size, when and under what load. */
    String provenance() {
        String load = loadAverage.isEmpty() ? "" : ", load average " + loadAverage.split(" ")[0];
        return "measured on " + cpu + " (" + cores + " cores), bs " + batchSize + ", " + size + " px, fp32, "
                + measuredAt.replaceFirst("T.*", "") + load + ", against " + peer + " eager: " + file;
    }
}
