package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.audio.AudioBlock;
import dev.kodiak.audio.AudioDecoder;
import dev.kodiak.audio.AudioDefaults;
import dev.kodiak.audio.AudioFiles;
import dev.kodiak.audio.AudioInput;
import dev.kodiak.audio.AudioSettings;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputKinds;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.BytesBlock;
import dev.kodiak.vision.BytesFiles;
import dev.kodiak.vision.CsvImageData;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.transforms.Resize;
import dev.kodiak.vision.transforms.ResizeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * What kind of input the data is ({@code --input}, or detected from the folder's files) and, for sound, how clips
 * become spectrograms; the values the data decides are printed.
 */
final class InputOptions {
    @Option(names = "--input", paramLabel = "KIND", defaultValue = "auto", description = "auto | image | audio | bytes "
            + "(default: ${DEFAULT-VALUE}: what most files in the folder are, by their extensions). bytes reads every "
            + "file as a greyscale picture of its bytes (e.g. programs); it is never detected: ask for it.")
    String input;

    @Option(names = "--sample-rate", paramLabel = "HZ", description = "Audio: resample every clip to HZ (default: the "
            + "most common rate of the training clips, at most 16000).")
    Integer sampleRate;

    @Option(names = "--duration", paramLabel = "S", description = "Audio: crop or pad every clip to S seconds (default: "
            + "what covers 95%% of the training clips, rounded up to 0.1 s).")
    Double duration;

    @Option(names = "--n-mels", paramLabel = "N", defaultValue = "64", description = "Audio: mel bins, the "
            + "spectrogram's height (default: ${DEFAULT-VALUE}).")
    int nMels;

    @Option(names = "--n-fft", paramLabel = "N", defaultValue = "1024", description = "Audio: FFT size (default: "
            + "${DEFAULT-VALUE}).")
    int nFft;

    @Option(names = "--hop", paramLabel = "N", defaultValue = "256", description = "Audio: samples between "
            + "spectrogram frames (default: ${DEFAULT-VALUE}).")
    int hop;

    @Option(names = "--max-seconds", paramLabel = "S", defaultValue = "600", description = "Audio: longer files are "
            + "refused as too long (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "16777216", description = "Bytes: larger files "
            + "are refused as too large (default: ${DEFAULT-VALUE}, 16 MiB).")
    long maxBytes;

    /** The input kind of the data in {@code dir}. */
    String kind(Path dir) {
        String k = input.trim().toLowerCase(Locale.ROOT);
        if (!"auto".equals(k)) {
            InputKinds.byName(k); // refuses a kind no module reads, naming the known ones
            return k;
        }
        if (!Files.isDirectory(dir)) {
            return Manifest.Input.IMAGE;
        }
        java.util.Set<Path> all = new java.util.LinkedHashSet<>(); // a file listed by two kinds counts once
        for (InputKind kind : InputKinds.all()) {
            all.addAll(kind.find(dir));
        }
        InputKind found = InputKinds.detect(all);
        return found == null ? Manifest.Input.IMAGE : found.name();
    }

    boolean isAudio(Path dir) {
        return AudioInput.NAME.equals(kind(dir));
    }

    /**
     * The data block for {@code data}: images through {@code imageItems} and {@code imageBatch}; sound through an
     * {@link AudioBlock} whose unset rate and duration come from the training clips (said through {@code say}).
     */
    DataBlock<?> block(DataOptions data, List<ItemTransform<RgbImage>> imageItems, List<BatchTransform> imageBatch,
                       boolean augment, long splitSeed, CsvImageData csv, Consumer<String> say) {
        Path dir = data.dataDir();
        String kind = kind(dir);
        if (BytesBlock.KIND.equals(kind)) {
            return data.block(BytesBlock.of(maxBytes), BytesFiles::find, bytesItems(imageItems, say), List.of(),
                    splitSeed, csv);
        }
        if (!AudioInput.NAME.equals(kind)) {
            return data.block(imageItems, imageBatch, splitSeed, csv);
        }
        AudioBlock audio = AudioBlock.of(settings(data, augment, splitSeed, csv, say));
        return data.block(audio, AudioFiles::find, audio.itemTransforms(), List.of(), splitSeed, csv);
    }

    /**
     * The image item transforms for bytes pictures: every resize squishes. A picture is a few bytes-per-row wide and
     * as tall as the file is long; cropping would drop part of the file, padding would shrink a tall strip to a few
     * columns of the input, while squishing keeps every byte in the input at the same place for every file of a
     * size class (Nataraj et al. resize to a fixed size too). No augmentation: where a byte is is what it means.
     */
    private List<ItemTransform<RgbImage>> bytesItems(List<ItemTransform<RgbImage>> imageItems, Consumer<String> say) {
        List<ItemTransform<RgbImage>> items = new java.util.ArrayList<>();
        for (ItemTransform<RgbImage> t : imageItems) {
            items.add(t instanceof Resize r ? r.method(ResizeMethod.SQUISH) : t);
        }
        say.accept("Bytes: every file as a greyscale picture of its bytes (1 channel, at most " + maxBytes
                + " bytes), squished to the model's size; no augmentation");
        return items;
    }

    private AudioSettings settings(DataOptions data, boolean augment, long splitSeed, CsvImageData csv,
                                   Consumer<String> say) {
        int rate;
        double seconds;
        if (sampleRate != null && duration != null) {
            rate = sampleRate;
            seconds = duration;
        } else {
            // the split first (with placeholder settings): only training clips decide
            AudioBlock probe = AudioBlock.of(AudioSettings.of(16000, 1));
            List<Path> train = data.block(probe, AudioFiles::find, probe.itemTransforms(), List.of(), splitSeed, csv)
                    .datasets(data.dataDir()).trainItems();
            AudioDefaults d = AudioDefaults.measure(train, AudioDecoder.withMaxSeconds(maxSeconds));
            rate = sampleRate != null ? sampleRate : d.sampleRate();
            seconds = duration != null ? duration : d.duration();
            say.accept("Audio defaults from " + d.measured() + " training clips: " + d.reason()
                    + (sampleRate != null || duration != null ? " (flags given override them)" : ""));
        }
        try {
            AudioSettings s = new AudioSettings(rate, seconds, nMels, nFft, hop, 0, rate / 2.0, 80, augment, false,
                    maxSeconds);
            say.accept("Audio: " + s + " -> spectrograms of " + s.nMels() + " x " + s.frames());
            return s;
        } catch (KodiakException e) {
            throw new KodiakException("audio settings: " + e.getMessage(), e);
        }
    }
}
