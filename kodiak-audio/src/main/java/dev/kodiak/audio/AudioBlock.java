package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputBlock;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.Engine;
import dev.kodiak.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sound as the input of a {@code DataBlock}: a file is decoded (FFmpeg), down-mixed to mono, resampled to the
 * settings' rate and optionally trimmed of silence ({@link #load}); {@link #itemTransforms()} fixes its duration
 * (random crop in training, centre crop otherwise); batches of waveforms become 0..1 mel spectrograms [B, 1, mels,
 * frames] on the engine ({@link #encode}), with the augmentations in training when asked for. What a model sees is
 * a one-channel picture, so the same learner trains on it.
 * <pre>{@code
 * AudioBlock audio = AudioBlock.of(AudioSettings.of(16000, 1.5));
 * DataBlock block = DataBlock.builder().blocks(audio, CategoryBlock.create()).items(AudioFiles::find)
 *     .splitter(Splitters.random(0.2, 42)).label(Labels.parentFolder())
 *     .itemTransforms(audio.itemTransforms()).build();
 * }</pre>
 */
public final class AudioBlock implements InputBlock<AudioClip> {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final AudioSettings settings;
    private final AudioDecoder decoder;
    private final MelSpectrogram mel;
    private final AmplitudeToDb db;

    private AudioBlock(AudioSettings settings) {
        this.settings = settings;
        this.decoder = AudioDecoder.withMaxSeconds(settings.maxSeconds());
        this.mel = settings.mel();
        this.db = AmplitudeToDb.of(mel, settings.topDb());
    }

    public static AudioBlock of(AudioSettings settings) {
        if (settings == null) {
            throw new KodiakException("an audio block needs its settings");
        }
        return new AudioBlock(settings);
    }

    public AudioSettings settings() {
        return settings;
    }

    /** The item transforms this block's batches need: the fixed duration. */
    public List<ItemTransform<AudioClip>> itemTransforms() {
        return List.of(FixedDuration.of(settings.duration()));
    }

    /** Decodes, down-mixes, resamples (and trims silence when the settings say so). */
    @Override
    public AudioClip load(Path item) {
        return prepareDecoded(decoder.decode(item));
    }

    /** A clip decoded elsewhere (an upload, a recording) brought to this block's rate and trimming. */
    public AudioClip prepareDecoded(AudioClip clip) {
        AudioClip c = Resample.resample(clip, settings.sampleRate());
        return settings.trimSilence() ? TrimSilence.standard().apply(c, Rng.of(0, 0, 0), false) : c;
    }

    @Override
    public String kind() {
        return AudioInput.NAME;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return settings.toParameters();
    }

    /** {mels, frames}. */
    @Override
    public int[] encodedSize() {
        return new int[] {settings.nMels(), settings.frames()};
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int[] size(AudioClip sample) {
        return new int[] {1, sample.length()};
    }

    @Override
    public boolean floatSamples() {
        return true;
    }

    @Override
    public void writeFloats(AudioClip sample, FloatBuffer dest) {
        dest.put(sample.samples());
    }

    @Override
    public void writeHwc(AudioClip sample, ByteBuffer dest) {
        throw new UnsupportedOperationException("sound is written as float samples (writeFloats)");
    }

    /** Waveforms [B, 1, 1, T] → (waveform augmentation) → mel → dB → 0..1 per clip → (spectrogram augmentation). */
    @Override
    public Tensor encode(Tensor raw, Rng rng, boolean training) {
        long b = raw.size(0);
        Tensor waves = raw.reshape(b, raw.numel() / b);
        boolean augment = settings.augment() && training;
        if (augment) {
            for (AudioAugmentation a : AudioAugmentations.waveform()) {
                waves = a.apply(waves, rng, true);
            }
        }
        Tensor spec = db.apply(mel.apply(waves));
        Tensor loudest = spec.reshape(b, -1).max(1, true).reshape(b, 1, 1, 1);
        Tensor unit = spec.sub(loudest).div(settings.topDb()).add(1.0);
        if (augment) {
            for (AudioAugmentation a : AudioAugmentations.spectrogram()) {
                unit = a.apply(unit, rng, true);
            }
        }
        return unit;
    }

    /** A spectrogram is not a clip: batches are drawn from their encoded values ({@link #drawEncoded}). */
    @Override
    public AudioClip fromChw(float[] chw, int height, int width) {
        throw new KodiakException("a spectrogram cannot be turned back into a sound clip: draw it with drawEncoded");
    }

    /** Draws the clips' spectrograms (as the model sees them in validation) with the captions. */
    @Override
    public void drawGrid(List<AudioClip> samples, List<String> captions, int columns, Path png) {
        List<float[]> specs = new ArrayList<>(samples.size());
        try (dev.kodiak.engine.StepScope scope = dev.kodiak.engine.StepScope.open()) {
            for (AudioClip clip : samples) {
                AudioClip fixed = FixedDuration.of(settings.duration()).apply(clip, Rng.of(0, 0, 0), false);
                Tensor x = Tensor.of(fixed.samples(), 1, 1, 1, fixed.length());
                specs.add(encode(x, Rng.of(0, 0, 0), false).toFloatArray());
            }
        }
        SpectrogramGrid.write(specs, settings.nMels(), settings.frames(), captions, columns, png);
    }

    /** Spectrograms with their captions and each clip's duration (before it was cropped or padded). */
    @Override
    public void drawEncoded(List<float[]> chw, int height, int width, List<Path> items, List<String> captions,
                            int columns, Path png) {
        List<String> withDurations = withDurations(items, captions);
        SpectrogramGrid.write(chw, height, width, withDurations, columns, png);
    }

    // "label · 1.23 s": a clip's own length says whether it was cropped or padded
    List<String> withDurations(List<Path> items, List<String> captions) {
        List<String> out = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            String duration;
            try {
                duration = String.format(Locale.ROOT, "%.2f s", decoder.decode(items.get(i)).seconds());
            } catch (KodiakException e) {
                duration = "unreadable";
            }
            out.add(captions.get(i) + " · " + duration);
        }
        return out;
    }

    @Override
    public long bytes(AudioClip sample) {
        return 4L * sample.length() + 64;
    }

    @Override
    public String describe(AudioClip sample) {
        return sample.toString();
    }

    @Override
    public String toString() {
        return "AudioBlock(" + settings + ")";
    }
}
