package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputPipeline;
import dev.kodiak.model.Manifest;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code audio} input kind (registered in {@code META-INF/services}): recognises sound files by extension and
 * re-creates a model file's audio pipeline from its {@code input.parameters} ({@link AudioSettings}).
 */
public final class AudioInput implements InputKind {
    /** The name model files record. */
    public static final String NAME = "audio";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(Path file) {
        return AudioFiles.isAudioName(file);
    }

    @Override
    public List<Path> find(Path dir) {
        return AudioFiles.find(dir);
    }

    @Override
    public InputPipeline<AudioClip> pipeline(Manifest manifest, Path modelFile) {
        AudioBlock block = block(manifest.input(), modelFile);
        return new InputPipeline<>(block, block.itemTransforms());
    }

    /** The block a model file's audio input section describes, checked against its recorded size. */
    public static AudioBlock block(Manifest.Input input, Path modelFile) {
        if (!NAME.equals(input.kind())) {
            throw new KodiakException("model file " + modelFile + " takes '" + input.kind() + "' inputs, not audio");
        }
        AudioSettings settings;
        try {
            settings = AudioSettings.fromParameters(input.parameters());
        } catch (KodiakException e) {
            throw new KodiakException("model file " + modelFile + ": " + e.getMessage(), e);
        }
        List<Integer> size = List.of(settings.nMels(), settings.frames());
        if (input.channels() != 1 || !size.equals(input.size())) {
            throw new KodiakException("model file " + modelFile + ": its audio input is recorded as " + input.channels()
                    + " channel(s) of " + input.size() + ", but its parameters make 1 channel of " + size);
        }
        return AudioBlock.of(settings);
    }

    /** The model file's input section for a block (size [mels, frames], one channel). */
    public static Manifest.Input section(AudioBlock block, Manifest.Normalization normalization) {
        AudioSettings s = block.settings();
        return new Manifest.Input(NAME, 1, List.of(s.nMels(), s.frames()), List.of(), normalization,
                s.toParameters());
    }
}
