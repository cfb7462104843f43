package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Moves tensors and modules between {@link Device}s.
 *
 * <p>Internal: signatures use libtorch's types; users pick a {@link Device} and Kodiak moves things for them.
 */
public final class Devices {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private Devices() {
    }

    /** The device {@code t} lives on. */
    public static Device of(Tensor t) {
        org.bytedeco.pytorch.Device d = t.device();
        try {
            if (d.is_cpu()) {
                return Device.cpu();
            }
            if (d.is_cuda()) {
                return Device.cuda(Math.max(0, d.index()));
            }
            throw new KodiakException("tensor is on a device Kodiak does not support: " + d.str().getString());
        } finally {
            d.close();
        }
    }

    /** {@code t} on {@code device}: {@code t} itself when it is already there, otherwise a copy there. */
    public static Tensor to(Tensor t, Device device) {
        requireAvailable(device);
        if (of(t).equals(device)) {
            return t;
        }
        try (org.bytedeco.pytorch.Device d = toNative(device)) {
            return NativeErrors.call("moving a tensor to " + device, () -> t.to(d, t.scalar_type()));
        }
    }

    /** Moves every parameter and buffer of {@code module} (and its submodules) to {@code device}, in place. */
    public static void to(Module module, Device device) {
        requireAvailable(device);
        try (org.bytedeco.pytorch.Device d = toNative(device)) {
            NativeErrors.run("moving the model to " + device, () -> module.to(d, false));
        }
    }

    /** libtorch's device object for {@code device}; the caller closes it (or lets a scope free it). */
    public static org.bytedeco.pytorch.Device toNative(Device device) {
        Engine.init();
        return device.isCuda()
                ? new org.bytedeco.pytorch.Device(torch.DeviceType.CUDA, (byte) device.index())
                : new org.bytedeco.pytorch.Device(torch.DeviceType.CPU);
    }

    /** Fails with what to do when {@code device} cannot be used in this process. */
    public static void requireAvailable(Device device) {
        if (!device.isCuda()) {
            return;
        }
        if (!Device.cudaAvailable()) {
            throw new KodiakException("device " + device + " requested but libtorch cannot use a CUDA GPU here "
                    + "(this is the CPU build, or no GPU/driver was found). Build Kodiak with -Pcuda on a machine "
                    + "with an NVIDIA GPU, or use --device cpu.");
        }
        int count = torch.cuda_device_count();
        if (device.index() >= count) {
            throw new KodiakException("device " + device + " requested but only " + count
                    + " CUDA GPU(s) are visible (cuda:0 to cuda:" + (count - 1) + ")");
        }
    }
}
