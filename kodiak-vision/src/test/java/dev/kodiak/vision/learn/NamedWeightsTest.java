package dev.kodiak.vision.learn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.Weights;
import dev.kodiak.models.WeightsConfig;
import dev.kodiak.vision.ImageDataLoaders;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.transforms.Resize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights that say which architecture they are for are refused for another, naming the right {@code --arch}. */
class NamedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void weightsImportedForOneArchitectureAreRefusedForAnotherWithTheArchToUse() throws IOException {
        Engine.seed(3);
        Path file = dir.resolve("r18.safetensors");
        SafeTensors.write(file, ModuleState.of(Architectures.RESNET18.newClassifier(1000)));
        WeightsConfig config = new WeightsConfig(dir.resolve("cache"), true, null);
        Weights.importFile(file, Architectures.RESNET18, "mine-r18", config);
        for (String label : new String[] {"a", "b"}) {
            Files.createDirectories(dir.resolve("data").resolve(label));
            for (int i = 0; i < 3; i++) {
                ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png",
                        dir.resolve("data").resolve(label).resolve(i + ".png").toFile());
            }
        }
        try (DataLoaders<RgbImage> dls = ImageDataLoaders.fromFolder(dir.resolve("data"), 0.34, 1, Resize.to(16))) {
            assertThatThrownBy(() -> VisionLearner.create(dls, Architectures.RESNET34, VisionLearnerOptions.defaults()
                    .weights(PretrainedChoice.of("mine-r18")).weightsConfig(config)))
                    .isInstanceOf(KodiakException.class)
                    .hasMessage("the weights mine-r18 are for resnet18, not resnet34; use --arch resnet18");
        }
    }
}
