package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputPipeline;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.predict.ManifestCheck;
import dev.kodiak.vision.transforms.TransformSpecs;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code bytes} input kind (registered in {@code META-INF/services}): every file of a folder read as a
 * {@link BytesImage}, through the recorded resize. Any file can be read this way, so no file is ever
 * <em>recognised</em> as bytes: a folder is read as bytes only when asked ({@code --input bytes}).
 */
public final class BytesInput implements InputKind {
    @Override
    public String name() {
        return BytesBlock.KIND;
    }

    @Override
    public boolean recognises(Path file) {
        return false; // never detected: any file is bytes, so detection would claim every folder
    }

    @Override
    public List<Path> find(Path dir) {
        return BytesFiles.find(dir);
    }

    @Override
    public InputPipeline<RgbImage> pipeline(Manifest manifest, Path modelFile) {
        Manifest.Input input = manifest.input();
        if (!BytesBlock.KIND.equals(input.kind())) {
            throw new KodiakException("model file " + modelFile + " takes '" + input.kind() + "' inputs, not bytes");
        }
        if (input.channels() != 1) {
            throw new KodiakException("model file " + modelFile + ": its bytes input is recorded with "
                    + input.channels() + " channels; bytes pictures have 1");
        }
        BytesBlock block;
        try {
            block = BytesBlock.fromParameters(input.parameters());
        } catch (KodiakException e) {
            throw new KodiakException("model file " + modelFile + ": " + e.getMessage(), e);
        }
        ManifestCheck check = new ManifestCheck(modelFile, manifest);
        List<dev.kodiak.data.ItemTransform<RgbImage>> transforms = check.itemTransforms();
        int[] resized = TransformSpecs.outputSize(input.itemTransforms());
        if (resized == null || input.size() == null || !input.size().equals(List.of(resized[0], resized[1]))) {
            throw new KodiakException("model file " + modelFile + ": its bytes input is recorded as " + input.size()
                    + " but its item transforms give " + (resized == null ? "no fixed size (no resize)"
                    : List.of(resized[0], resized[1])));
        }
        return new InputPipeline<>(block, transforms);
    }
}
