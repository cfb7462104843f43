package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.testing.PythonTorch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libswresample as Kodiak configures it against scipy's {@code resample_poly}, on tones and noise. */
class ResampleScipyInteropTest {
    private static final String SCRIPT = """
            import numpy as np
            from math import gcd
            from scipy.signal import resample_poly
            for line in open('jobs.txt'):
                src, dst, name = line.split()
                src, dst = int(src), int(dst)
                x = np.fromfile(name + '.in', '<f8')
                g = gcd(src, dst)
                resample_poly(x, dst // g, src // g).astype('<f8').tofile(name + '.out')
            """;

    @TempDir
    Path dir;

    @Test
    void tonesChirpsAndNoiseMatchScipyWithin1e3Rms() throws Exception {
        PythonPeers.assumeScipy();
        int[][] pairs = {{44100, 16000}, {48000, 16000}, {22050, 16000}, {8000, 16000}, {16000, 22050}, {48000, 44100}};
        StringBuilder jobs = new StringBuilder();
        java.util.Map<String, float[]> inputs = new java.util.LinkedHashMap<>();
        java.util.Map<String, int[]> rates = new java.util.HashMap<>();
        for (int[] p : pairs) {
            int from = p[0];
            int to = p[1];
            float[][] signals = {
                TestSounds.tone(440, 0.5, from, 0.5),
                TestSounds.chirp(50, Math.min(from, to) * 0.4, 0.5, from, 0.5),
                TestSounds.noise(from / 2, 0.3, 11),
            };
            String[] names = {"tone", "chirp", "noise"};
            for (int s = 0; s < signals.length; s++) {
                String name = names[s] + from + "-" + to;
                PythonPeers.writeDoubles(dir.resolve(name + ".in"), PythonPeers.toDoubles(signals[s]));
                jobs.append(from).append(' ').append(to).append(' ').append(name).append('\n');
                inputs.put(name, signals[s]);
                rates.put(name, p);
            }
        }
        java.nio.file.Files.writeString(dir.resolve("jobs.txt"), jobs);
        PythonTorch.run(dir, SCRIPT);
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (var e : inputs.entrySet()) {
            {
                String name = e.getKey();
                double[] expected = PythonPeers.readDoubles(dir.resolve(name + ".out"));
                int[] p = rates.get(name);
                float[] got = Resample.resample(new AudioClip(e.getValue(), p[0]), p[1]).samples();
                assertThat(got).as(name).hasSize(expected.length);
                double sum = 0;
                for (int i = 0; i < got.length; i++) {
                    sum += (got[i] - expected[i]) * (got[i] - expected[i]);
                }
                double rms = Math.sqrt(sum / got.length);
                worst = Math.max(worst, rms);
                report.append(String.format("%s rms %.2e%n", name, rms));
            }
        }
        System.out.print(report);
        assertThat(worst).as(report.toString()).isLessThan(1e-3);
    }
}
