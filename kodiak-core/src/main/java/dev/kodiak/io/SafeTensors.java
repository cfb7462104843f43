package dev.kodiak.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to its dtype, shape and byte range, then the raw little-endian data. No code, nothing to execute.
 *
 * <p>The reader trusts nothing in the header: every range must lie inside the file, match its shape and not
 * overlap another, so a crafted file can neither read out of bounds nor make Kodiak allocate absurd amounts.
 */
public final class SafeTensors {
    /** The largest header accepted (the format's own reference implementation uses the same bound). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SafeTensors() {
    }

    /** Reads every tensor of {@code file}, within {@link ReadLimits#DEFAULT}. */
    public static StateDict read(Path file) {
        return read(file, ReadLimits.DEFAULT);
    }

    /** Reads every tensor of {@code file}; what the header declares must fit {@code limits}. */
    public static StateDict read(Path file, ReadLimits limits) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new ChannelSource(ch), file.toString(), limits);
        } catch (IOException e) {
            throw new KodiakException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads every tensor from the bytes of a safetensors file; {@code source} names it in errors. */
    public static StateDict read(byte[] bytes, String source) {
        return read(bytes, source, ReadLimits.DEFAULT);
    }

    /** Reads every tensor from the bytes of a safetensors file; what the header declares must fit {@code limits}. */
    public static StateDict read(byte[] bytes, String source, ReadLimits limits) {
        try {
            return read(new ArraySource(bytes), source, limits);
        } catch (IOException e) {
            throw new KodiakException("cannot read safetensors data " + source + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code dict} to {@code file} atomically: a temporary file beside it, then a move over it. */
    public static void write(Path file, StateDict dict) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(out, dict);
            }
            AtomicFiles.move(tmp, file);
            tmp = null;
        } catch (IOException e) {
            throw new KodiakException("cannot write safetensors file " + file + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(tmp);
        }
    }

    /** Writes {@code dict} in safetensors layout to {@code out} (e.g. an entry of a zip); does not close it. */
    public static void write(OutputStream out, StateDict dict) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!dict.metadata().isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            dict.metadata().forEach(meta::put);
        }
        long offset = 0;
        for (TensorData t : dict.tensors()) {
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + t.data().length);
            offset += t.data().length;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned, as the format recommends
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (TensorData t : dict.tensors()) {
            out.write(t.data());
        }
    }

    private static StateDict read(ByteSource src, String source, ReadLimits limits) throws IOException {
        long size = src.size();
        if (size < 8) {
            throw corrupt(source, "it has only " + size + " bytes, fewer than the 8-byte header length");
        }
        byte[] lenBytes = new byte[8];
        src.read(0, lenBytes);
        long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
            throw corrupt(source, "the header length " + headerLen + " does not fit a file of " + size + " bytes");
        }
        if (headerLen > limits.headerBytes()) {
            throw new KodiakException("refusing " + source + ": its header of " + headerLen + " bytes is longer than "
                    + "describing the " + limits.maxTensors() + " tensors of " + limits.what() + " takes ("
                    + limits.headerBytes() + " bytes at most)");
        }
        byte[] headerBytes = new byte[(int) headerLen];
        src.read(8, headerBytes);
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (JsonProcessingException e) {
            throw corrupt(source, "its header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw corrupt(source, "its header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        long declaredBytes = 0;
        for (Map.Entry<String, JsonNode> f : header.properties()) {
            if (f.getKey().equals(METADATA_KEY)) {
                readMetadata(f.getValue(), metadata, source);
            } else {
                Entry e = entry(f.getKey(), f.getValue(), dataLen, source);
                limits.checkShape(e.name, e.shape, source);
                limits.checkTensorCount(entries.size() + 1L, source);
                declaredBytes = Math.addExact(declaredBytes, e.end - e.begin); // each at most the file's size
                limits.checkTensorBytes(declaredBytes, source);
                entries.add(e);
            }
        }
        checkNoOverlap(entries, source); // before allocating: all of the data above lies in the file, once
        List<TensorData> tensors = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            byte[] data = new byte[(int) (e.end - e.begin)];
            src.read(dataStart + e.begin, data);
            tensors.add(new TensorData(e.name, e.dtype, e.shape, data));
        }
        return StateDict.of(tensors, metadata);
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static Entry entry(String name, JsonNode node, long dataLen, String source) {
        String where = source + ", tensor " + name;
        if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
                || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
            throw corrupt(source, "the header entry of " + name + " lacks dtype, shape or data_offsets [begin, end]");
        }
        DType dtype = DType.fromSafetensors(node.get("dtype").asText(), where);
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw corrupt(source, "tensor " + name + " has an invalid shape " + shapeNode);
            }
            shape[i] = d.asLong();
        }
        JsonNode b = node.get("data_offsets").get(0);
        JsonNode e = node.get("data_offsets").get(1);
        if (!b.isIntegralNumber() || !e.isIntegralNumber() || !b.canConvertToLong() || !e.canConvertToLong()) {
            throw corrupt(source, "tensor " + name + " has invalid data_offsets " + node.get("data_offsets"));
        }
        long begin = b.asLong();
        long end = e.asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw corrupt(source, "tensor " + name + " claims bytes " + begin + ".." + end + " but the data has only "
                    + dataLen + " bytes (truncated file?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(TensorData.numel(shape, name), dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw corrupt(source, "tensor " + name + " has an impossibly large shape " + shapeNode);
        }
        if (end - begin != expected) {
            throw corrupt(source, "tensor " + name + " of shape " + shapeNode + " and type " + dtype + " needs "
                    + expected + " bytes but its range holds " + (end - begin));
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw new KodiakException(where + ": a single tensor of " + expected + " bytes is larger than Kodiak "
                    + "reads (2 GB)");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, String source) {
        if (!node.isObject()) {
            throw corrupt(source, "__metadata__ must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!f.getValue().isTextual()) {
                throw corrupt(source, "__metadata__ value of " + f.getKey() + " is not a string");
            }
            out.put(f.getKey(), f.getValue().asText());
        }
    }

    private static void checkNoOverlap(List<Entry> entries, String source) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            Entry cur = sorted.get(i);
            if (cur.begin < prev.end) {
                throw corrupt(source, "tensors " + prev.name + " and " + cur.name + " overlap in the data");
            }
        }
    }

    private static KodiakException corrupt(String source, String why) {
        return new KodiakException("cannot read safetensors file " + source + ": " + why
                + ". The file is damaged or not a safetensors file; download or export it again.");
    }

    private interface ByteSource {
        long size() throws IOException;

        void read(long position, byte[] into) throws IOException;
    }

    private record ChannelSource(FileChannel ch) implements ByteSource {
        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public void read(long position, byte[] into) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(into);
            while (buf.hasRemaining()) {
                int n = ch.read(buf, position + buf.position());
                if (n < 0) {
                    throw new IOException("unexpected end of file at byte " + (position + buf.position()));
                }
            }
        }
    }

    private record ArraySource(byte[] bytes) implements ByteSource {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(long position, byte[] into) {
            System.arraycopy(bytes, (int) position, into, 0, into.length);
        }
    }
}
