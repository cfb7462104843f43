package dev.kodiak.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * Mixed precision: inside this region eligible CPU operations (convolutions, matmuls) run in bfloat16 while
 * the weights stay float32. Use one region per step around forward and loss, never across the optimizer step.
 */
public final class Autocast implements AutoCloseable {
    private final boolean enabled;

    private Autocast(boolean enabled) {
        this.enabled = enabled;
        if (enabled) {
            torch.set_autocast_dtype(torch.DeviceType.CPU, torch.ScalarType.BFloat16);
            torch.set_autocast_enabled(torch.DeviceType.CPU, true);
        }
    }

    /** A bf16 region when {@code enabled}, otherwise a no-op region, so callers need no branches. */
    public static Autocast bf16(boolean enabled) {
        Engine.init();
        return new Autocast(enabled);
    }

    @Override
    public void close() {
        if (enabled) {
            torch.set_autocast_enabled(torch.DeviceType.CPU, false);
            // The autocast cache holds bf16 copies of the fp32 weights. Kept across steps they go stale after the
            // optimizer updates the weights and training silently stalls; clearing per region is what PyTorch does.
            torch.clear_cache();
        }
    }
}
