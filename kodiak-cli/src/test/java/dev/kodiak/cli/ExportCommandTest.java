package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.vision.learn.ModelExport;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kodiak export}: the verb, its JSON line and its errors (the graph itself: OnnxExportTest in vision). */
class ExportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void untrainedModel() {
        model = dir.resolve("pets.kodiak");
        VisionModel net = Architectures.RESNET18.newVisionModel(2);
        try {
            ModelExport.writeUntrained(net, List.of("cats", "dogs"), 32, model);
        } finally {
            net.release();
        }
    }

    @Test
    void exportWritesAnOnnxFileAndDescribesItInOneJsonLine() throws IOException {
        Path out = dir.resolve("out/pets.onnx");
        CliRun run = CliRun.of("export", model.toString(), "--format", "onnx", "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode line = JSON.readTree(run.out().strip());
        assertThat(line.get("onnx").asText()).isEqualTo(out.toAbsolutePath().toString());
        assertThat(line.get("bytes").asLong()).isEqualTo(Files.size(out));
        assertThat(line.get("opset").asInt()).isEqualTo(17);
        assertThat(line.get("ir_version").asInt()).isEqualTo(8);
        assertThat(line.get("input").toString()).contains("\"name\":\"input\"").contains("\"type\":\"float32\"")
                .contains("\"shape\":[\"N\",3,32,32]");
        assertThat(line.get("output").get("shape").toString()).isEqualTo("[\"N\",2]");
        assertThat(line.get("output").get("activation").asText()).isEqualTo("softmax");
        assertThat(line.get("labels").toString()).isEqualTo("[\"cats\",\"dogs\"]");
        assertThat(run.err()).contains("Wrote " + out.toAbsolutePath()).contains("softmax over cats, dogs");
    }

    @Test
    void withPreprocessingAndNoOutTheFileGoesBesideTheModelAndTakesPixels() throws IOException {
        CliRun run = CliRun.of("export", model.toString(), "--with-preprocessing", "--opset", "15");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path out = dir.resolve("pets.onnx");
        assertThat(out).isRegularFile();
        assertThat(run.out()).contains("Wrote " + out.toAbsolutePath()).contains("opset 15, IR version 8")
                .contains("input  'image': uint8 [N, 32, 32, 3] RGB pixels");
    }

    @Test
    void badArgumentsAndFilesGiveOneKodiakLine() throws IOException {
        CliRun format = CliRun.of("export", model.toString(), "--format", "tflite");
        assertThat(format.exitCode()).isEqualTo(1);
        assertThat(format.err().strip()).isEqualTo("kodiak: unknown export format 'tflite': Kodiak exports onnx"
                + " (--format onnx)");

        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        CliRun notModel = CliRun.of("export", text.toString(), "--out", dir.resolve("n.onnx").toString());
        assertThat(notModel.exitCode()).isEqualTo(1);
        assertThat(notModel.err()).startsWith("kodiak: model file " + text + " is not a Kodiak model");

        CliRun unwritable = CliRun.of("export", model.toString(), "--out", text.resolve("m.onnx").toString());
        assertThat(unwritable.exitCode()).isEqualTo(1);
        assertThat(unwritable.err()).startsWith("kodiak: cannot write ONNX file " + text.resolve("m.onnx"))
                .contains("choose another --out");

        CliRun opset = CliRun.of("export", model.toString(), "--opset", "18", "--out", dir.resolve("o.onnx").toString());
        assertThat(opset.exitCode()).as(opset.err()).isZero();
        CliRun tooNew = CliRun.of("export", model.toString(), "--opset", "30");
        assertThat(tooNew.err()).startsWith("kodiak: --opset must be between 13 and 21, got 30");
        assertThat(dir.resolve("n.onnx")).doesNotExist();
    }

    @Test
    void helpNamesTheFormatAndTheInputsAndOutputs() {
        CliRun help = CliRun.of("export", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--format").contains("--with-preprocessing").contains("--opset")
                .contains("softmax").contains("sigmoid");
        assertThat(CliRun.of("--help").out()).contains("export");
    }
}
