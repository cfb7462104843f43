package dev.kodiak.io;

import dev.kodiak.KodiakException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor as a weight file stores it: element type, shape and the raw elements, row-major (contiguous)
 * and little-endian. Engine-agnostic: the readers and writers of {@code dev.kodiak.io} speak only this type.
 *
 * <p>The arrays are shared, not copied (weights run to hundreds of megabytes): treat them as read-only.
 */
public record TensorData(String name, DType dtype, long[] shape, byte[] data) {
    public TensorData {
        if (name == null || name.isEmpty()) {
            throw new KodiakException("a tensor needs a non-empty name");
        }
        if (dtype == null || shape == null || data == null) {
            throw new KodiakException("tensor " + name + ": dtype, shape and data are required");
        }
        long numel = numel(shape, name);
        if (numel * dtype.byteSize() != data.length) {
            throw new KodiakException("tensor " + name + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + numel * dtype.byteSize() + " bytes, got " + data.length);
        }
    }

    /** A float32 tensor holding {@code values} (copied) with the given shape. */
    public static TensorData ofFloats(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorData(name, DType.F32, shape.clone(), b.array());
    }

    /** The number of elements. */
    public long numel() {
        return numel(shape, name);
    }

    /** The same tensor under another name. */
    public TensorData withName(String newName) {
        return new TensorData(newName, dtype, shape, data);
    }

    /** The elements as float32 (from any floating type; half and bfloat16 widen exactly). */
    public float[] toFloats() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                }
            }
            default -> throw new KodiakException("tensor " + name + " holds " + dtype + ", not floating-point numbers");
        }
        return out;
    }

    /** The shape as PyTorch prints it, e.g. {@code [64, 3, 7, 7]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    // IEEE 754 binary16 -> binary32 (Float.float16ToFloat arrives only in Java 20).
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero): exact in float
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static long numel(long[] shape, String name) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new KodiakException("tensor " + name + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + dtype.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString();
    }
}
