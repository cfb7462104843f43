import dev.kodiak.audio.AmplitudeToDb;
import dev.kodiak.audio.AudioClip;
import dev.kodiak.audio.AudioDecoder;
import dev.kodiak.audio.AudioFiles;
import dev.kodiak.audio.FixedDuration;
import dev.kodiak.audio.MelSpectrogram;
import dev.kodiak.audio.Resample;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Kodiak's audio pipeline, timed the way a loader feeds training: WORKERS threads each make whole batches (FFmpeg
 * decode -> libswresample to RATE -> fixed duration, centre crop or zero pad at the end) and the main thread turns
 * each batch into a [BS, T] tensor and computes the mel spectrogram (n_fft 1024, hop 256, 64 HTK mels, power 2)
 * and its dB (top_db 80) on the engine, batches in order. One untimed pass, then PASSES timed passes per round;
 * prints one JSON line with the median clips/second over ROUNDS (the peer is bench/peer_audio.py).
 * Usage: java -cp kodiak-cli/target/kodiak.jar bench/AudioPipelineBench.java DIR WORKERS PASSES ROUNDS [BS] [RATE] [SECONDS]
 */
public class AudioPipelineBench {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int workers = Integer.parseInt(a[1]);
        int passes = Integer.parseInt(a[2]);
        int rounds = Integer.parseInt(a[3]);
        int bs = a.length > 4 ? Integer.parseInt(a[4]) : 32;
        int rate = a.length > 5 ? Integer.parseInt(a[5]) : 16000;
        double seconds = a.length > 6 ? Double.parseDouble(a[6]) : 1.0;
        List<Path> files = AudioFiles.find(dir);
        int batches = files.size() / bs; // drop_last, as the peer's DataLoader
        Engine.init();
        Engine.setThreads(Runtime.getRuntime().availableProcessors());
        MelSpectrogram mel = MelSpectrogram.of(rate);
        AmplitudeToDb db = AmplitudeToDb.of(mel, 80);
        Resample resample = Resample.to(rate);
        FixedDuration duration = FixedDuration.of(seconds);
        int samples = (int) Math.round(seconds * rate);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "audio-loader");
            t.setDaemon(true);
            return t;
        });
        List<Double> perRound = new ArrayList<>();
        double sink = 0;
        for (int r = 0; r <= rounds; r++) {
            long start = System.nanoTime();
            int clips = 0;
            for (int p = 0; p < (r == 0 ? 1 : passes); p++) {
                List<Future<float[]>> made = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    List<Path> part = files.subList(b * bs, (b + 1) * bs);
                    made.add(pool.submit(() -> {
                        float[] batch = new float[bs * samples];
                        for (int i = 0; i < bs; i++) {
                            AudioClip clip = AudioDecoder.standard().decode(part.get(i));
                            clip = duration.apply(resample.apply(clip, Rng.of(1, 0, i), false), Rng.of(1, 0, i), false);
                            System.arraycopy(clip.samples(), 0, batch, i * samples, samples);
                        }
                        return batch;
                    }));
                }
                for (Future<float[]> f : made) {
                    try (StepScope scope = StepScope.open()) {
                        Tensor x = Tensor.of(f.get(), bs, samples);
                        sink += db.apply(mel.apply(x)).mean().item();
                    }
                    clips += bs;
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            if (r > 0) { // round 0 warms up
                perRound.add(clips / s);
            }
        }
        pool.shutdownNow();
        List<Double> sorted = new ArrayList<>(perRound);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        System.out.println(String.format(Locale.ROOT, "{\"side\":\"kodiak\",\"workers\":%d,\"bs\":%d,\"clips\":%d,"
                + "\"engine_threads\":%d,\"clips_per_second\":{\"median\":%.1f,\"rounds\":%s},\"check\":%.3f}",
                workers, bs, batches * bs, Engine.threads(), median, perRound.stream()
                        .map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(), sink / (rounds * passes + 1) / batches));
    }
}
