package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyClassifierTest {
    @TempDir
    Path dir;

    @Test
    void trainsOneEpochExportsAndPredictsWithTheInstalledArtifacts() throws IOException {
        Path data = dir.resolve("shapes");
        List<String> labels = List.of("dark", "light");
        for (int l = 0; l < labels.size(); l++) {
            Path folder = Files.createDirectories(data.resolve(labels.get(l)));
            for (int i = 0; i < 8; i++) {
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(l == 0 ? Color.DARK_GRAY : Color.WHITE);
                g.fillRect(0, 0, 32, 32);
                g.setColor(Color.RED);
                g.fillOval(i * 2, i * 3, 10, 10);
                g.dispose();
                ImageIO.write(img, "png", folder.resolve(labels.get(l) + i + ".png").toFile());
            }
        }
        Path model = dir.resolve("shapes.kodiak");

        TinyClassifier.Outcome outcome = TinyClassifier.train(data, model);

        assertEquals(4, outcome.validation().items(), "25% of 16 images are validated");
        double loss = outcome.validation().loss();
        assertTrue(Double.isFinite(loss) && loss > 0, "validation loss " + loss);
        double errorRate = outcome.validation().metric("error_rate");
        assertTrue(errorRate >= 0 && errorRate <= 1, "error rate " + errorRate);
        assertTrue(Files.size(model) > 1_000_000, "the exported ResNet-18 holds its weights");
        var probabilities = outcome.prediction().probabilities();
        assertEquals(labels, List.copyOf(probabilities.keySet()), "the exported model's labels, in order");
        double total = probabilities.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, total, 1e-4, "softmax probabilities " + probabilities);
        assertTrue(labels.contains(outcome.prediction().label()), outcome.prediction().label());
        System.out.printf("consumer: one epoch, valid_loss %.4f, error_rate %.2f, predicted %s%n", loss, errorRate,
                outcome.prediction().label());
    }

    @Test
    void everyArtifactTheBomListsResolvesAndLoads() throws ClassNotFoundException {
        // one public class from each of Kodiak's artifacts (the main ones are used above)
        for (String name : List.of("dev.kodiak.KodiakException", "dev.kodiak.vision.predict.Predictor",
                "dev.kodiak.gather.Gatherer", "dev.kodiak.serve.PredictServer", "dev.kodiak.cli.Main")) {
            Class.forName(name, false, getClass().getClassLoader());
        }
    }
}
