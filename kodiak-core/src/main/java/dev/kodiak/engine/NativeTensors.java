package dev.kodiak.engine;

import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The one crossing between Kodiak's {@link Tensor} and libtorch's: engine-side code unwraps a Kodiak tensor to call
 * libtorch and wraps the result back. Users never need it; it lives here so that no public signature outside the
 * engine names a JavaCPP type.
 */
public final class NativeTensors {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** How the engine reaches into a Kodiak tensor; installed by {@link Tensor}'s own static initializer. */
    public interface Access {
        /** Wraps a libtorch tensor without copying. */
        Tensor wrap(org.bytedeco.pytorch.Tensor t);

        /** The libtorch tensor behind a Kodiak one. */
        org.bytedeco.pytorch.Tensor unwrap(Tensor t);
    }

    private static volatile Access access;

    private NativeTensors() {
    }

    /** Called once by {@link Tensor}; a second caller is refused so nothing else can intercept the crossing. */
    public static void install(Access a) {
        synchronized (NativeTensors.class) {
            if (access != null) {
                throw new IllegalStateException("NativeTensors access is already installed");
            }
            access = a;
        }
    }

    /** A Kodiak handle on {@code t} (no copy; {@code null} stays {@code null}). */
    public static Tensor wrap(org.bytedeco.pytorch.Tensor t) {
        return t == null ? null : access().wrap(t);
    }

    /** The libtorch tensor behind {@code t} ({@code null} stays {@code null}). */
    public static org.bytedeco.pytorch.Tensor unwrap(Tensor t) {
        return t == null ? null : access().unwrap(t);
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

    private static Access access() {
        Access a = access;
        if (a == null) {
            Tensor.ensureInstalled(); // runs Tensor's static initializer, which installs the access
            a = access;
        }
        return a;
    }
}
