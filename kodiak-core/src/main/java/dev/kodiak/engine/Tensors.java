package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Copies data between Java and libtorch tensors.
 *
 * <p>Every tensor made here owns its memory (allocated by libtorch), so it never aliases a Java array or buffer
 * that Java may move or free. Results are attached to the innermost open {@link StepScope}, like any tensor.
 *
 * <p>Internal: signatures use libtorch's {@link Tensor}.
 */
public final class Tensors {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private Tensors() {
    }

    /** A float32 tensor of {@code shape} holding a copy of {@code data} (row-major). */
    public static Tensor fromFloats(float[] data, long... shape) {
        Tensor t = allocate(ScalarType.Float, data.length, shape);
        if (data.length > 0) {
            new FloatPointer(t.data_ptr()).capacity(data.length).put(data);
        }
        return t;
    }

    /** An int64 tensor of {@code shape} holding a copy of {@code data} (labels, indices). */
    public static Tensor fromLongs(long[] data, long... shape) {
        Tensor t = allocate(ScalarType.Long, data.length, shape);
        if (data.length > 0) {
            new LongPointer(t.data_ptr()).capacity(data.length).put(data);
        }
        return t;
    }

    /** An int32 tensor of {@code shape} holding a copy of {@code data}. */
    public static Tensor fromInts(int[] data, long... shape) {
        Tensor t = allocate(ScalarType.Int, data.length, shape);
        if (data.length > 0) {
            new IntPointer(t.data_ptr()).capacity(data.length).put(data);
        }
        return t;
    }

    /** A uint8 tensor of {@code shape} holding a copy of {@code data}, each byte read as 0..255. */
    public static Tensor fromUint8(byte[] data, long... shape) {
        Tensor t = allocate(ScalarType.Byte, data.length, shape);
        if (data.length > 0) {
            new BytePointer(t.data_ptr()).capacity(data.length).put(data);
        }
        return t;
    }

    /**
     * A batch of 8-bit images as float32 [N, C, H, W] with values {@code pixel / 255} in 0..1.
     *
     * <p>{@code pixels} is a direct buffer holding, from its position, N images one after another, each H rows of
     * W pixels of C interleaved channel bytes (HWC, e.g. RGBRGB...). The conversion is one pass in libtorch: no
     * per-pixel Java loop and no intermediate copy. The result is <b>channels-last in memory</b> (strides of an
     * NHWC layout behind the NCHW shape), which convolutions handle at full speed; call {@code contiguous()} if a
     * consumer needs the NCHW layout. It owns its memory: {@code pixels} may be reused as soon as this returns.
     */
    public static Tensor fromUint8Hwc(ByteBuffer pixels, int n, int h, int w, int c) {
        if (pixels == null || !pixels.isDirect()) {
            throw new KodiakException("image batch must be a direct ByteBuffer (ByteBuffer.allocateDirect), got "
                    + (pixels == null ? "null" : "a heap buffer"));
        }
        if (n < 1 || h < 1 || w < 1 || c < 1) {
            throw new KodiakException("image batch size must be positive, got n=" + n + " h=" + h + " w=" + w
                    + " c=" + c);
        }
        long needed = (long) n * h * w * c;
        if (pixels.remaining() < needed) {
            throw new KodiakException("image batch buffer holds " + pixels.remaining() + " bytes from its position,"
                    + " but " + n + " images of " + w + "x" + h + "x" + c + " need " + needed);
        }
        Tensor result;
        try (PointerScope scope = new PointerScope()) {
            // A view over the Java buffer, valid only during this call; the division below writes a new tensor.
            BytePointer base = new BytePointer(pixels);
            Tensor hwc = torch.from_blob(base, new long[] {n, h, w, c}, new TensorOptions(ScalarType.Byte));
            // NCHW sizes over NHWC memory. The copy converts uint8 to float inside its kernel; a division straight
            // from uint8 would first cast the whole input into a batch-sized temporary (fresh pages every batch).
            long[] sizes = {n, c, h, w};
            long[] strides = {(long) h * w * c, 1, (long) w * c, c};
            Tensor nchw = floatBatch(sizes, strides, needed * 4);
            nchw.copy_(hwc.permute(0, 3, 1, 2));
            nchw.div_(new Scalar(255.0));
            result = nchw.retainReference();
        } finally {
            Reference.reachabilityFence(pixels);
        }
        return toCallerScope(result);
    }

    // Batch-sized inputs come from recycled memory (see BatchBuffers); small ones from libtorch's allocator.
    private static Tensor floatBatch(long[] sizes, long[] strides, long bytes) {
        if (bytes >= BatchBuffers.MIN_BYTES) {
            return BatchBuffers.empty(ScalarType.Float, sizes, strides, bytes);
        }
        return torch.empty_strided(sizes, strides, new TensorOptions(ScalarType.Float));
    }

    /** A tensor with integer values uniform in [low, high), of dtype int64 (libtorch's default would be float). */
    public static Tensor randint(long low, long high, long... shape) {
        if (high <= low) {
            throw new KodiakException("randint needs low < high, got [" + low + ", " + high + ")");
        }
        checkShape(shape);
        return torch.randint(low, high, shape, new TensorOptions(ScalarType.Long));
    }

    /** The values of {@code t} as floats in row-major order, whatever its dtype, layout or device. */
    public static float[] toFloats(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor c = prepared(t, ScalarType.Float);
            float[] out = new float[length(c)];
            if (out.length > 0) {
                new FloatPointer(c.data_ptr()).capacity(out.length).get(out);
            }
            return out;
        }
    }

    /** The values of {@code t} as longs in row-major order; floating values are truncated toward zero. */
    public static long[] toLongs(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor c = prepared(t, ScalarType.Long);
            long[] out = new long[length(c)];
            if (out.length > 0) {
                new LongPointer(c.data_ptr()).capacity(out.length).get(out);
            }
            return out;
        }
    }

    /**
     * Drops this Java handle now instead of when its step scope closes. The tensor itself lives on while anything
     * else holds it (autograd's saved tensors, another handle); when nothing does, its memory is freed at once. A
     * model's forward pass releases each intermediate as soon as the next layer has it, so that memory can be
     * reused within the pass (inference) and freed as the backward pass goes (training), as in PyTorch, rather
     * than every activation staying alive until the end of the step. Never use {@code t} afterwards, nor what an
     * in-place operation on it returned: {@code t.relu_()} returns {@code t} itself (the same Java object), and a
     * static {@code torch.xxx_out(t, ...)} returns a new Java object that owns nothing and points at {@code t}'s
     * native handle; releasing {@code t} invalidates both ("Pointer address ... is NULL", or a JVM crash).
     */
    public static void release(Tensor t) {
        t.close();
    }

    /** The sizes of {@code t}'s dimensions, e.g. {@code [64, 3, 224, 224]}; empty for a scalar. */
    public static long[] shape(Tensor t) {
        return t.shape();
    }

    /**
     * The element type of {@code t}, comparable with {@code ==}. libtorch hands back a fresh enum object on every
     * {@code scalar_type()} call (JavaCPP does not intern native enums), so {@code t.scalar_type() == Float} is
     * always false and {@code equals} fails too; {@code intern()} maps it to the Java constant.
     */
    public static ScalarType dtype(Tensor t) {
        return t.scalar_type().intern();
    }

    /** The value of a one-element tensor (a loss, a metric) as a float. */
    public static float scalar(Tensor t) {
        long n = t.numel();
        if (n != 1) {
            throw new KodiakException("expected a tensor with one value, got shape " + Arrays.toString(t.shape()));
        }
        return NativeErrors.call("reading a scalar tensor", t::item_float);
    }

    /** {@code t} as a contiguous CPU tensor of {@code type}; temporaries belong to the caller's scope. */
    private static Tensor prepared(Tensor t, ScalarType type) {
        return NativeErrors.call("copying a tensor to Java", () -> {
            Tensor c = t;
            if (!c.is_cpu()) {
                c = c.cpu();
            }
            if (dtype(c) != type) {
                c = c.to(type);
            }
            return c.contiguous();
        });
    }

    private static int length(Tensor t) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new KodiakException("tensor of shape " + Arrays.toString(t.shape())
                    + " is too large to copy into one Java array (" + n + " values)");
        }
        return (int) n;
    }

    private static Tensor allocate(ScalarType type, int length, long[] shape) {
        long numel = checkShape(shape);
        if (numel != length) {
            throw new KodiakException("shape " + Arrays.toString(shape) + " holds " + numel + " values but "
                    + length + " were given");
        }
        return torch.empty(shape, new TensorOptions(type), null);
    }

    private static long checkShape(long[] shape) {
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new KodiakException("tensor shape " + Arrays.toString(shape) + " has a negative size");
            }
            numel = Math.multiplyExact(numel, d);
        }
        return numel;
    }

    /**
     * Hands {@code t}, retained once while an inner scope closed, to the caller's scope (if any), so it is freed
     * with the caller's step like every other tensor instead of waiting for the GC.
     */
    static Tensor toCallerScope(Tensor t) {
        PointerScope outer = PointerScope.getInnerScope();
        if (outer != null) {
            outer.attach(t);
            t.releaseReference();
        }
        return t;
    }
}
