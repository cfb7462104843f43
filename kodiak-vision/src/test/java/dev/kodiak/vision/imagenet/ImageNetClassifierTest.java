package dev.kodiak.vision.imagenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.ImageNetClasses;
import dev.kodiak.models.ResolvedWeights;
import dev.kodiak.models.WeightsRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetClassifierTest {
    @TempDir
    Path dir;

    @Test
    void normalisationIsTorchvisions() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF8000); // red 255, green 128, blue 0
        img.setRGB(1, 0, 0x000000);
        float[] x = ImageNetInput.normalise(dev.kodiak.vision.ImageDecoder.fromBufferedImage(img), WeightsRegistry.IMAGENET_MEAN, WeightsRegistry.IMAGENET_STD);
        // CHW: [R(0), R(1), G(0), G(1), B(0), B(1)]
        assertThat(x[0]).isCloseTo((1f - 0.485f) / 0.229f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(x[2]).isCloseTo((128 / 255f - 0.456f) / 0.224f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(x[5]).isCloseTo(-0.406f / 0.225f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void resizeKeepsTheAspectThenCropsTheCentre() {
        dev.kodiak.vision.RgbImage wide = dev.kodiak.vision.RgbImage.blank(400, 200);
        dev.kodiak.vision.RgbImage r = ImageNetInput.resizeShorterSide(wide, 64, dev.kodiak.vision.FilterResampler.Filter.BILINEAR);
        assertThat(r.width()).isEqualTo(128);
        assertThat(r.height()).isEqualTo(64);
        assertThat(ImageNetInput.centreCrop(r, 56).width()).isEqualTo(56);
    }

    @Test
    void predictionsAreSortedWithSoftmaxProbabilitiesAndImagenetNames() {
        float[] logits = new float[1000];
        logits[3] = 5;
        logits[1] = 4;
        List<ClassScore> top = ImageNetClassifier.best(logits, 2);
        assertThat(top).extracting(ClassScore::index).containsExactly(3, 1);
        assertThat(top.get(0).label()).isEqualTo(ImageNetClasses.name(3));
        double z = Math.exp(5) + Math.exp(4) + 998;
        assertThat(top.get(0).probability()).isCloseTo(Math.exp(5) / z, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void noResizeNeedsAnImageOfTheInputSize() {
        Engine.seed(1);
        Path file = dir.resolve("r18.safetensors");
        SafeTensors.write(file, ModuleState.of(Architectures.RESNET18.newClassifier(1000)));
        ResolvedWeights w = new ResolvedWeights(file, "r18", Optional.empty(), WeightsRegistry.IMAGENET_MEAN,
                WeightsRegistry.IMAGENET_STD, 72, 64);
        ImageNetClassifier c = ImageNetClassifier.load(Architectures.RESNET18, w);
        assertThatThrownBy(() -> c.predict(new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB), false, 5, "a.png"))
                .isInstanceOf(KodiakException.class).hasMessageContaining("image a.png is 80x64")
                .hasMessageContaining("must already be 64x64");
        List<ClassScore> top = c.predict(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), false, 5, "b.png");
        assertThat(top).hasSize(5);
        assertThat(top.get(0).logit()).isGreaterThanOrEqualTo(top.get(4).logit());
        assertThat(c.predict(new BufferedImage(100, 90, BufferedImage.TYPE_INT_RGB), true, 1, "c.png")).hasSize(1);
    }

    @Test
    void weightsForAnotherArchitectureAreRefused() {
        ResolvedWeights w = ResolvedWeights.of(dir.resolve("x.pth"), WeightsRegistry.byName("resnet50"));
        assertThatThrownBy(() -> ImageNetClassifier.load(Architectures.RESNET18, w))
                .hasMessageContaining("are for resnet50, not resnet18");
    }
}
