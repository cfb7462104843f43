package dev.kodiak.engine;

import org.bytedeco.pytorch.InferenceMode;

/**
 * A region in which libtorch records no gradients: {@code try (var g = Engine.noGrad()) { ... }} for validation,
 * or {@code Engine.inferenceMode()} for prediction.
 *
 * <p>Grad mode is per thread in libtorch, so a region must be closed on the thread that opened it; regions nest and
 * closing one restores what was in force when it opened.
 */
public final class GradMode implements AutoCloseable {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Thread owner = Thread.currentThread();
    private final boolean previous;   // grad mode to restore; unused for inference mode (its guard restores)
    private final InferenceMode inference;
    private boolean closed;

    private GradMode(boolean previous, InferenceMode inference) {
        this.previous = previous;
        this.inference = inference;
    }

    /** Gradients off until {@link #close()}; tensors made inside can still be used by training later. */
    static GradMode noGrad() {
        boolean before = org.bytedeco.pytorch.GradMode.is_enabled();
        org.bytedeco.pytorch.GradMode.set_enabled(false);
        return new GradMode(before, null);
    }

    /**
     * libtorch's inference mode: like {@link #noGrad()} and a little faster, but tensors made inside can never take
     * part in training (libtorch refuses them in autograd). Use it for prediction only.
     */
    static GradMode inference() {
        // A C++ guard object: constructing it enters the mode, deleting it restores the previous state.
        return new GradMode(true, new InferenceMode());
    }

    /** Whether libtorch records gradients on this thread right now. */
    public static boolean isEnabled() {
        return org.bytedeco.pytorch.GradMode.is_enabled();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a no-grad region must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        closed = true;
        if (inference != null) {
            // deallocate() runs the guard's destructor now, even if a PointerScope also holds it.
            inference.deallocate();
        } else {
            org.bytedeco.pytorch.GradMode.set_enabled(previous);
        }
    }
}
