package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputPipeline;
import dev.kodiak.data.UploadLimits;
import dev.kodiak.data.Uploads;
import dev.kodiak.io.UnusableFileException;
import dev.kodiak.model.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Any sound the browser knows, the extensions Kodiak reads, and webm (what browsers record with MediaRecorder). */
    @Override
    public List<String> accept() {
        List<String> tokens = new ArrayList<>(List.of("audio/*", ".webm"));
        AudioFiles.EXTENSIONS.stream().sorted().forEach(e -> tokens.add("." + e));
        return tokens;
    }

    /**
     * Decodes the upload with FFmpeg from a temporary file (FFmpeg finds the container from the bytes, so a
     * recording's webm/ogg opus works whatever its name), under the limits' seconds or else the model's; the errors
     * name the upload and keep their reason codes.
     */
    @Override
    public AudioClip decodeUpload(InputPipeline<?> pipeline, byte[] bytes, String name, UploadLimits limits) {
        if (!(pipeline.block() instanceof AudioBlock block)) {
            throw new KodiakException("the audio kind cannot decode uploads for a " + pipeline.block().kind()
                    + " pipeline");
        }
        double maxSeconds = limits.maxSeconds() > 0 ? limits.maxSeconds() : block.settings().maxSeconds();
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kodiak-upload-", Uploads.extension(name));
            Files.write(tmp, bytes);
            return block.prepareDecoded(AudioDecoder.withMaxSeconds(maxSeconds).decode(tmp));
        } catch (AudioDecodeException e) {
            throw new UnusableFileException("cannot read audio " + name + ": " + e.detail(), e.code(), e.detail());
        } catch (IOException e) {
            throw new KodiakException("cannot keep the upload " + name + " in a temporary file: " + e.getMessage(), e);
        } finally {
            Uploads.delete(tmp);
        }
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
