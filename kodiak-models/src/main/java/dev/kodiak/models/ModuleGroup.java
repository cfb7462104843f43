package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import org.bytedeco.pytorch.Module;

/**
 * A module that only names its children, as PyTorch's {@code nn.Sequential(OrderedDict(...))} or a plain container
 * does ({@code encoder.layers.encoder_layer_0}, {@code heads.head}), where libtorch's lists would number them.
 */
final class ModuleGroup extends NativeModule {
    /** Registers {@code module} under {@code name} and keeps it alive with this group; returns it. */
    <M extends Module> M put(String name, M module) {
        return add(name, module);
    }
}
