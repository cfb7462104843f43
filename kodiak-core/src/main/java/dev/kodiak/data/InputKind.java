package dev.kodiak.data;

import dev.kodiak.model.Manifest;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One kind of model input ({@code image}, {@code audio}, later {@code bytes}) as a plug-in: the module that reads the
 * kind registers it (a {@code META-INF/services/dev.kodiak.data.InputKind} line), and callers find it by the name a
 * model file records ({@link InputKinds#byName}) or by a folder's files ({@link InputKinds#detect}), never by an
 * if/else chain over kinds.
 */
public interface InputKind {
    /** The name model files record in {@code input.kind}, e.g. {@code audio}. */
    String name();

    /** True when the file's name says it is an input of this kind (e.g. its extension). */
    boolean recognises(Path file);

    /** This kind's files under {@code dir}, recursively, sorted (hidden files and {@code .quarantine/} skipped). */
    List<Path> find(Path dir);

    /**
     * How this kind's inputs become the model's input, re-created from a model file's manifest exactly as training
     * recorded it; a manifest this kind cannot honour is a {@code KodiakException} naming {@code modelFile}.
     */
    InputPipeline<?> pipeline(Manifest manifest, Path modelFile);

    /**
     * What a web page's file picker offers for this kind, as HTML {@code accept} tokens (MIME patterns such as
     * {@code audio/*} and extensions such as {@code .wav}); empty offers any file.
     */
    default List<String> accept() {
        return List.of();
    }

    /**
     * Decodes an uploaded file of this kind from its bytes into an item of {@code pipeline} (as
     * {@link InputPipeline#load} does for files, not yet {@link InputPipeline#prepare prepared}), under the limits
     * that mean something for this kind. A file that cannot be used is a {@code KodiakException} naming
     * {@code name} ({@link dev.kodiak.io.UnusableFileException} when the kind has a reason code for it). By default
     * the bytes go to a temporary file that the pipeline's block reads; kinds that decode from memory override this.
     *
     * @param pipeline the model's pipeline, made by {@link #pipeline}
     * @param name     the client's name for the file (for messages and the format's extension; never a path)
     */
    default Object decodeUpload(InputPipeline<?> pipeline, byte[] bytes, String name, UploadLimits limits) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kodiak-upload-", Uploads.extension(name));
            Files.write(tmp, bytes);
            return pipeline.load(tmp);
        } catch (IOException e) {
            throw new KodiakException("cannot keep the upload " + name + " in a temporary file: " + e.getMessage(), e);
        } finally {
            Uploads.delete(tmp);
        }
    }
}
