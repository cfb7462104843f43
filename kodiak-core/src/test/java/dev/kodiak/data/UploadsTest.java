package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A kind that decodes files only still takes uploads: {@link InputKind#decodeUpload}'s default keeps the bytes in a
 * temporary file with a safe extension for the block to read, and removes it whatever happens.
 */
class UploadsTest {
    private static final UploadLimits LIMITS = new UploadLimits(1024, 1000, 0);

    // a kind that knows nothing about uploads: only the defaults
    private static final InputKind RAW = new InputKind() {
        @Override
        public String name() {
            return "raw";
        }

        @Override
        public boolean recognises(Path file) {
            return true;
        }

        @Override
        public List<Path> find(Path dir) {
            return List.of();
        }

        @Override
        public InputPipeline<?> pipeline(Manifest manifest, Path modelFile) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void theDefaultDecodesUploadedBytesThroughTheBlockAndLeavesNoTemporaryFile() throws IOException {
        InputPipeline<RawImageBlock.Raw> pipeline = new InputPipeline<>(new RawImageBlock(), List.of());
        byte[] bytes = {2, 1, 10, 20, 30, 40, 50, 60};
        long before = uploadsInTemp();
        RawImageBlock.Raw raw = (RawImageBlock.Raw) RAW.decodeUpload(pipeline, bytes, "a.raw", LIMITS);
        assertThat(raw.width()).isEqualTo(2);
        assertThat(raw.hwc()).containsExactly(10, 20, 30, 40, 50, 60);
        assertThatThrownBy(() -> RAW.decodeUpload(pipeline, new byte[] {'X'}, "b.raw", LIMITS))
                .isInstanceOf(KodiakException.class).hasMessageContaining("broken test file");
        assertThat(uploadsInTemp()).isEqualTo(before);
        assertThat(RAW.accept()).isEmpty();
    }

    @Test
    void onlyAShortPlainExtensionOfTheClientsNameIsKept() {
        assertThat(Uploads.extension("clip.OGG")).isEqualTo(".ogg");
        assertThat(Uploads.extension("recording")).isEqualTo(".upload");
        assertThat(Uploads.extension("x./../../etc")).isEqualTo(".upload");
        assertThat(Uploads.extension("a.b c")).isEqualTo(".upload");
        assertThat(Uploads.extension(null)).isEqualTo(".upload");
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new UploadLimits(0, 1, 0)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new UploadLimits(1, 1, -1)).hasMessageContaining("0 (the model's) or positive");
        assertThatThrownBy(() -> new UploadLimits(1, 1, Double.NaN)).hasMessageContaining("0 (the model's)");
    }

    private static long uploadsInTemp() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("kodiak-upload-")).count();
        }
    }
}
