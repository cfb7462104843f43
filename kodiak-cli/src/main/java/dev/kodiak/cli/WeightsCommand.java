package dev.kodiak.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.CachedWeights;
import dev.kodiak.models.HubWeights;
import dev.kodiak.vision.imagenet.ClassScore;
import dev.kodiak.vision.imagenet.ImageNetClassifier;
import dev.kodiak.models.PretrainedWeights;
import dev.kodiak.models.ResolvedWeights;
import dev.kodiak.models.Weights;
import dev.kodiak.models.WeightsConfig;
import dev.kodiak.models.WeightsDownloader;
import dev.kodiak.models.WeightsRegistry;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak weights ...}: list, fetch, import and try out pretrained ImageNet weights. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Pretrained ImageNet weights: list what is known and cached, fetch, import, predict.",
        subcommands = {WeightsList.class, WeightsCommand.Fetch.class, WeightsCommand.Import.class,
                WeightsCommand.Predict.class})
final class WeightsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cache-dir", scope = CommandLine.ScopeType.INHERIT,
            description = "Weights cache directory (default: $KODIAK_CACHE/weights or ~/.cache/kodiak/weights).")
    Path cacheDir;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a weights verb: list, fetch, import or predict");
    }

    WeightsConfig config() {
        WeightsConfig env = WeightsConfig.fromEnvironment();
        return cacheDir == null ? env : new WeightsConfig(cacheDir, env.offline(), env.mirrorUrl(), env.hubEndpoint());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, description = "Download weights into the cache.")
    static final class Fetch implements Runnable {
        @CommandLine.ParentCommand
        WeightsCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME",
                description = "Weights name, see `kodiak weights list`, or hf:timm/NAME from the Hugging Face hub.")
        String name;
        @Option(names = "--url", description = "A mirror: a base URL serving the cache file names, or the file's URL.")
        String url;

        @Override
        public void run() {
            if (HubWeights.isHubName(name)) { // config, weights and their torchvision-layout copy, into the cache
                ResolvedWeights hub = Weights.resolve(name, parent.config());
                spec.commandLine().getOut().println(hub.name() + " (" + hub.architecture().map(Architecture::name)
                        .orElse("?") + ", input " + hub.inputSize() + " px, " + hub.interpolation() + "): " + hub.file());
                spec.commandLine().getOut().flush();
                return;
            }
            PretrainedWeights w = WeightsRegistry.byName(name);
            WeightsConfig config = parent.config();
            if (url != null) {
                // a full file URL is used as the mirror's directory plus the expected file name
                String base = url.endsWith("/" + w.fileName()) ? url.substring(0, url.length() - w.fileName().length()) : url;
                config = config.withMirror(base);
            }
            Path file = new WeightsDownloader().fetch(w, config);
            spec.commandLine().getOut().println(w.name() + ": " + file);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copy a .pth or .safetensors file into the cache after checking it fits the architecture.")
    static final class Import implements Runnable {
        @CommandLine.ParentCommand
        WeightsCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--arch", required = true, description = "Architecture: " + ModelOptions.ARCH_NAMES + ".")
        String arch;
        @Option(names = "--name", description = "Name to find it by (default: the file name without extension).")
        String name;

        @Override
        public void run() {
            CachedWeights e = Weights.importFile(file, Architectures.byName(arch), name, parent.config());
            spec.commandLine().getOut().println("imported " + e.name() + " (" + e.architecture() + ", sha256 " + e.sha256()
                    + ") as " + parent.config().cacheDir().resolve(e.file()));
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify images with a 1000-class ImageNet model: top classes with logits and probabilities.")
    static final class Predict implements Runnable {
        @CommandLine.ParentCommand
        WeightsCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--arch", required = true, description = "Architecture: " + ModelOptions.ARCH_NAMES + ".")
        String arch;
        @Option(names = "--weights", paramLabel = "FILE|NAME",
                description = "Weights file or name (default: torchvision's weights for --arch).")
        String weights;
        @Option(names = "--top", defaultValue = "5", description = "How many classes to show (default ${DEFAULT-VALUE}).")
        int top;
        @Option(names = "--no-resize", description = "Only normalise: the image must already be the input size.")
        boolean noResize;
        @Mixin
        JsonOption json;
        @Parameters(index = "0..*", arity = "1..*", paramLabel = "IMAGE")
        List<Path> images;

        @Override
        public void run() {
            Architecture architecture = Architectures.byName(arch);
            String spec0 = weights != null ? weights : WeightsRegistry.defaultFor(architecture).name();
            ResolvedWeights resolved = Weights.resolve(spec0, architecture, parent.config());
            ImageNetClassifier classifier = ImageNetClassifier.load(architecture, resolved);
            List<Result> results = new ArrayList<>();
            for (Path image : images) {
                results.add(new Result(image, classifier.predict(read(image), !noResize, top, image.toString())));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json.on) {
                out.println(toJson(results));
            } else {
                for (Result r : results) {
                    out.println(r.file());
                    int rank = 1;
                    for (ClassScore s : r.top()) {
                        out.printf(Locale.ROOT, "  %d. %-4d %-30s logit %9.4f  probability %.4f%n", rank++, s.index(),
                                s.label(), s.logit(), s.probability());
                    }
                }
            }
            out.flush();
        }

        private static RgbImage read(Path image) {
            return ImageDecoder.standard().decode(image);
        }

        private static String toJson(List<Result> results) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            ArrayNode list = root.putArray("results");
            for (Result r : results) {
                ObjectNode item = list.addObject();
                item.put("file", r.file().toString());
                ArrayNode top = item.putArray("top");
                for (ClassScore s : r.top()) {
                    top.addObject().put("index", s.index()).put("label", s.label()).put("logit", s.logit())
                            .put("probability", s.probability());
                }
            }
            return root.toString();
        }

        private record Result(Path file, List<ClassScore> top) {
        }
    }
}
