package dev.kodiak.engine;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Frees, deterministically, every native object (tensor handle, options, vectors) created on this thread
 * while it is open. Wrap each training step and each predict call in one; {@link #keep} moves a result out.
 * Without it native memory is only returned when the Java GC runs, which for a training loop is far too late.
 */
public final class StepScope implements AutoCloseable {
    private final PointerScope scope;

    private StepScope() {
        Engine.init();
        this.scope = new PointerScope();
    }

    /** Opens a scope on the current thread; scopes nest. */
    public static StepScope open() {
        return new StepScope();
    }

    /**
     * Lets {@code pointer} outlive this scope. The caller owns it afterwards: it is freed by {@code close()}
     * on it, by an enclosing scope it is attached to, or by the GC.
     */
    public <P extends Pointer> P keep(P pointer) {
        pointer.retainReference();
        return pointer;
    }

    /**
     * Takes over a native object that another thread made and {@link #keep kept} (e.g. a batch prepared by a
     * loader thread): it is then freed when the innermost scope open on this thread closes, like the objects made
     * here. With no scope open it is left to the GC.
     */
    public static <P extends Pointer> P adopt(P pointer) {
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            scope.attach(pointer);
            pointer.releaseReference(); // the keep() of the thread that made it
        }
        return pointer;
    }

    @Override
    public void close() {
        scope.close();
    }
}
