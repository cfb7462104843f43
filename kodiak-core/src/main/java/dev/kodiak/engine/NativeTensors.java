package dev.kodiak.engine;

import dev.kodiak.tensor.Tensor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The one crossing between Kodiak's {@link Tensor} and libtorch's: engine-side code unwraps a Kodiak tensor to call
 * libtorch and wraps the result back. Users never need it; it lives here so that no public signature outside the
 * engine names a JavaCPP type.
 *
 * <p>It reaches {@link Tensor}'s private constructor and field through a private method-handle lookup rather than
 * through a callback object that {@code Tensor} installs: such an object's public methods would name libtorch's
 * tensor outside the engine. Constant method handles are inlined by the JIT, so a crossing costs one small object
 * (wrap) or nothing (unwrap).
 */
public final class NativeTensors {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final MethodHandle NEW;
    private static final MethodHandle NATIVE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Tensor.class, MethodHandles.lookup());
            NEW = lookup.findConstructor(Tensor.class, MethodType.methodType(void.class, org.bytedeco.pytorch.Tensor.class));
            NATIVE = lookup.findGetter(Tensor.class, "t", org.bytedeco.pytorch.Tensor.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeTensors() {
    }

    /** A Kodiak handle on {@code t} (no copy; {@code null} stays {@code null}). */
    public static Tensor wrap(org.bytedeco.pytorch.Tensor t) {
        if (t == null) {
            return null;
        }
        try {
            return (Tensor) NEW.invokeExact(t);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** The libtorch tensor behind {@code t} ({@code null} stays {@code null}). */
    public static org.bytedeco.pytorch.Tensor unwrap(Tensor t) {
        if (t == null) {
            return null;
        }
        try {
            return (org.bytedeco.pytorch.Tensor) NATIVE.invokeExact(t);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Wraps every tensor of a list, keeping its order. */
    public static List<Tensor> wrapAll(List<org.bytedeco.pytorch.Tensor> ts) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (org.bytedeco.pytorch.Tensor t : ts) {
            out.add(wrap(t));
        }
        return out;
    }

    /** Unwraps every tensor of a list, keeping its order. */
    public static List<org.bytedeco.pytorch.Tensor> unwrapAll(List<Tensor> ts) {
        List<org.bytedeco.pytorch.Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            out.add(unwrap(t));
        }
        return out;
    }

    /** Wraps every list of a list of lists (a model's parameter groups), keeping the order. */
    public static List<List<Tensor>> wrapGroups(List<List<org.bytedeco.pytorch.Tensor>> groups) {
        List<List<Tensor>> out = new ArrayList<>(groups.size());
        for (List<org.bytedeco.pytorch.Tensor> g : groups) {
            out.add(wrapAll(g));
        }
        return out;
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }
}
