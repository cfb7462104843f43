package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.io.ReadLimits;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weights from the Hugging Face hub in timm's layout, named {@code hf:timm/NAME} (e.g.
 * {@code hf:timm/convnext_tiny.fb_in22k_ft_in1k}): {@code config.json} and {@code model.safetensors} from
 * {@code {endpoint}/timm/NAME/resolve/main/}, downloaded into the weights cache (resumable, the hash pinned at the
 * first download), the preprocessing taken from the config, and timm's parameter names mapped onto Kodiak's
 * torchvision-layout modules ({@link TimmLayout}). The renamed copy is what Kodiak loads: {@code
 * hf-timm--NAME.torchvision.safetensors} in the cache, made once from the checked download.
 */
public final class HubWeights {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** How {@code --weights} names hub weights. */
    public static final String PREFIX = "hf:";
    private static final Pattern SPEC = Pattern.compile("hf:timm/([A-Za-z0-9][A-Za-z0-9._-]{0,99})");
    private static final int MAX_CONFIG_BYTES = 1 << 20;

    private HubWeights() {
    }

    /** Whether {@code spec} names hub weights ({@code hf:...}). */
    public static boolean isHubName(String spec) {
        return spec != null && spec.startsWith(PREFIX);
    }

    /** Resolves {@code hf:timm/NAME}: config and weights from the cache, else downloaded (unless offline). */
    public static ResolvedWeights resolve(String spec, WeightsConfig config, WeightsDownloader downloader) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches() || m.group(1).contains("..")) {
            throw new KodiakException("'" + spec + "' is not a Hugging Face timm name; write hf:timm/NAME, e.g. "
                    + "hf:timm/convnext_tiny.fb_in22k_ft_in1k or hf:timm/resnet50.a1_in1k");
        }
        String name = m.group(1);
        String base = config.hubEndpoint() + "/timm/" + name + "/resolve/main/";
        String stem = "hf-timm--" + name;
        String configUrl = base + "config.json";
        Path cachedConfig = config.cacheDir().resolve(stem + ".config.json");
        boolean wasCached = Files.isRegularFile(cachedConfig);
        byte[] json = wasCached ? read(cachedConfig) : download(configUrl, cachedConfig, config, downloader);
        TimmConfig timm = TimmConfig.parse(json, wasCached ? cachedConfig + " (from " + configUrl + ")" : configUrl);
        TimmLayout layout = TimmLayout.of(timm.architecture());
        Architecture architecture = architecture(timm.architecture(), spec);
        if (!wasCached) {
            keep(json, cachedConfig); // only a config Kodiak can use: a refused one is asked for again next time
        }
        String licence = timm.licence().isEmpty() ? "see the model card " + config.hubEndpoint() + "/timm/" + name
                : timm.licence() + " (timm model card)";
        PretrainedWeights weights = new PretrainedWeights(spec, architecture, base + "model.safetensors",
                stem + ".safetensors", "", -1, timm.mean(), timm.std(), timm.resizeSize(), timm.inputSize(),
                timm.classes(), licence, "timm " + name + " from the Hugging Face hub", timm.interpolation(), Double.NaN);
        // the hub's own addresses: KODIAK_WEIGHTS_URL mirrors the registry's files, KODIAK_HF_ENDPOINT the hub
        Path downloaded = downloader.fetch(weights, config.withMirror(null));
        Path renamed = config.cacheDir().resolve(stem + ".torchvision.safetensors");
        if (!isNewer(renamed, downloaded)) {
            SafeTensors.write(renamed, toTorchvision(downloaded, weights.url(), layout, architecture)); // atomic
        }
        return new ResolvedWeights(renamed, spec, Optional.of(architecture), timm.mean(), timm.std(),
                timm.resizeSize(), timm.inputSize(), timm.interpolation());
    }

    /**
     * timm's state dict in {@code file} (downloaded from {@code url}) renamed and reshaped into torchvision's layout
     * of {@code architecture}, after checking every tensor finds its place and fits: an error lists what does not.
     */
    static StateDict toTorchvision(Path file, String url, TimmLayout layout, Architecture architecture) {
        Backbone body = architecture.newBody(3);
        ReadLimits limits;
        try {
            // timm's names are not torchvision's: bound the bytes and count here, check names and shapes below
            ReadLimits exact = Weights.classifierLimits(ModuleState.limits(body, "a " + architecture.name()), architecture);
            limits = new ReadLimits(exact.maxBytes(), exact.maxTensors(), exact.what(), Map.of(), false);
        } finally {
            body.release();
        }
        String where = url + " (cached as " + file + ")";
        StateDict timm;
        try {
            timm = SafeTensors.read(file, limits);
        } catch (KodiakException e) {
            throw new KodiakException("cannot read the timm weights " + where + ": " + e.getMessage(), e);
        }
        List<TensorData> renamed = new ArrayList<>();
        List<String> unplaced = new ArrayList<>();
        for (TensorData t : timm.tensors()) {
            Optional<String> to = layout.torchvisionName(t.name());
            if (to.isEmpty()) {
                unplaced.add(t.name());
            } else {
                renamed.add(new TensorData(to.get(), t.dtype(), layout.torchvisionShape(to.get(), t.shape()), t.data()));
            }
        }
        if (!unplaced.isEmpty()) {
            throw new KodiakException("the timm weights " + where + " hold " + unplaced.size() + " tensors that a timm "
                    + architecture + " does not have: " + String.join(", ", unplaced.subList(0, Math.min(10,
                    unplaced.size()))) + (unplaced.size() > 10 ? ", ..." : "") + ". Is its config.json's architecture right?");
        }
        StateDict dict = StateDict.of(renamed, timm.metadata());
        Backbone net = architecture.newClassifier(Weights.classesOf(dict, file, architecture));
        try {
            List<String> problems = ModuleState.problems(net, dict);
            if (!problems.isEmpty()) {
                throw new KodiakException("the timm weights " + where + " do not fit Kodiak's " + architecture + ": "
                        + String.join("; ", problems) + " (names after mapping timm's to torchvision's; delete " + file
                        + " to download it again)");
            }
        } finally {
            net.release();
        }
        return dict;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KodiakException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] download(String url, Path cached, WeightsConfig config, WeightsDownloader downloader) {
        if (config.offline()) {
            throw new KodiakException("the timm config " + url + " is not in the cache " + config.cacheDir()
                    + " and downloads are off (KODIAK_OFFLINE=1). Fetch it on a machine with network access and put it"
                    + " at " + cached + ", with the model.safetensors beside it as " + cached.getFileName().toString()
                    .replace(".config.json", ".safetensors"));
        }
        return downloader.fetchSmall(url, MAX_CONFIG_BYTES);
    }

    private static void keep(byte[] json, Path cached) {
        try {
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), "." + cached.getFileName(), ".tmp");
            try {
                Files.write(tmp, json);
                AtomicFiles.move(tmp, cached);
            } finally {
                AtomicFiles.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new KodiakException("cannot write " + cached + ": " + e.getMessage(), e);
        }
    }

    private static Architecture architecture(String timmArchitecture, String spec) {
        try {
            return Architectures.byName(timmArchitecture);
        } catch (KodiakException e) {
            throw new KodiakException("the weights " + spec + " are for timm's '" + timmArchitecture + "', which Kodiak"
                    + " does not build: " + e.getMessage(), e);
        }
    }

    private static boolean isNewer(Path file, Path than) {
        try {
            return Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
