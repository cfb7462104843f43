package dev.kodiak.cli;

import dev.kodiak.models.Architecture;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.CachedWeights;
import dev.kodiak.models.HubWeights;
import dev.kodiak.models.ParameterCount;
import dev.kodiak.models.PretrainedWeights;
import dev.kodiak.models.WeightsCache;
import dev.kodiak.models.WeightsConfig;
import dev.kodiak.models.WeightsRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kodiak weights list}: every architecture with its parameter count (counted on the network), its speed on
 * this machine when bench/architectures.sh measured it, and its weights: published ImageNet top-1, input
 * preparation, whether cached, licence and hash check; then imported and hub weights in the cache.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Every architecture with its weights, parameters, published ImageNet top-1 and speed here.")
final class WeightsList implements Runnable {
    @CommandLine.ParentCommand
    WeightsCommand parent;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    JsonOption json;
    @Option(names = "--bench", paramLabel = "FILE",
            description = "Speed results to show (default: bench/results/architectures.json in Kodiak's folder).")
    Path bench;

    @Override
    public void run() {
        WeightsConfig config = parent.config();
        List<CachedWeights> entries = new WeightsCache(config.cacheDir()).entries();
        Optional<ArchitectureSpeeds> speeds = ArchitectureSpeeds.read(bench != null ? bench
                : KodiakHome.home().resolve(ArchitectureSpeeds.DEFAULT));
        List<Map<String, Object>> architectures = new ArrayList<>();
        Output out = new Output(spec, json.on);
        for (Architecture a : Architectures.all()) {
            long parameters = ParameterCount.imagenet(a);
            Optional<ArchitectureSpeeds.Row> train = speeds.flatMap(s -> s.of(a.name(), "train-step", "fp32"));
            Optional<ArchitectureSpeeds.Row> infer = speeds.flatMap(s -> s.of(a.name(), "infer", "fp32"));
            int size = speeds.map(ArchitectureSpeeds::size).orElse(0);
            text(out, "%-16s %,d parameters   speed here: %s", a.name(), parameters, speed(train, infer, size));
            text(out, "  %-22s %-7s %-22s %-7s %-9s %s", "WEIGHTS", "TOP-1", "INPUT (RESIZE, FILTER)", "CACHED", "SIZE",
                    "LICENCE / CHECK");
            List<Map<String, Object>> weights = new ArrayList<>();
            for (PretrainedWeights w : WeightsRegistry.all()) {
                if (!w.architecture().equals(a)) {
                    continue;
                }
                Optional<CachedWeights> e = entries.stream().filter(c -> c.name().equals(w.name())).findFirst()
                        .filter(c -> Files.isRegularFile(config.cacheDir().resolve(c.file())));
                String check = e.map(c -> "verified sha256 " + c.sha256()).orElse(w.hashDescription());
                text(out, "  %-22s %-7s %-22s %-7s %-9s %s", w.name(), top1(w.top1()), w.inputSize() + " ("
                        + w.resizeSize() + ", " + w.interpolation() + ")", e.isPresent() ? "yes" : "no",
                        megabytes(e.map(CachedWeights::size).orElse(w.sizeBytes())), w.licence());
                text(out, "  %-22s %s", "", check);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", w.name());
                row.put("top1", Double.isNaN(w.top1()) ? null : w.top1());
                row.put("input_size", w.inputSize());
                row.put("resize_size", w.resizeSize());
                row.put("interpolation", w.interpolation());
                row.put("mean", w.mean());
                row.put("std", w.std());
                row.put("cached", e.isPresent());
                row.put("size_bytes", w.sizeBytes() < 0 ? null : w.sizeBytes());
                row.put("url", w.url());
                row.put("licence", w.licence());
                row.put("check", check);
                row.put("description", w.description());
                weights.add(row);
            }
            Map<String, Object> arch = new LinkedHashMap<>();
            arch.put("name", a.name());
            arch.put("parameters", parameters);
            arch.put("speed", train.isEmpty() && infer.isEmpty() ? null : speedJson(train, infer));
            arch.put("weights", weights);
            architectures.add(arch);
        }
        List<Map<String, Object>> others = new ArrayList<>();
        for (CachedWeights e : entries) {
            if (WeightsRegistry.find(e.name()).isEmpty()) {
                boolean hub = HubWeights.isHubName(e.name());
                text(out, "%-24s %-13s %-14s %-9s %s", e.name(), e.architecture(), hub ? "yes (hub)" : "yes (imported)",
                        megabytes(e.size()), e.source());
                others.add(Map.of("name", e.name(), "architecture", e.architecture(), "kind", hub ? "hub" : "imported",
                        "size_bytes", e.size(), "source", e.source(), "sha256", e.sha256()));
            }
        }
        text(out, "speed: %s", speeds.map(ArchitectureSpeeds::provenance)
                .orElse("not measured on this installation (run bench/architectures.sh)"));
        text(out, "top-1: ImageNet-1k validation accuracy as its publisher reports it (torchvision's documentation; "
                + "timm's A1 weights: the ResNet Strikes Back paper), not measured here");
        text(out, "more: --weights hf:timm/NAME takes timm's ResNet, ConvNeXt and EfficientNet weights from the "
                + "Hugging Face hub (e.g. hf:timm/convnext_tiny.fb_in22k_ft_in1k; KODIAK_HF_ENDPOINT for a mirror)");
        text(out, "cache: " + config.cacheDir() + (config.offline() ? " (offline: KODIAK_OFFLINE=1)" : ""));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("architectures", architectures);
        root.put("cached_other", others);
        root.put("speed_source", speeds.map(WeightsList::sourceJson).orElse(null));
        root.put("cache", config.cacheDir().toString());
        root.put("offline", config.offline());
        out.object(root);
    }

    private void text(Output out, String format, Object... args) {
        if (!json.on) {
            out.say(format, args);
        }
    }

    /** The measured speeds; an architecture measured at another size than the file's (ViT) says which. */
    private static String speed(Optional<ArchitectureSpeeds.Row> train, Optional<ArchitectureSpeeds.Row> infer,
            int fileSize) {
        if (train.isEmpty() && infer.isEmpty()) {
            return "not measured";
        }
        int size = train.or(() -> infer).get().size();
        return "train " + imagesPerSecond(train) + ", infer " + imagesPerSecond(infer) + " (fp32"
                + (size != fileSize ? ", " + size + " px" : "") + ")";
    }

    private static String imagesPerSecond(Optional<ArchitectureSpeeds.Row> row) {
        return row.map(r -> String.format(Locale.ROOT, "%.1f img/s (PyTorch %.1f)", r.kodiak(), r.pytorch()))
                .orElse("not measured");
    }

    private static Map<String, Object> speedJson(Optional<ArchitectureSpeeds.Row> train,
            Optional<ArchitectureSpeeds.Row> infer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", "fp32");
        m.put("size", train.or(() -> infer).map(ArchitectureSpeeds.Row::size).orElse(null));
        m.put("train_step", train.map(r -> Map.of("kodiak", r.kodiak(), "pytorch", r.pytorch())).orElse(null));
        m.put("infer", infer.map(r -> Map.of("kodiak", r.kodiak(), "pytorch", r.pytorch())).orElse(null));
        return m;
    }

    private static Map<String, Object> sourceJson(ArchitectureSpeeds s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.file().toString());
        m.put("cpu", s.cpu());
        m.put("cores", s.cores());
        m.put("measured_at", s.measuredAt());
        m.put("load_average", s.loadAverage());
        m.put("bs", s.batchSize());
        m.put("size", s.size());
        m.put("peer", s.peer());
        return m;
    }

    private static String top1(double top1) {
        return Double.isNaN(top1) ? "?" : String.format(Locale.ROOT, "%.2f%%", top1);
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
