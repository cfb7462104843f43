package dev.kodiak.engine;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;

/**
 * Base of every network Kodiak builds from libtorch modules.
 *
 * <p>Several libtorch modules (BatchNorm, Dropout, pooling, padding) are allocated by JavaCPP with plain
 * {@code new}, so Java's GC owns them. One that is referenced only from C++ (inside a Sequential or a
 * ModuleList) is freed by the next GC and the forward after it crashes. Registering through this class keeps
 * a Java reference to every submodule for the network's lifetime.
 *
 * <p>libtorch's {@code Module} is initialized before any code of a subclass runs, so this class cannot load the
 * natives safely itself: code that constructs a network first calls {@link Engine#init()} (Kodiak's classes do it in
 * their static initializers). Otherwise, on an empty JavaCPP cache, building the network as the process's first
 * libtorch use can crash the JVM.
 */
public abstract class NativeModule extends Module {
    private final List<Module> keepAlive = new ArrayList<>();

    protected NativeModule() {
        Engine.init();
    }

    /** Registers {@code module} under {@code name} and keeps it alive as long as this network. */
    protected final <M extends Module> M add(String name, M module) {
        keepAlive.add(module);
        return register_module(name, module);
    }

    /** Appends to a list that is registered elsewhere, keeping the element alive (its name is its index). */
    protected final <M extends Module> M append(ModuleListImpl list, M module) {
        keepAlive.add(module);
        list.push_back(module);
        return module;
    }

    /**
     * Keeps a module alive that is handed to C++ some other way (e.g. pushed into a Sequential with its typed
     * {@code push_back}); returns it for chaining.
     */
    protected final <M extends Module> M keep(M module) {
        keepAlive.add(module);
        return module;
    }

    /**
     * Frees this network's native memory now instead of at some later GC: every kept submodule (recursively), then
     * this module. The network must not be used afterwards. Idempotent.
     */
    public void release() {
        for (int i = keepAlive.size() - 1; i >= 0; i--) {
            Module m = keepAlive.get(i);
            if (m instanceof NativeModule n) {
                n.release();
            } else {
                m.close();
            }
        }
        keepAlive.clear();
        close();
    }
}
