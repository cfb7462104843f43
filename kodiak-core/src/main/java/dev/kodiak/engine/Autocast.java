package dev.kodiak.engine;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Mixed precision: inside this region eligible operations (convolutions, matmuls) run in bfloat16 while the
 * weights stay float32. Use one region per step around forward and loss, never across the optimizer step:
 * {@code try (var a = Autocast.bf16(on)) { loss = lossFn(model(x), y); }}.
 *
 * <p>Autocast is per thread in libtorch: close a region on the thread that opened it. Regions nest; closing one
 * restores the state it found.
 */
public final class Autocast implements AutoCloseable {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Thread owner = Thread.currentThread();
    private final boolean enabled;
    private final DeviceType deviceType;
    private final boolean wasEnabled;
    private final ScalarType previousType;
    private boolean closed;

    private Autocast(boolean enabled, DeviceType deviceType) {
        this.enabled = enabled;
        this.deviceType = deviceType;
        if (enabled) {
            this.wasEnabled = torch.is_autocast_enabled(deviceType);
            this.previousType = torch.get_autocast_dtype(deviceType);
            torch.set_autocast_dtype(deviceType, ScalarType.BFloat16);
            torch.set_autocast_enabled(deviceType, true);
        } else {
            this.wasEnabled = false;
            this.previousType = null;
        }
    }

    /** A bf16 region on the CPU when {@code enabled}, otherwise a no-op region, so callers need no branches. */
    public static Autocast bf16(boolean enabled) {
        return bf16(enabled, Device.cpu());
    }

    /** A bf16 region for operations on {@code device} when {@code enabled}, otherwise a no-op region. */
    public static Autocast bf16(boolean enabled, Device device) {
        return new Autocast(enabled, device.isCuda() ? DeviceType.CUDA : DeviceType.CPU);
    }

    /** Whether bf16 autocast is on for CPU operations on this thread right now. */
    public static boolean isEnabled() {
        return torch.is_autocast_enabled(DeviceType.CPU);
    }

    @Override
    public void close() {
        if (!enabled || closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an autocast region must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        closed = true;
        torch.set_autocast_dtype(deviceType, previousType);
        torch.set_autocast_enabled(deviceType, wasEnabled);
        if (!wasEnabled) {
            // The autocast cache holds bf16 copies of the fp32 weights. Kept past the region they go stale once the
            // optimizer updates the weights, and training silently stalls (ENGINE.md #6). Leaving the outermost
            // region must drop them, as PyTorch's own autocast exit does.
            torch.clear_cache();
        }
    }
}
