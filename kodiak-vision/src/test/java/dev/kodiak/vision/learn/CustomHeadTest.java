package dev.kodiak.vision.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.layers.Layer;
import dev.kodiak.layers.Layers;
import dev.kodiak.model.ModelFile;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.HeadFactory;
import dev.kodiak.models.Heads;
import dev.kodiak.models.VisionModel;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.vision.learn.ModelExport;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomHeadTest {
    @TempDir
    Path dir;

    /** Average pooling and one linear layer: parameters {@code head.1.weight, head.1.bias}. */
    record LinearHead(String name) implements HeadFactory {
        @Override
        public Layer create(int bodyFeatures, int outputs) {
            return Layers.sequential(Layers.avgPool(), Layers.linear(bodyFeatures, outputs));
        }
    }

    @Test
    void aCustomHeadSitsOnTheBodyWithItsOwnParameters() {
        VisionModel m = VisionModel.create(Architectures.RESNET18, 3, new LinearHead("linear-test"));
        assertThat(m.headName()).isEqualTo("linear-test");
        assertThat(m.stateDict().names().stream().filter(n -> n.startsWith("head."))).containsExactly(
                "head.1.weight", "head.1.bias");
        assertThat(m.stateDict().get("head.1.weight").shape()).containsExactly(3, 512);
        assertThat(m.parameterGroups().get(2)).hasSize(2); // the head's group: what fine-tuning trains first
        m.eval();
        try (StepScope step = StepScope.open()) {
            assertThat(m.forward(Tensor.rand(2, 3, 32, 32)).shape()).containsExactly(2, 3);
        }
        assertThat(VisionModel.create(Architectures.RESNET18, 3).headName()).isEqualTo(Heads.FASTAI);
    }

    @Test
    void aHeadOfTheWrongShapeIsACleanError() {
        HeadFactory wrong = new HeadFactory() {
            @Override
            public String name() {
                return "wrong";
            }

            @Override
            public Layer create(int bodyFeatures, int outputs) {
                return Layers.avgPool(); // [N, 512], not [N, outputs]
            }
        };
        VisionModel m = VisionModel.create(Architectures.RESNET18, 3, wrong);
        try (StepScope step = StepScope.open()) {
            assertThatThrownBy(() -> m.forward(Tensor.rand(2, 3, 32, 32))).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("head 'wrong' returned [2, 512]").hasMessageContaining("[2, 3]");
        }
    }

    @Test
    void aModelFileRecordsTheHeadAndLoadsOnceTheHeadIsKnown() {
        HeadFactory head = new LinearHead("linear-roundtrip");
        VisionModel m = VisionModel.create(Architectures.RESNET18, 2, head);
        Path file = dir.resolve("custom.kodiak");
        ModelExport.writeUntrained(m, List.of("cat", "dog"), 32, file);
        assertThat(ModelFile.readManifest(file).model().head().type()).isEqualTo("linear-roundtrip");
        assertThat(ModelFile.readManifest(file).model().head().inputFeatures()).isEqualTo(512);

        assertThatThrownBy(() -> Predictor.load(file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("custom head 'linear-roundtrip'")
                .hasMessageContaining("Heads.register").hasMessageContaining("META-INF/services/"
                        + HeadFactory.class.getName());

        assertThatThrownBy(() -> dev.kodiak.vision.export.OnnxExport.toBytes(file,
                dev.kodiak.vision.export.OnnxOptions.defaults())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("custom head 'linear-roundtrip'").hasMessageContaining("fastai head");

        Heads.register(head);
        Heads.register(new LinearHead("linear-roundtrip")); // the same class again: fine
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(5, 5, 20, 30);
        g.dispose();
        try (Predictor p = Predictor.load(file)) {
            Prediction answer = p.predict(img);
            m.eval();
            float[] expected;
            try (StepScope step = StepScope.open()) {
                // the same model, fed as the predictor feeds it: its recorded preprocessing on this image
                Tensor x = dev.kodiak.vision.transforms.Normalize.imagenet().encode(
                        Tensor.of(floats(p.preprocess(dev.kodiak.vision.ImageDecoder.fromBufferedImage(img))),
                                1, 32, 32, 3).permute(0, 3, 1, 2));
                expected = m.forward(x).softmax(1).toFloatArray();
            }
            assertThat(answer.probabilities().get("cat")).isCloseTo(expected[0], within(1e-5));
            assertThat(answer.probabilities().get("dog")).isCloseTo(expected[1], within(1e-5));
        }
    }

    @Test
    void headNamesAreCheckedAndFastaiIsReserved() {
        assertThatThrownBy(() -> Heads.register(new LinearHead(Heads.FASTAI))).isInstanceOf(KodiakException.class)
                .hasMessageContaining("built-in");
        assertThatThrownBy(() -> Heads.register(new LinearHead("Bad Name"))).isInstanceOf(KodiakException.class)
                .hasMessageContaining("lowercase");
        Heads.register(new LinearHead("taken"));
        HeadFactory other = new HeadFactory() {
            @Override
            public String name() {
                return "taken";
            }

            @Override
            public Layer create(int bodyFeatures, int outputs) {
                return Layers.linear(bodyFeatures, outputs);
            }
        };
        assertThatThrownBy(() -> Heads.register(other)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("already registered");
        assertThat(Heads.byName(Heads.FASTAI)).isSameAs(Heads.fastai());
    }

    private static float[] floats(dev.kodiak.vision.RgbImage image) {
        byte[] px = image.pixels();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = (px[i] & 0xff) / 255f;
        }
        return out;
    }
}
