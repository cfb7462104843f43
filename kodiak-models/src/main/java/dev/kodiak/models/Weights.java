package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.PthReader;
import dev.kodiak.io.ReadLimits;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finding, reading and importing pretrained weights. Resolution order for a {@code --weights} value: an existing
 * file → a known name in the cache → a download (unless offline) → a name imported into the cache.
 */
public final class Weights {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private Weights() {
    }

    /** Resolves {@code fileOrName} with the default downloader. */
    public static ResolvedWeights resolve(String fileOrName, WeightsConfig config) {
        return resolve(fileOrName, config, new WeightsDownloader());
    }

    /**
     * Resolves {@code fileOrName} for {@code architecture}: a bare file is taken to be weights of that architecture and
     * prepared as its default registry weights are (a torchvision EfficientNet-B3 file at 300 px, bicubic); weights
     * known to be for another architecture are refused with the {@code --arch} to use.
     */
    public static ResolvedWeights resolve(String fileOrName, Architecture architecture, WeightsConfig config) {
        return resolve(fileOrName, Optional.of(architecture), config, new WeightsDownloader()).requireFor(architecture);
    }

    /**
     * Resolves {@code fileOrName}: a Hugging Face timm name ({@code hf:timm/NAME}, see {@link HubWeights}), a file
     * path, a registry name (cache, then download) or an imported name.
     */
    public static ResolvedWeights resolve(String fileOrName, WeightsConfig config, WeightsDownloader downloader) {
        return resolve(fileOrName, Optional.empty(), config, downloader);
    }

    // architecture: what a bare file is for, when the caller knows it
    static ResolvedWeights resolve(String fileOrName, Optional<Architecture> architecture, WeightsConfig config,
            WeightsDownloader downloader) {
        if (HubWeights.isHubName(fileOrName)) {
            return HubWeights.resolve(fileOrName, config, downloader);
        }
        Path asFile = Path.of(fileOrName);
        if (Files.isRegularFile(asFile)) {
            return ResolvedWeights.assumed(asFile, asFile.getFileName().toString(), architecture);
        }
        Optional<PretrainedWeights> known = WeightsRegistry.find(fileOrName);
        if (known.isPresent()) {
            return ResolvedWeights.of(downloader.fetch(known.get(), config), known.get());
        }
        Optional<CachedWeights> imported = new WeightsCache(config.cacheDir()).entry(fileOrName);
        if (imported.isPresent()) {
            CachedWeights e = imported.get();
            return ResolvedWeights.assumed(config.cacheDir().resolve(e.file()), e.name(),
                    Optional.of(Architectures.byName(e.architecture())));
        }
        if (fileOrName.contains("/") || fileOrName.endsWith(".pth") || fileOrName.endsWith(".safetensors")) {
            throw new KodiakException("no weights file " + asFile.toAbsolutePath());
        }
        throw new KodiakException("no file or known weights called '" + fileOrName + "'; known: "
                + String.join(", ", WeightsRegistry.all().stream().map(PretrainedWeights::name).toList())
                + " (see `kodiak weights list`)");
    }

    /** Reads a torchvision {@code .pth} (restricted, no code runs) or a safetensors file, by its content. */
    public static StateDict read(Path file) {
        return read(file, ReadLimits.DEFAULT);
    }

    /**
     * Reads a classifier's weights for {@code architecture}: what the file declares must fit it (the body's tensors
     * their shapes, {@code fc} at most {@link VisionModel#MAX_CLASSES} classes) before any tensor data is read.
     */
    public static StateDict read(Path file, Architecture architecture) {
        Backbone body = architecture.newBody(3); // only to measure its tensors: costs a few random draws
        try {
            return read(file, classifierLimits(ModuleState.limits(body, "a " + architecture.name()), architecture));
        } finally {
            body.release();
        }
    }

    /** Reads a {@code .pth} or safetensors file, refused before any tensor data is read unless it fits {@code limits}. */
    public static StateDict read(Path file, ReadLimits limits) {
        if (!Files.isRegularFile(file)) {
            throw new KodiakException("no weights file " + file.toAbsolutePath());
        }
        String n = file.getFileName().toString();
        // .pth names go to the .pth reader even when not zips: it explains legacy files
        return isZip(file) || n.endsWith(".pth") || n.endsWith(".pt") ? PthReader.read(file, limits)
                : SafeTensors.read(file, limits);
    }

    /**
     * What a classifier file for {@code architecture} may hold, given the limits of its {@code body}: twice the
     * body's bytes (F64 files convert on load), room for extra tensors (their names and shapes are checked after
     * reading, where every mismatch is listed at once), and an {@code fc} of at most {@link VisionModel#MAX_CLASSES}
     * classes: a matrix without an empty dimension (a [2e9, 0] one holds no byte yet would build terabytes).
     */
    static ReadLimits classifierLimits(ReadLimits body, Architecture architecture) {
        long nf = architecture.bodyFeatures();
        long fc = Math.multiplyExact((long) VisionModel.MAX_CLASSES, (nf + 1) * Double.BYTES);
        return new ReadLimits(Math.multiplyExact(body.maxBytes(), 2), 4 * body.maxTensors(), body.what(), Map.of(),
                false).plus(fc, Map.of(architecture.classifierLayer() + ".weight", new long[] {ReadLimits.ANY, ReadLimits.ANY},
                        architecture.classifierLayer() + ".bias", new long[] {ReadLimits.ANY}),
                        "a " + architecture.name() + " classifier of at most " + VisionModel.MAX_CLASSES + " classes");
    }

    /** Builds {@code architecture} with as many classes as the file's {@code fc} has and loads the file into it. */
    public static Backbone loadClassifier(Architecture architecture, Path file) {
        StateDict dict = read(file, architecture);
        Backbone net = architecture.newClassifier(classesOf(dict, file, architecture));
        net.load(dict, file.toString());
        return net;
    }

    /**
     * Copies {@code file} into the cache after checking it fits {@code architecture}. A file that is one of the
     * registry's weights (its hash matches) is entered under that name; otherwise under {@code name} (default: the
     * file's name without extension). Returns the index entry.
     */
    public static CachedWeights importFile(Path file, Architecture architecture, String name, WeightsConfig config) {
        StateDict dict = read(file, architecture);
        List<String> problems = ModuleState.problems(architecture.newClassifier(classesOf(dict, file, architecture)),
                dict);
        if (!problems.isEmpty()) {
            throw new KodiakException("the weights in " + file + " do not fit " + architecture + ": "
                    + String.join("; ", problems) + ". Check --arch.");
        }
        String sha = WeightsCache.sha256(file);
        Optional<PretrainedWeights> known = WeightsRegistry.all().stream()
                .filter(w -> w.architecture().equals(architecture) && !w.sha256().isEmpty() && w.matches(sha))
                .findFirst();
        String stem = file.getFileName().toString().replaceFirst("\\.(pth|pt|safetensors)$", "");
        String entryName = known.map(PretrainedWeights::name).orElse(name == null ? stem : name);
        if (!NAME.matcher(entryName).matches() || entryName.equals("index")) {
            throw new KodiakException("'" + entryName + "' cannot name weights: use letters, digits, '.', '_' or '-'");
        }
        String ext = file.getFileName().toString().endsWith(".safetensors") || !isZip(file) ? ".safetensors" : ".pth";
        String fileName = known.map(PretrainedWeights::fileName).orElse(entryName + ext);
        WeightsCache cache = new WeightsCache(config.cacheDir());
        Path target = cache.dir().resolve(fileName);
        long size;
        try {
            Files.createDirectories(cache.dir());
            Path tmp = Files.createTempFile(cache.dir(), "." + fileName, ".tmp");
            try {
                Files.copy(file, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.move(tmp, target);
                size = Files.size(target);
            } finally {
                AtomicFiles.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new KodiakException("cannot copy " + file + " into the cache " + cache.dir() + ": " + e.getMessage(), e);
        }
        CachedWeights entry = new CachedWeights(entryName, fileName, sha, size,
                "imported from " + file.toAbsolutePath(), architecture.name(), Instant.now().toString());
        cache.record(entry);
        return entry;
    }

    /** The number of classes of a classifier's state dict: the rows of its last linear layer ({@code fc.weight}). */
    static int classesOf(StateDict dict, Path file, Architecture architecture) {
        String layer = architecture.classifierLayer() + ".weight";
        TensorData fc = dict.get(layer);
        if (fc == null || fc.shape().length != 2) {
            throw new KodiakException("the weights in " + file + " have no classifier (" + layer + "); Kodiak expects a "
                    + "torchvision or timm " + architecture + " state dict");
        }
        if (fc.shape()[0] < 1 || fc.shape()[0] > VisionModel.MAX_CLASSES) { // checked before any layer is built
            throw new KodiakException("the weights in " + file + " have a classifier (" + layer + ") of "
                    + fc.shape()[0] + " classes; Kodiak builds between 1 and " + VisionModel.MAX_CLASSES);
        }
        return (int) fc.shape()[0];
    }


    private static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 'P' && head[1] == 'K';
        } catch (IOException e) {
            return false;
        }
    }
}
