package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The state of libtorch's global CPU generator as plain bytes. Training draws from it (dropout masks), so a run
 * continued from a checkpoint must put it back to where the interrupted run was for the next epoch to draw the
 * same numbers; {@link Engine#seed} alone would replay the draws of the first epoch.
 */
public final class RandomState {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private RandomState() {
    }

    /** A copy of the global generator's current state. */
    public static byte[] save() {
        try (PointerScope scope = new PointerScope()) {
            Generator generator = torch.getDefaultCPUGenerator();
            synchronized (RandomState.class) {
                Tensor state = generator.get_state().contiguous();
                byte[] out = new byte[(int) state.numel()];
                if (out.length > 0) {
                    new BytePointer(state.data_ptr()).capacity(out.length).get(out);
                }
                return out;
            }
        }
    }

    /** Puts back a state {@link #save} returned (in this or another process with the same libtorch). */
    public static void restore(byte[] state) {
        try (PointerScope scope = new PointerScope()) {
            Generator generator = torch.getDefaultCPUGenerator();
            synchronized (RandomState.class) {
                generator.set_state(Tensors.fromUint8(state, state.length));
            }
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw NativeErrors.wrap("cannot restore the random generator's state (" + state.length + " bytes)", e);
        }
    }
}
