package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hf:timm/NAME} against a server on 127.0.0.1 that the test starts, laid out as the Hugging Face hub's
 * {@code /timm/NAME/resolve/main/{config.json, model.safetensors}}, with files the test writes under timm's names.
 */
class HubWeightsTest {
    private static final String REPO = "/timm/resnet18.a1_in1k/resolve/main/";
    private static final String CONFIG = """
            {"architecture": "resnet18", "num_classes": 5, "num_features": 512,
             "pretrained_cfg": {"tag": "a1_in1k", "input_size": [3, 224, 224], "test_input_size": [3, 288, 288],
               "interpolation": "bicubic", "crop_pct": 0.95, "crop_mode": "center",
               "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3], "num_classes": 5, "license": "apache-2.0"}}
            """;

    @TempDir
    Path cacheDir;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private StateDict written;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        Backbone net = Architectures.RESNET18.newClassifier(5);
        written = ModuleState.of(net); // timm's ResNet names are torchvision's
        net.release();
        files.put(REPO + "config.json", CONFIG.getBytes(StandardCharsets.UTF_8));
        files.put(REPO + "model.safetensors", safetensors(written));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI().getPath());
        byte[] body = files.get(ex.getRequestURI().getPath());
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private WeightsConfig config(boolean offline) {
        return new WeightsConfig(cacheDir, offline, null, "http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private String url(String file) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + REPO + file;
    }

    private ResolvedWeights resolve(String spec) {
        return Weights.resolve(spec, config(false), new WeightsDownloader(java.net.http.HttpClient.newHttpClient(),
                task -> DownloadProgress.none()));
    }

    @Test
    void configAndWeightsComeFromTheHubLayoutWithTheConfigsPreprocessing() {
        ResolvedWeights r = resolve("hf:timm/resnet18.a1_in1k");

        assertThat(requests).containsExactly(REPO + "config.json", REPO + "model.safetensors");
        assertThat(r.name()).isEqualTo("hf:timm/resnet18.a1_in1k");
        assertThat(r.architecture()).contains(Architectures.RESNET18);
        assertThat(r.inputSize()).isEqualTo(224);
        assertThat(r.resizeSize()).isEqualTo(235); // floor(224 / 0.95), as timm resizes
        assertThat(r.interpolation()).isEqualTo("bicubic");
        assertThat(r.mean()).containsExactly(0.5, 0.4, 0.3);
        assertThat(r.std()).containsExactly(0.2, 0.25, 0.3);

        Backbone net = Weights.loadClassifier(Architectures.RESNET18, r.file()); // the file's 5 classes
        StateDict loaded = ModuleState.of(net);
        net.release();
        for (TensorData t : written.tensors()) {
            assertThat(loaded.get(t.name()).data()).as(t.name()).isEqualTo(t.data());
        }
        VisionModel model = VisionModel.create(Architectures.RESNET18, 2); // what fine-tuning loads
        model.loadPretrainedBody(Weights.read(r.file(), model.pretrainedLimits()), r.file().toString());
        model.release();

        // cached: offline, no request
        requests.clear();
        ResolvedWeights again = Weights.resolve("hf:timm/resnet18.a1_in1k", config(true));
        assertThat(requests).isEmpty();
        assertThat(again).isEqualTo(r);
    }

    @Test
    void convnextTinyUnderTimmsNamesGivesTheLogitsOfTheNetworkItCameFrom() {
        assertTimmFileRoundTrips(Architectures.CONVNEXT_TINY, "convnext_tiny.fb_in22k_ft_in1k", TimmLayout.CONVNEXT,
                TimmLayoutTest.convnextNames(List.of(3, 3, 9, 3)));
    }

    @Test
    void efficientnetB0UnderTimmsNamesGivesTheLogitsOfTheNetworkItCameFrom() {
        assertTimmFileRoundTrips(Architectures.EFFICIENTNET_B0, "efficientnet_b0.ra_in1k", TimmLayout.EFFICIENTNET,
                TimmLayoutTest.efficientnetNames(List.of(1, 2, 2, 3, 3, 4, 1)));
    }

    /**
     * A network of random weights written the way timm's hub repository holds it (timm's names, timm's shapes: the
     * layer scale as a vector), fetched as {@code hf:timm/NAME}, loaded into Kodiak's network: the same logits.
     */
    private void assertTimmFileRoundTrips(Architecture arch, String name, TimmLayout layout, List<String> timmNames) {
        Engine.seed(19);
        Backbone source = arch.newClassifier(5);
        StateDict torchvision = ModuleState.of(source);
        List<TensorData> timm = new ArrayList<>();
        for (String n : timmNames) {
            TensorData t = torchvision.get(layout.torchvisionName(n).orElseThrow());
            boolean vector = n.endsWith(".gamma"); // torchvision's [C, 1, 1]
            timm.add(new TensorData(n, t.dtype(), vector ? new long[] {t.shape()[0]} : t.shape(), t.data()));
        }
        String repo = "/timm/" + name + "/resolve/main/";
        files.put(repo + "config.json", ("{\"architecture\": \"" + arch.name() + "\", \"num_classes\": 5, "
                + "\"pretrained_cfg\": {\"input_size\": [3, 224, 224], \"crop_pct\": 0.875, \"interpolation\": "
                + "\"bicubic\", \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]}}")
                .getBytes(StandardCharsets.UTF_8));
        files.put(repo + "model.safetensors", safetensors(StateDict.of(timm)));

        ResolvedWeights r = resolve("hf:timm/" + name);
        assertThat(r.architecture()).contains(arch);
        assertThat(r.resizeSize()).isEqualTo(256); // floor(224 / 0.875)
        Backbone loaded = Weights.loadClassifier(arch, r.file());
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            source.eval();
            loaded.eval();
            Tensor x = Tensor.of(random(2 * 3 * 64 * 64), 2, 3, 64, 64);
            float[] expected = source.forward(x).toFloatArray();
            assertThat(expected).hasSize(10).doesNotContain(Float.NaN);
            assertThat(loaded.forward(x).toFloatArray()).containsExactly(expected);
        } finally {
            source.release();
            loaded.release();
        }
    }

    private static float[] random(int n) {
        java.util.Random rng = new java.util.Random(7);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    @Test
    void olderConfigsKeepThePreprocessingAtTheTopLevel() {
        files.put(REPO + "config.json", """
                {"architecture": "resnet18", "num_classes": 5, "input_size": [3, 256, 256], "crop_pct": 1.0,
                 "interpolation": "bilinear", "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
                """.getBytes(StandardCharsets.UTF_8));
        ResolvedWeights r = resolve("hf:timm/resnet18.a1_in1k");
        assertThat(r.inputSize()).isEqualTo(256);
        assertThat(r.resizeSize()).isEqualTo(256);
        assertThat(r.interpolation()).isEqualTo("bilinear");
    }

    @Test
    void anUnknownRepositoryNamesTheUrlAndTheStatus() {
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.nothing_here")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("/timm/resnet18.nothing_here/resolve/main/config.json")
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void aMissingWeightsFileNamesItsUrl() {
        files.remove(REPO + "model.safetensors");
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).isInstanceOf(KodiakException.class)
                .hasMessageContaining(url("model.safetensors")).hasMessageContaining("HTTP 404");
    }

    @Test
    void aMissingConfigNamesItsUrl() {
        files.remove(REPO + "config.json");
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).isInstanceOf(KodiakException.class)
                .hasMessageContaining(url("config.json")).hasMessageContaining("HTTP 404");
        assertThat(requests).containsExactly(REPO + "config.json"); // nothing large fetched for nothing
    }

    @Test
    void aConfigOfAbsurdSizesIsRefusedWithItsUrl() {
        files.put(REPO + "config.json", CONFIG.replace("[3, 224, 224], \"test", "[3, 100000, 100000], \"test")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("the timm config " + url("config.json"))
                .hasMessageContaining("input size of 100000 px");
        files.put(REPO + "config.json", CONFIG.replace("\"crop_pct\": 0.95", "\"crop_pct\": 0")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).hasMessageContaining("crop_pct of 0.0");
        files.put(REPO + "config.json", CONFIG.replace("\"num_classes\": 5, \"num_features\"",
                "\"num_classes\": 2000000000, \"num_features\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).hasMessageContaining("2000000000 classes");
        assertThat(cacheDir.resolve("hf-timm--resnet18.a1_in1k.config.json")).doesNotExist(); // never kept
    }

    @Test
    void weightsWhoseNamesAreNotTheArchitecturesAreRefusedWithTheirUrl() {
        List<TensorData> tensors = new ArrayList<>(written.tensors());
        tensors.add(TensorData.ofFloats("layer1.0.se.fc1.weight", new float[4], 2, 2, 1, 1)); // an SE-ResNet's
        files.put(REPO + "model.safetensors", safetensors(StateDict.of(tensors)));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).isInstanceOf(KodiakException.class)
                .hasMessageContaining(url("model.safetensors")).hasMessageContaining("layer1.0.se.fc1.weight")
                .hasMessageContaining("does not have");
    }

    @Test
    void weightsOfTheWrongShapesAreRefusedWithTheirUrl() {
        List<TensorData> tensors = new ArrayList<>();
        for (TensorData t : written.tensors()) {
            tensors.add(t.name().equals("conv1.weight") ? TensorData.ofFloats(t.name(), new float[64 * 3 * 3 * 3],
                    64, 3, 3, 3) : t);
        }
        files.put(REPO + "model.safetensors", safetensors(StateDict.of(tensors)));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).isInstanceOf(KodiakException.class)
                .hasMessageContaining(url("model.safetensors")).hasMessageContaining("do not fit Kodiak's resnet18")
                .hasMessageContaining("conv1.weight (file [64, 3, 3, 3], model [64, 3, 7, 7])");
    }

    @Test
    void architecturesKodiakDoesNotBuildAreRefusedClearly() {
        files.put(REPO + "config.json", CONFIG.replace("\"resnet18\"", "\"resnet101\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("hf:timm/resnet18.a1_in1k are for timm's 'resnet101', which Kodiak does not build");
        files.put(REPO + "config.json", CONFIG.replace("\"resnet18\"", "\"tf_efficientnet_b0\"")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> resolve("hf:timm/resnet18.a1_in1k")).hasMessageContaining("TensorFlow port");
        assertThat(requests).doesNotContain(REPO + "model.safetensors"); // refused before the large download
    }

    @Test
    void onlyTimmNamesAreAccepted() {
        assertThatThrownBy(() -> resolve("hf:someone/resnet18")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("write hf:timm/NAME");
        assertThatThrownBy(() -> resolve("hf:timm/../secrets")).hasMessageContaining("write hf:timm/NAME");
        assertThat(requests).isEmpty();
    }

    private static byte[] safetensors(StateDict dict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SafeTensors.write(out, dict);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
