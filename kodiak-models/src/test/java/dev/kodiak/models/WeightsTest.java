package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
    @TempDir
    Path dir;

    private WeightsConfig offline() {
        return new WeightsConfig(dir.resolve("cache"), true, null);
    }

    private Path resnet18File(int classes) {
        Engine.seed(11);
        Path file = dir.resolve("my-r18.safetensors");
        SafeTensors.write(file, ModuleState.of(Architectures.RESNET18.newClassifier(classes)));
        return file;
    }

    @Test
    void anExplicitFileIsUsedAsItIsWithImagenetPreprocessing() {
        Path file = resnet18File(1000);
        ResolvedWeights r = Weights.resolve(file.toString(), offline());
        assertThat(r.file()).isEqualTo(file);
        assertThat(r.architecture()).isEmpty();
        assertThat(r.inputSize()).isEqualTo(224);
        assertThat(r.mean()).containsExactly(0.485, 0.456, 0.406);
    }

    @Test
    void aFileForAKnownArchitectureIsPreparedAsThatArchitecturesPublishedWeights() {
        Path file = resnet18File(1000); // resolving reads no tensor: any file stands for a hand-downloaded B3
        ResolvedWeights r = Weights.resolve(file.toString(), Architectures.EFFICIENTNET_B3, offline());
        assertThat(r.architecture()).contains(Architectures.EFFICIENTNET_B3);
        assertThat(List.of(r.resizeSize(), r.inputSize())).containsExactly(320, 300);
        assertThat(r.interpolation()).isEqualTo("bicubic");
        ResolvedWeights vit = Weights.resolve(file.toString(), Architectures.VIT_B_16, offline());
        assertThat(List.of(vit.resizeSize(), vit.inputSize(), vit.interpolation())).containsExactly(256, 224, "bilinear");
    }

    @Test
    void aKnownNameOfflineWithoutCacheExplainsWhereToGetIt() {
        assertThatThrownBy(() -> Weights.resolve("resnet34", offline())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("https://download.pytorch.org/models/resnet34-b627a593.pth")
                .hasMessageContaining(dir.resolve("cache").resolve("resnet34-b627a593.pth").toString());
    }

    @Test
    void importedWeightsAreCheckedCopiedAndFoundByName() {
        Path file = resnet18File(10);
        CachedWeights e = Weights.importFile(file, Architectures.RESNET18, "bears-r18", offline());
        assertThat(e.name()).isEqualTo("bears-r18");
        assertThat(e.file()).isEqualTo("bears-r18.safetensors");
        assertThat(e.sha256()).isEqualTo(WeightsCache.sha256(file));
        assertThat(dir.resolve("cache/bears-r18.safetensors")).hasSameBinaryContentAs(file);

        ResolvedWeights r = Weights.resolve("bears-r18", offline());
        assertThat(r.architecture()).contains(Architectures.RESNET18);
        Backbone net = Weights.loadClassifier(Architectures.RESNET18, r.file());
        assertThat(net.classes()).isEqualTo(10);
        assertThat(ModuleState.of(net)).isEqualTo(SafeTensors.read(file));
    }

    @Test
    void importRefusesWeightsOfAnotherArchitectureNamingTheMismatches() {
        Path file = resnet18File(1000);
        assertThatThrownBy(() -> Weights.importFile(file, Architectures.RESNET50, null, offline()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("do not fit resnet50")
                .hasMessageContaining("layer1.0.conv3.weight").hasMessageContaining("Check --arch");
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void aFilePutIntoTheCacheByHandIsVerifiedAgainstTheRegistry() throws Exception {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("resnet34-b627a593.pth"), "not the real weights");
        assertThatThrownBy(() -> Weights.resolve("resnet34", offline())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("does not hold the weights resnet34")
                .hasMessageContaining("expected one starting with b627a593");
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> Weights.resolve("resnet99", offline())).hasMessageContaining("resnet50.a1_in1k");
        assertThatThrownBy(() -> Weights.resolve("missing/file.pth", offline())).hasMessageContaining("no weights file");
    }

    @Test
    void theRegistryKnowsTorchvisionAndTimmWeights() {
        PretrainedWeights r18 = WeightsRegistry.byName("resnet18");
        assertThat(r18.url()).isEqualTo("https://download.pytorch.org/models/resnet18-f37072fd.pth");
        assertThat(r18.hasFullHash()).isTrue();
        assertThat(r18.sha256()).startsWith("f37072fd");
        assertThat(r18.sizeBytes()).isEqualTo(46_830_571L);
        assertThat(WeightsRegistry.byName("resnet50").sha256()).isEqualTo("0676ba61");
        PretrainedWeights timm = WeightsRegistry.byName("resnet50.a1_in1k");
        assertThat(timm.url()).isEqualTo("https://huggingface.co/timm/resnet50.a1_in1k/resolve/main/model.safetensors");
        assertThat(timm.fileName()).isEqualTo("resnet50.a1_in1k.safetensors");
        assertThat(timm.hashDescription()).contains("unknown until first download");
        assertThat(timm.urlOn("http://mirror/w/")).isEqualTo("http://mirror/w/resnet50.a1_in1k.safetensors");
        assertThat(WeightsRegistry.defaultFor(Architectures.RESNET34).name()).isEqualTo("resnet34");
        assertThat(WeightsRegistry.all()).allMatch(w -> w.classes() == 1000 && w.inputSize() >= 224);
    }

    @Test
    void theRegistryKnowsTorchvisionsEfficientNetMobileNetV3AndRegNetWeightsWithTheirPreprocessing() {
        PretrainedWeights b3 = WeightsRegistry.defaultFor(Architectures.EFFICIENTNET_B3);
        assertThat(b3.url()).isEqualTo("https://download.pytorch.org/models/efficientnet_b3_rwightman-cf984f9c.pth");
        assertThat(b3.sha256()).isEqualTo("cf984f9c");
        assertThat(b3.resizeSize()).isEqualTo(320);
        assertThat(b3.inputSize()).isEqualTo(300);
        assertThat(b3.description()).contains("82.008% top-1", "bicubic");
        PretrainedWeights b0 = WeightsRegistry.defaultFor(Architectures.EFFICIENTNET_B0);
        assertThat(b0.fileName()).isEqualTo("efficientnet_b0_rwightman-3dd342df.pth");
        assertThat(List.of(b0.resizeSize(), b0.inputSize())).containsExactly(256, 224);
        assertThat(WeightsRegistry.defaultFor(Architectures.MOBILENET_V3_LARGE).url())
                .endsWith("/mobilenet_v3_large-8738ca79.pth");
        assertThat(WeightsRegistry.defaultFor(Architectures.REGNET_Y_800MF).url()).endsWith("/regnet_y_800mf-1b27b58c.pth");
        assertThat(Architectures.all()).allSatisfy(a -> assertThat(WeightsRegistry.find(a.name())).isPresent());
    }

    @Test
    void theEnvironmentDecidesCacheOfflineAndMirror() {
        WeightsConfig c = WeightsConfig.fromEnvironment();
        assertThat(c.offline()).isTrue(); // the build sets KODIAK_OFFLINE=1 for every test
        assertThat(c.cacheDir().getFileName().toString()).isEqualTo("weights");
        assertThat(c.withMirror("http://m").mirrorUrl()).isEqualTo("http://m");
    }

    @Test
    void imagenetClassNamesShipWithKodiak() {
        assertThat(ImageNetClasses.names()).hasSize(1000).doesNotHaveDuplicates();
        assertThat(ImageNetClasses.name(0)).isEqualTo("tench");
        assertThat(ImageNetClasses.name(999)).isEqualTo("toilet tissue");
        assertThatThrownBy(() -> ImageNetClasses.name(1000)).isInstanceOf(KodiakException.class);
    }

    @Test
    void readRecognisesBothFormats() {
        Path st = resnet18File(5);
        StateDict d = Weights.read(st);
        assertThat(Weights.classesOf(d, st, Architectures.RESNET18)).isEqualTo(5);
        assertThat(Optional.of(d.size())).contains(ModuleState.of(Architectures.RESNET18.newClassifier(5)).size());
    }

    @Test
    void aTinyFileDeclaringAClassifierOfTwoBillionClassesIsRefusedBeforeBuildingIt() throws Exception {
        // a few hundred bytes: fc.weight [2e9, 0] holds no data but would make a last layer of terabytes
        String header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2000000000,0],\"data_offsets\":[0,0]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path file = dir.resolve("crafted.safetensors");
        Files.write(file, java.nio.ByteBuffer.allocate(8 + h.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array());
        assertThatThrownBy(() -> Weights.loadClassifier(Architectures.RESNET18, file))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("tensor fc.weight has the shape [2000000000, 0], but in a resnet18 classifier of "
                        + "at most 100000 classes it is [N, N]");
        assertThatThrownBy(() -> Weights.importFile(file, Architectures.RESNET18, null, offline()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("tensor fc.weight has the shape");
    }
}
