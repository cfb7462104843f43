package dev.kodiak.engine;

import dev.kodiak.io.DType;
import dev.kodiak.io.TensorData;
import dev.kodiak.KodiakException;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Internal: the one place where {@link TensorData} (bytes) becomes a libtorch tensor and back. Tensors made here
 * belong to the caller's {@code StepScope}.
 */
public final class TorchTensors {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private TorchTensors() {
    }

    /** A new CPU tensor holding a copy of {@code data}. */
    public static Tensor toTensor(TensorData data) {
        checkLittleEndianMachine();
        Tensor t = torch.zeros(data.shape(), new TensorOptions(scalarType(data.dtype())));
        if (data.data().length > 0) {
            BytePointer p = new BytePointer(t.data_ptr()).capacity(data.data().length);
            p.put(data.data(), 0, data.data().length);
        }
        return t;
    }

    /** A copy of {@code tensor}'s elements (row-major, whatever its memory format) under {@code name}. */
    public static TensorData fromTensor(String name, Tensor tensor) {
        checkLittleEndianMachine();
        DType dtype = dtype(tensor.scalar_type(), name);
        Tensor c = tensor.device().is_cpu() ? tensor.contiguous() : tensor.cpu().contiguous();
        byte[] bytes = new byte[Math.toIntExact(c.nbytes())];
        if (bytes.length > 0) {
            new BytePointer(c.data_ptr()).capacity(bytes.length).get(bytes);
        }
        return new TensorData(name, dtype, c.sizes().vec().get(), bytes);
    }

    /** libtorch's scalar type for {@code dtype}. */
    public static ScalarType scalarType(DType dtype) {
        return switch (dtype) {
            case F64 -> ScalarType.Double;
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char;
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }

    /** Kodiak's type for a libtorch scalar type; {@code name} says which tensor in the error. */
    public static DType dtype(ScalarType type, String name) {
        // Compare native values: enums returned from native code carry the right value but not the right ordinal,
        // so a switch over them silently picks the wrong branch.
        for (DType d : DType.values()) {
            if (scalarType(d).value == type.value) {
                return d;
            }
        }
        throw new KodiakException("tensor " + name + " has type " + type + ", which weight files do not hold");
    }

    // Weight files are little-endian and raw bytes are copied as they are; every platform Kodiak ships for is too.
    private static void checkLittleEndianMachine() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new KodiakException("Kodiak reads weights only on little-endian machines");
        }
    }
}
