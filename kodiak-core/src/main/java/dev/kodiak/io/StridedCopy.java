package dev.kodiak.io;

import dev.kodiak.KodiakException;
import dev.kodiak.io.RestrictedUnpickler.TensorRef;
import java.util.Arrays;

/** Turns a strided view into a storage (how PyTorch describes a tensor) into contiguous row-major bytes. */
final class StridedCopy {
    private StridedCopy() {
    }

    static byte[] gather(TensorRef ref, byte[] storage, String name, String source) {
        int elem = ref.storage().dtype().byteSize();
        long[] size = ref.size();
        long[] stride = ref.stride();
        long numel = TensorData.numel(size, name);
        if (numel == 0) {
            return new byte[0];
        }
        long last;
        try {
            last = ref.offset();
            for (int d = 0; d < size.length; d++) {
                last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException overflow) { // e.g. a stride of 2^62: the sum would wrap and pass the check below
            throw new KodiakException("refusing " + source + ": tensor " + name + " of shape " + Arrays.toString(size)
                    + " has strides " + Arrays.toString(stride) + " that reach past any storage (crafted file?)");
        }
        if (last >= ref.storage().numel()) {
            throw new KodiakException("cannot load " + source + ": tensor " + name + " of shape " + Arrays.toString(size)
                    + " reaches element " + last + " of a storage of " + ref.storage().numel() + " (crafted file?)");
        }
        byte[] out = new byte[Math.toIntExact(Math.multiplyExact(numel, elem))];
        if (isContiguous(size, stride)) {
            System.arraycopy(storage, Math.toIntExact(ref.offset() * elem), out, 0, out.length);
            return out;
        }
        long[] index = new long[size.length];
        for (int i = 0; i < numel; i++) {
            long src = ref.offset();
            for (int d = 0; d < size.length; d++) {
                src += index[d] * stride[d];
            }
            System.arraycopy(storage, (int) (src * elem), out, i * elem, elem);
            for (int d = size.length - 1; d >= 0; d--) { // odometer over the row-major index
                if (++index[d] < size[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    static void swapBytes(byte[] data, int elem) {
        for (int i = 0; i + elem <= data.length; i += elem) {
            for (int a = i, b = i + elem - 1; a < b; a++, b--) {
                byte t = data[a];
                data[a] = data[b];
                data[b] = t;
            }
        }
    }
}
