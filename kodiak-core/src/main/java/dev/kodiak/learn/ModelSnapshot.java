package dev.kodiak.learn;

import dev.kodiak.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/** An in-memory copy of a network's parameters and buffers, to try something and then put the weights back. */
final class ModelSnapshot {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private ModelSnapshot() {
    }

    static ModelSnapshot of(Module module) {
        ModelSnapshot s = new ModelSnapshot();
        try (NoGradGuard g = new NoGradGuard()) {
            copyInto(s.tensors, module.named_parameters());
            copyInto(s.tensors, module.named_buffers());
        }
        return s;
    }

    void restore(Module module) {
        try (NoGradGuard g = new NoGradGuard()) {
            restoreFrom(module.named_parameters());
            restoreFrom(module.named_buffers());
        }
    }

    private static void copyInto(Map<String, Tensor> into, StringTensorDict dict) {
        for (long i = 0; i < dict.size(); i++) {
            Tensor copy = dict.get(i).value().clone();
            copy.retainReference(); // must outlive the caller's step scope
            into.put(dict.get(i).key().getString(), copy);
        }
    }

    private void restoreFrom(StringTensorDict dict) {
        for (long i = 0; i < dict.size(); i++) {
            Tensor saved = tensors.get(dict.get(i).key().getString());
            if (saved != null) {
                dict.get(i).value().copy_(saved);
            }
        }
    }
}
