package dev.kodiak.io;

import dev.kodiak.KodiakException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much a weight file may make Kodiak allocate, checked against what the file declares (header, pickle, zip
 * entry sizes) before any tensor data is read, and against what inflating actually produces while it is read: so
 * a crafted or compressed ("bomb") file is refused with a message instead of ending in OutOfMemoryError.
 * Readers of a known architecture pass exactly what its tensors take ({@link #forTensors}); {@link #DEFAULT} bounds
 * the rest.
 *
 * @param maxBytes   the most tensor data (all tensors together), in bytes
 * @param maxTensors the most tensors
 * @param what       what the limit is for, for the message (e.g. "a resnet18 with a 2-output head")
 * @param shapes     the shape each known tensor name must have ({@link #ANY} for a dimension that may vary); other
 *                   names are left to the caller's check after reading. Empty: no shape is checked
 * @param exactNames whether a name missing from {@code shapes} is refused too (a model file holds nothing else)
 */
public record ReadLimits(long maxBytes, int maxTensors, String what, Map<String, long[]> shapes, boolean exactNames) {
    /** In {@link #shapes}: a dimension of any size (e.g. the number of classes of a classifier's last layer). */
    public static final long ANY = -1;
    /** Header room per tensor (its name, type, shape and offsets as JSON or pickle), beyond a fixed base. */
    static final long HEADER_BYTES_PER_TENSOR = 512;
    static final long HEADER_BYTES_BASE = 64 * 1024;
    /** For files no architecture bounds more tightly: 1 GiB of tensors (ResNet-50 takes 0.1 GiB), 100,000 tensors. */
    public static final ReadLimits DEFAULT = new ReadLimits(1L << 30, 100_000, "any model Kodiak reads", Map.of(), false);

    public ReadLimits {
        if (maxBytes < 0 || maxTensors < 0) {
            throw new KodiakException("read limits cannot be negative, got " + maxBytes + " bytes and " + maxTensors
                    + " tensors");
        }
        what = what == null || what.isBlank() ? "this model" : what;
        Map<String, long[]> copy = new LinkedHashMap<>();
        (shapes == null ? Map.<String, long[]>of() : shapes).forEach((k, v) -> copy.put(k, v.clone()));
        shapes = java.util.Collections.unmodifiableMap(copy);
    }

    /** Exactly {@code bytes} of tensor data in at most {@code tensors} tensors: what {@code what} needs. */
    public static ReadLimits forTensors(long bytes, int tensors, String what) {
        return new ReadLimits(bytes, tensors, what, Map.of(), false);
    }

    /**
     * These limits with each tensor named in {@code expected} held to that shape before any data is read; with
     * {@code onlyThese} a tensor of any other name is refused as well.
     */
    public ReadLimits withShapes(Map<String, long[]> expected, boolean onlyThese) {
        return new ReadLimits(maxBytes, maxTensors, what, expected, onlyThese);
    }

    /**
     * These limits grown by {@code bytes} in {@code more.size()} more tensors of the given shapes (e.g. a
     * classifier's last layer on top of a body), for {@code newWhat}.
     */
    public ReadLimits plus(long bytes, Map<String, long[]> more, String newWhat) {
        Map<String, long[]> all = new LinkedHashMap<>(shapes);
        all.putAll(more);
        return new ReadLimits(Math.addExact(maxBytes, bytes), Math.addExact(maxTensors, more.size()), newWhat, all,
                exactNames);
    }

    /** These limits scaled for state that holds {@code factor} values per weight (e.g. an optimizer's moments). */
    public ReadLimits times(int factor, String newWhat) {
        return new ReadLimits(Math.multiplyExact(maxBytes, factor), Math.multiplyExact(maxTensors, factor), newWhat,
                Map.of(), false);
    }

    /** The most bytes of header (safetensors JSON, a pickle) that describing {@link #maxTensors} tensors takes. */
    public long headerBytes() {
        return HEADER_BYTES_BASE + HEADER_BYTES_PER_TENSOR * maxTensors;
    }

    /** The largest safetensors file these limits allow: length prefix, header and data. */
    public long fileBytes() {
        return 8 + headerBytes() + maxBytes;
    }

    /** Refuses a file that declares more than {@link #maxTensors} tensors. */
    void checkTensorCount(long declared, String source) {
        if (declared > maxTensors) {
            throw new KodiakException("refusing " + source + ": it declares " + declared + " tensors, more than the "
                    + maxTensors + " of " + what + " (a crafted file, or weights of another model?)");
        }
    }

    /** Refuses a tensor whose declared shape is not the one {@link #shapes} expects for its name. */
    void checkShape(String name, long[] shape, String source) {
        long[] expected = shapes.get(name);
        if (expected == null) {
            if (exactNames) {
                throw new KodiakException("refusing " + source + ": it holds the tensor " + name + ", which " + what
                        + " does not have (a crafted file, or weights of another model?)");
            }
            return;
        }
        boolean fits = expected.length == shape.length;
        for (int d = 0; fits && d < shape.length; d++) {
            fits = expected[d] == ANY ? shape[d] > 0 : expected[d] == shape[d];
        }
        if (!fits) {
            throw new KodiakException("refusing " + source + ": tensor " + name + " has the shape "
                    + Arrays.toString(shape) + ", but in " + what + " it is " + Arrays.toString(expected)
                    .replace(String.valueOf(ANY), "N") + " (a crafted file, or weights of another model?)");
        }
    }

    /** Refuses a file whose tensors declare more than {@link #maxBytes} bytes. */
    void checkTensorBytes(long declared, String source) {
        if (declared > maxBytes) {
            throw new KodiakException("refusing " + source + ": its tensors declare " + declared + " bytes, more than"
                    + " the " + maxBytes + " that " + what + " takes (a crafted file, or weights of another model?)");
        }
    }
}
