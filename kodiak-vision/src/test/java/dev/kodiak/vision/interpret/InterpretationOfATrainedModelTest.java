package dev.kodiak.vision.interpret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.Learner;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.testing.TinyModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpretationOfATrainedModelTest {
    @TempDir
    static Path dir;
    static DataLoaders<RgbImage> dls;
    static Learner learn;
    static Predictor predictor;

    @BeforeAll
    static void train() {
        dls = TinyModel.loaders(TinyModel.dataset(dir.resolve("data"), 12));
        learn = TinyModel.trained(dls);
        learn.export(dir.resolve("m.kodiak"));
        predictor = Predictor.load(dir.resolve("m.kodiak"));
    }

    @AfterAll
    static void close() {
        predictor.close();
        dls.close();
    }

    @Test
    void theLearnerAndTheLoadedModelSeeTheSameMistakes() {
        var fromLearner = ClassificationInterpretation.of(learn);
        var fromModel = ClassificationInterpretation.of(predictor, dls.valid());
        assertThat(fromModel.confusionMatrix()).isDeepEqualTo(fromLearner.confusionMatrix());
        assertThat(fromModel.items()).isEqualTo(dls.valid().items());
        assertThat(fromModel.errorRate()).isEqualTo(fromLearner.errorRate());
        List<TopLoss> a = fromLearner.topLosses(6);
        List<TopLoss> b = fromModel.topLosses(6);
        for (int i = 0; i < 6; i++) {
            assertThat(b.get(i).loss()).isCloseTo(a.get(i).loss(), within(1e-4));
        }
        int total = 0;
        for (int[] row : fromLearner.confusionMatrix()) {
            for (int v : row) {
                total += v;
            }
        }
        assertThat(total).isEqualTo(6);
    }

    @Test
    void unreadableFilesAreLeftOutAndListed() throws Exception {
        Path broken = Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3});
        List<Path> files = new ArrayList<>(dls.valid().items());
        files.add(broken);
        List<String> labels = new ArrayList<>();
        for (Object l : dls.valid().labels()) {
            labels.add((String) l);
        }
        labels.add("red");
        var interp = ClassificationInterpretation.of(predictor, files, labels);
        assertThat(interp.predictions().n()).isEqualTo(6);
        assertThat(interp.failures()).hasSize(1);
        assertThat(interp.failures().get(0).file()).isEqualTo(broken);
    }

    @Test
    void plotsAreWritten() throws Exception {
        var interp = ClassificationInterpretation.of(learn);
        interp.plotTopLosses(4, dir.resolve("top.png"));
        interp.plotResults(4, dir.resolve("results.png"));
        Plots.loss(learn.recorder(), dir.resolve("loss.png"));
        Plots.lr(learn.recorder(), dir.resolve("lr.png"));
        BufferedImage top = ImageIO.read(dir.resolve("top.png").toFile());
        assertThat(top.getWidth()).isGreaterThan(2 * 160); // 2 x 2 grid of 160 px cells
        for (String f : List.of("results.png", "loss.png", "lr.png")) {
            assertThat(ImageIO.read(dir.resolve(f).toFile()).getWidth()).as(f).isGreaterThan(300);
        }
    }
}
