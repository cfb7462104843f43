import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kodiak.cli.Main;
import dev.kodiak.engine.CpuFeatures;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.Architectures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training step and inference images/second of every architecture Kodiak builds ({@code Architectures.all()}), each
 * followed at once by PyTorch 1.13 eager on the same network, batch, threads and precision (bench/peer_pytorch.py
 * under Debian's /usr/bin/python3), so that load on a shared machine hits both alike. fp32 always; bf16 only where
 * the CPU has it in hardware (emulated bf16 is 5-15x slower and says nothing). Writes the results file that
 * {@code kodiak weights list} reads.
 *
 * <p>Run: {@code java -cp kodiak-cli/target/kodiak.jar bench/ArchitectureBench.java OUT.json BS SIZE ITERATIONS}
 * (bench/architectures.sh does it).
 */
public final class ArchitectureBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int bs = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        int warmup = 2;
        int threads = Runtime.getRuntime().availableProcessors();
        Path peer = Path.of(args.length > 4 ? args[4] : "bench/peer_pytorch.py");
        CpuFeatures cpu = CpuFeatures.host();
        List<String> precisions = cpu.hasNativeBf16() ? List.of("fp32", "bf16") : List.of("fp32");

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "architectures");
        result.put("measured_at", Instant.now().toString());
        result.put("cpu", Map.of("model", cpu.model(), "cores", threads, "flags", cpu.vectorMatrixFlags()));
        String loadBefore = loadAverage();
        result.put("threads", threads);
        result.put("bs", bs);
        result.put("size", size);
        result.put("warmup", warmup);
        result.put("iterations", iterations);
        result.put("kodiak_channels_last", true);
        result.put("pytorch_channels_last", false);
        List<Map<String, Object>> rows = new ArrayList<>();
        String peerVersion = "";
        for (Architecture arch : Architectures.all()) {
            int archSize = fixedSize(arch, size);
            for (String bench : List.of("train-step", "infer")) {
                for (String precision : precisions) {
                    List<String> common = List.of("--arch", arch.name(), "--bs", Integer.toString(bs), "--size",
                            Integer.toString(archSize), "--threads", Integer.toString(threads), "--precision", precision,
                            "--warmup", Integer.toString(warmup), "--iterations", Integer.toString(iterations));
                    List<String> kodiakArgs = new ArrayList<>(List.of("bench", bench));
                    kodiakArgs.addAll(common);
                    kodiakArgs.add("--json");
                    JsonNode kodiak = kodiak(kodiakArgs);
                    List<String> python = new ArrayList<>(List.of("/usr/bin/python3", peer.toString(), bench));
                    python.addAll(common);
                    JsonNode pytorch = python(python);
                    peerVersion = pytorch.path("peer").asText();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("arch", arch.name());
                    row.put("benchmark", bench);
                    row.put("precision", precision);
                    row.put("size", archSize);
                    row.put("kodiak", kodiak.path("images_per_second").path("median").asDouble());
                    row.put("pytorch", pytorch.path("images_per_second").path("median").asDouble());
                    rows.add(row);
                    System.out.printf("%-16s %-10s %-4s %3dpx kodiak %8.1f img/s   %s %8.1f img/s%n", arch.name(),
                            bench, precision, archSize, (double) row.get("kodiak"), peerVersion, (double) row.get("pytorch"));
                }
            }
        }
        result.put("peer", peerVersion);
        result.put("load_average", Map.of("before", loadBefore, "after", loadAverage()));
        result.put("results", rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), result);
        System.out.println("wrote " + out);
        System.exit(0); // libtorch's thread pools would otherwise keep the JVM waiting
    }

    /** ViT at the size its weights were trained and published at (224 px), whatever the others run at. */
    private static int fixedSize(Architecture arch, int size) {
        return arch.name().startsWith("vit_") ? 224 : size;
    }

    // The CLI's own `bench train-step|infer --json`, in this JVM: its JSON line is on stdout.
    private static JsonNode kodiak(List<String> args) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        if (exit != 0) {
            throw new IllegalStateException("kodiak " + String.join(" ", args) + " failed (" + exit + "): " + text);
        }
        return lastJsonLine(text);
    }

    private static JsonNode python(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
        }
        return lastJsonLine(text);
    }

    private static JsonNode lastJsonLine(String text) throws IOException {
        String[] lines = text.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
