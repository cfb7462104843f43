package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputPipeline;
import dev.kodiak.data.UploadLimits;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.predict.ManifestCheck;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code image} input kind (registered in {@code META-INF/services}): recognises image files by extension and
 * re-creates a model file's image preprocessing (RGB decode, the recorded item transforms).
 */
public final class ImageInput implements InputKind {
    @Override
    public String name() {
        return Manifest.Input.IMAGE;
    }

    @Override
    public boolean recognises(Path file) {
        return ImageFiles.isImageName(file);
    }

    @Override
    public List<Path> find(Path dir) {
        return ImageFiles.find(dir);
    }

    @Override
    public List<String> accept() {
        return List.of("image/*");
    }

    /** Decodes from memory (no temporary file) under the limits' bytes and pixels; errors name the upload. */
    @Override
    public RgbImage decodeUpload(InputPipeline<?> pipeline, byte[] bytes, String name, UploadLimits limits) {
        return ImageDecoder.withLimits(new DecodeLimits(limits.maxPixels(), limits.maxBytes())).decode(bytes, name);
    }

    @Override
    public InputPipeline<RgbImage> pipeline(Manifest manifest, Path modelFile) {
        if (!Manifest.Input.IMAGE.equals(manifest.input().kind())) {
            throw new KodiakException("model file " + modelFile + " takes '" + manifest.input().kind()
                    + "' inputs, not images");
        }
        return new InputPipeline<>(ImageBlock.rgb(), new ManifestCheck(modelFile, manifest).itemTransforms());
    }
}
