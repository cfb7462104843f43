package dev.kodiak.data;

import dev.kodiak.model.Manifest;
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
}
