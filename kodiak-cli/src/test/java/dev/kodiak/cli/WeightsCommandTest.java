package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.testing.PythonTorch;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.models.Architectures;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WeightsCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run kodiak(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path cache() {
        return dir.resolve("cache");
    }

    private Path randomResnet18(int classes) {
        Engine.seed(4);
        Path file = dir.resolve("r18.safetensors");
        SafeTensors.write(file, ModuleState.of(Architectures.RESNET18.newClassifier(classes)));
        return file;
    }

    private Path image(int size, String name) throws Exception {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(9);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void listShowsEveryKnownWeightWithLicenceAndCheck() {
        Run r = kodiak("weights", "list", "--cache-dir", cache().toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("resnet18 ", "resnet34 ", "resnet50 ", "resnet18.a1_in1k", "resnet50.a1_in1k")
                .contains("BSD-3-Clause").contains("Apache-2.0").contains("46.8 MB")
                .contains("sha256 starts with b627a593").contains("unknown until first download")
                .contains("cache: " + cache()).contains("offline");
    }

    @Test
    void listShowsEachArchitecturesCountedParametersPublishedTopOneAndNoSpeedWhenNotMeasured() {
        Run r = kodiak("weights", "list", "--cache-dir", cache().toString(), "--bench", dir.resolve("none.json").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("resnet18         11,689,512 parameters   speed here: not measured")
                .contains("resnet50         25,557,032 parameters").contains("69.76%").contains("80.40%")
                .contains("224 (235, bicubic)").contains("speed: not measured on this installation");
    }

    @Test
    void listShowsTheSpeedMeasuredHereWithItsCpuInTextAndJson() throws Exception {
        Path results = dir.resolve("architectures.json");
        java.nio.file.Files.writeString(results, """
                {"benchmark": "architectures", "measured_at": "2026-12-07T04:40:00Z",
                 "cpu": {"model": "Test CPU 9000", "cores": 2, "flags": {"avx2": true}},
                 "load_average": {"before": "0.50 0.40 0.30 1/100 7", "after": "0.9 0.5 0.3 1/100 8"},
                 "threads": 2, "bs": 16, "size": 128, "peer": "pytorch 1.13.1",
                 "results": [{"arch": "resnet34", "benchmark": "train-step", "precision": "fp32", "kodiak": 12.5, "pytorch": 11.0},
                             {"arch": "resnet34", "benchmark": "infer", "precision": "fp32", "kodiak": 40.25, "pytorch": 38.0},
                             {"arch": "vit_b_16", "benchmark": "infer", "precision": "fp32", "size": 224, "kodiak": 1.9, "pytorch": 2.5}]}
                """);
        Run r = kodiak("weights", "list", "--cache-dir", cache().toString(), "--bench", results.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("resnet34         21,797,672 parameters   speed here: train 12.5 img/s (PyTorch 11.0), "
                        + "infer 40.3 img/s (PyTorch 38.0) (fp32)")
                .contains("resnet18         11,689,512 parameters   speed here: not measured")
                .contains("vit_b_16         86,567,656 parameters   speed here: train not measured, infer 1.9 img/s "
                        + "(PyTorch 2.5) (fp32, 224 px)")
                .contains("speed: measured on Test CPU 9000 (2 cores), bs 16, 128 px, fp32, 2026-12-07, load average 0.50");

        Run j = kodiak("weights", "list", "--json", "--cache-dir", cache().toString(), "--bench", results.toString());
        JsonNode root = new ObjectMapper().readTree(j.out());
        JsonNode r34 = root.path("architectures").get(1);
        assertThat(r34.path("name").asText()).isEqualTo("resnet34");
        assertThat(r34.path("parameters").asLong()).isEqualTo(21_797_672L);
        assertThat(r34.path("speed").path("infer").path("kodiak").asDouble()).isEqualTo(40.25);
        assertThat(r34.path("speed").path("size").asInt()).isEqualTo(128);
        assertThat(r34.path("weights").get(0).path("top1").asDouble()).isEqualTo(73.314);
        assertThat(r34.path("weights").get(1).path("interpolation").asText()).isEqualTo("bicubic");
        assertThat(root.path("architectures").get(0).path("speed").isNull()).isTrue();
        assertThat(root.path("speed_source").path("cpu").asText()).isEqualTo("Test CPU 9000");
    }

    @Test
    void importChecksTheArchitectureThenListShowsTheImportedFile() {
        Path file = randomResnet18(1000);
        Run bad = kodiak("weights", "import", file.toString(), "--arch", "resnet50", "--cache-dir", cache().toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("kodiak: the weights in " + file + " do not fit resnet50");

        Run ok = kodiak("weights", "import", file.toString(), "--arch", "resnet18", "--name", "mine",
                "--cache-dir", cache().toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("imported mine (resnet18");
        assertThat(kodiak("weights", "list", "--cache-dir", cache().toString()).out()).contains("mine")
                .contains("yes (imported)");
    }

    @Test
    void fetchOfflineSaysWhichUrlToFetchAndWhereToPutIt() {
        Run r = kodiak("weights", "fetch", "resnet50", "--cache-dir", cache().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("https://download.pytorch.org/models/resnet50-0676ba61.pth")
                .contains(cache().resolve("resnet50-0676ba61.pth").toString());
    }

    @Test
    void predictPrintsTopClassesAsTextAndJson() throws Exception {
        Path weights = randomResnet18(1000);
        Path img = image(64, "cat.png");
        Run text = kodiak("weights", "predict", "--arch", "resnet18", "--weights", weights.toString(), "--top", "3",
                img.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).startsWith(img.toString()).contains("  1. ").contains("  3. ").doesNotContain("  4. ");

        Run json = kodiak("weights", "predict", "--arch", "resnet18", "--weights", weights.toString(), "--json",
                img.toString(), img.toString());
        JsonNode results = new ObjectMapper().readTree(json.out()).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("file").asText()).isEqualTo(img.toString());
        assertThat(results.get(0).get("top")).hasSize(5);
        JsonNode best = results.get(0).get("top").get(0);
        assertThat(best.has("index") && best.has("label") && best.has("logit") && best.has("probability")).isTrue();

        Run wrongSize = kodiak("weights", "predict", "--arch", "resnet18", "--weights", weights.toString(),
                "--no-resize", img.toString());
        assertThat(wrongSize.err()).contains("is 64x64; with --no-resize it must already be 224x224");
    }

    private static final String SCRIPT = """
            import json, numpy as np, torch, torchvision
            from PIL import Image
            torch.manual_seed(1)
            m = torchvision.models.resnet18()
            m.train()
            with torch.no_grad():
                m(torch.randn(4, 3, 64, 64))
            m.eval()
            torch.save(m.state_dict(), 'r18.pth')
            rng = np.random.default_rng(5)
            pixels = rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8)
            Image.fromarray(pixels, 'RGB').save('img.png')
            x = torch.from_numpy(pixels).permute(2, 0, 1).float() / 255
            mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
            std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
            with torch.no_grad():
                y = m(((x - mean) / std).unsqueeze(0))[0]
            top = torch.topk(y, 5)
            json.dump({'index': top.indices.tolist(), 'logit': top.values.tolist()}, open('top.json', 'w'))
            """;

    @Test
    void predictWithNoResizeGivesPyTorchsLogits() throws Exception {
        assertPredictsAsPyTorch(SCRIPT, "--arch", "resnet18", "--weights", dir.resolve("r18.pth").toString(),
                "--no-resize");
    }

    private static final String B0_SCRIPT = """
            import json, numpy as np, torch, torchvision
            from PIL import Image
            torch.manual_seed(2)
            m = torchvision.models.efficientnet_b0()
            m.eval()
            torch.save(m.state_dict(), 'b0.pth')
            rng = np.random.default_rng(6)
            Image.fromarray(rng.integers(0, 256, size=(260, 300, 3), dtype=np.uint8), 'RGB').save('img.png')
            prepare = torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1.transforms()  # bicubic 256, crop 224
            with torch.no_grad():
                y = m(prepare(Image.open('img.png').convert('RGB')).unsqueeze(0))[0]
            top = torch.topk(y, 5)
            json.dump({'index': top.indices.tolist(), 'logit': top.values.tolist()}, open('top.json', 'w'))
            """;

    /** A bare torchvision file is resized as its architecture's publisher evaluates it: B0 bicubic, not bilinear. */
    @Test
    void predictOnAFileResizesAsTorchvisionsTransformsOfItsArchitecture() throws Exception {
        assertPredictsAsPyTorch(B0_SCRIPT, "--arch", "efficientnet_b0", "--weights", dir.resolve("b0.pth").toString());
    }

    // `weights predict OPTIONS --json img.png` after the script wrote the weights, img.png and PyTorch's top.json:
    // the five best classes and their logits as top.json has them (1e-4)
    private void assertPredictsAsPyTorch(String script, String... options) throws Exception {
        PythonTorch.assumeAvailable();
        PythonTorch.run(dir, script);
        List<String> args = new ArrayList<>(List.of("weights", "predict"));
        args.addAll(List.of(options));
        args.addAll(List.of("--json", dir.resolve("img.png").toString()));
        Run r = kodiak(args.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode top = new ObjectMapper().readTree(r.out()).get("results").get(0).get("top");
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("top.json").toFile());
        for (int i = 0; i < 5; i++) {
            assertThat(top.get(i).get("index").asInt()).isEqualTo(expected.get("index").get(i).asInt());
            assertThat(top.get(i).get("logit").asDouble())
                    .isCloseTo(expected.get("logit").get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }
}
