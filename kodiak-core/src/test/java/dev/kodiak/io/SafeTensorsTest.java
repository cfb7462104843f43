package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void randomWeightsOfEveryTypeRoundTripExactly() throws IOException {
        Random r = new Random(42);
        List<TensorData> tensors = Stream.of(DType.values()).map(t -> {
            long[] shape = {3, 2, 5};
            byte[] data = new byte[30 * t.byteSize()];
            r.nextBytes(data);
            if (t == DType.BOOL) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (data[i] & 1);
                }
            }
            return new TensorData("layer." + t, t, shape, data);
        }).toList();
        StateDict dict = StateDict.of(tensors, Map.of("format", "pt", "arch", "resnet18"));
        Path file = dir.resolve("w.safetensors");

        SafeTensors.write(file, dict);
        StateDict back = SafeTensors.read(file);

        assertThat(back).isEqualTo(dict);
        assertThat(back.names()).containsExactlyElementsOf(dict.names());
        assertThat(back.metadata()).containsEntry("arch", "resnet18");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // the temporary file was moved, not left behind
        }
    }

    @Test
    void scalarsAndEmptyTensorsRoundTrip() throws IOException {
        StateDict dict = StateDict.of(List.of(
                new TensorData("scalar", DType.I64, new long[] {}, new byte[8]),
                new TensorData("empty", DType.F32, new long[] {0, 4}, new byte[0])));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, dict);
        assertThat(SafeTensors.read(out.toByteArray(), "mem")).isEqualTo(dict);
        assertThat((8 + ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getLong()) % 8).isZero();
    }

    @Test
    void readsAFileLaidOutByHand() {
        byte[] file = file("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}}", floats(1.5f, -2f));
        StateDict d = SafeTensors.read(file, "hand");
        assertThat(d.get("w").toFloats()).containsExactly(1.5f, -2f);
        assertThat(d.metadata()).containsExactly(Map.entry("format", "pt"));
    }

    @Test
    void craftedHeadersAreRefusedWithoutReadingOutOfBounds() {
        byte[] data = floats(1, 2);
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,800]}}", data),
                "claims bytes 0..800 but the data has only 8 bytes");
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data),
                "needs 12 bytes but its range holds 8");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data), "overlap");
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}",
                data), "impossibly large shape");
        assertRefused(file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", data),
                "unsupported tensor type 'F8_E4M3'");
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", data), "invalid shape");
        assertRefused(file("{\"w\":1}", data), "lacks dtype, shape or data_offsets");
        assertRefused(file("[1,2]", data), "not a JSON object");
        assertRefused(file("{nope", data), "not valid JSON");
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data), "not valid JSON");
    }

    @Test
    void anAbsurdHeaderLengthIsRefusedBeforeAllocating() {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).array();
        assertRefused(bytes, "header length");
        assertRefused(new byte[3], "fewer than the 8-byte header length");
    }

    @Test
    void tensorCountsBytesShapesAndHeadersBeyondTheLimitsAreRefusedBeforeAllocating() {
        byte[] data = floats(1, 2);
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        ReadLimits oneTensor = ReadLimits.forTensors(8, 1, "a one-tensor model");
        assertThatThrownBy(() -> SafeTensors.read(file(two, data), "crafted.safetensors", oneTensor))
                .hasMessageContaining("refusing crafted.safetensors: it declares 2 tensors, more than the 1 of a "
                        + "one-tensor model");
        ReadLimits fourBytes = ReadLimits.forTensors(4, 2, "a tiny model");
        assertThatThrownBy(() -> SafeTensors.read(file(two, data), "crafted.safetensors", fourBytes))
                .hasMessageContaining("its tensors declare 8 bytes, more than the 4 that a tiny model takes");
        // fc.weight [2e9, 0] holds no byte, yet would make a classifier of 2e9 classes: its shape is checked
        String empty = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2000000000,0],\"data_offsets\":[0,0]}}";
        ReadLimits shaped = ReadLimits.forTensors(1 << 20, 2, "a small classifier")
                .withShapes(java.util.Map.of("fc.weight", new long[] {ReadLimits.ANY, 512}), false);
        assertThatThrownBy(() -> SafeTensors.read(file(empty, new byte[0]), "crafted.safetensors", shaped))
                .hasMessageContaining("tensor fc.weight has the shape [2000000000, 0], but in a small classifier it "
                        + "is [N, 512]");
        String padded = two.substring(0, two.length() - 1) + ",\"__metadata__\":{\"pad\":\"" + "x".repeat(70_000)
                + "\"}}";
        assertThatThrownBy(() -> SafeTensors.read(file(padded, data), "crafted.safetensors", fourBytes))
                .hasMessageContaining("its header of 70").hasMessageContaining("is longer than describing the 2 tensors");
    }

    @Test
    void aMissingFileNamesThePath() {
        Path missing = dir.resolve("nope.safetensors");
        assertThatThrownBy(() -> SafeTensors.read(missing)).isInstanceOf(KodiakException.class)
                .hasMessageContaining(missing.toString());
    }

    private static void assertRefused(byte[] file, String message) {
        assertThatThrownBy(() -> SafeTensors.read(file, "crafted.safetensors")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("crafted.safetensors").hasMessageContaining(message);
    }

    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
