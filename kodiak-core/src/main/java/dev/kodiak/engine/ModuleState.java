package dev.kodiak.engine;

import dev.kodiak.io.DType;
import dev.kodiak.io.ReadLimits;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: a libtorch module's weights (parameters and buffers) as a {@link StateDict} in PyTorch's order, and
 * loading a state dict into a module after checking every name and shape.
 */
public final class ModuleState {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final String BATCHES_TRACKED = "num_batches_tracked";

    private ModuleState() {
    }

    /** Copies every parameter and buffer of {@code module} out, named as PyTorch's {@code state_dict()} does. */
    public static StateDict of(Module module) {
        List<TensorData> out = new ArrayList<>();
        try (StepScope scope = StepScope.open()) {
            targets(module).forEach((name, t) -> out.add(TorchTensors.fromTensor(name, t)));
        }
        return StateDict.of(out);
    }

    /**
     * What a weight file for {@code module} may hold: exactly the bytes, the number, the names and the shapes of its
     * parameters and buffers ({@code what} names the network in messages). Readers check files against it before reading any
     * tensor.
     */
    public static ReadLimits limits(Module module, String what) {
        try (StepScope scope = StepScope.open()) {
            long bytes = 0;
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : targets(module).entrySet()) {
                bytes = Math.addExact(bytes, e.getValue().nbytes());
                shapes.put(e.getKey(), e.getValue().sizes().vec().get());
            }
            return ReadLimits.forTensors(bytes, shapes.size(), what).withShapes(shapes, true);
        }
    }

    /**
     * The problems that stop {@code dict} from loading into {@code module}: missing, unexpected and wrong-shaped
     * tensors, each with its name. Empty when it fits. A missing BatchNorm {@code num_batches_tracked} is not a
     * problem (older checkpoints do not have it and evaluation never reads it).
     */
    public static List<String> problems(Module module, StateDict dict) {
        return problems(module, dict, false);
    }

    /**
     * Like {@link #problems(Module, StateDict)}; with {@code exactTypes} a tensor whose element type differs from
     * the module's (e.g. F16 in the file for an F32 parameter) is a problem too, instead of being converted on load.
     * Model files use this: they are written by Kodiak, so any other type means the file is not what it claims.
     */
    public static List<String> problems(Module module, StateDict dict, boolean exactTypes) {
        try (StepScope scope = StepScope.open()) {
            return problems(targets(module), dict, exactTypes);
        }
    }

    /**
     * Copies {@code dict} into {@code module}'s parameters and buffers (converting floating types), or throws one
     * error listing every mismatch. {@code what} names the network and {@code source} the file, for the message.
     */
    public static void load(Module module, StateDict dict, String what, String source) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            Map<String, Tensor> targets = targets(module);
            List<String> problems = problems(targets, dict, false);
            if (!problems.isEmpty()) {
                throw new KodiakException("the weights in " + source + " do not fit " + what + ": "
                        + String.join("; ", problems) + ". Check that they were made for this architecture.");
            }
            for (Map.Entry<String, Tensor> e : targets.entrySet()) {
                TensorData data = dict.get(e.getKey());
                if (data != null) {
                    e.getValue().copy_(TorchTensors.toTensor(data));
                }
            }
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KodiakException("cannot copy the weights of " + source + " into " + what + ": " + e.getMessage(), e);
        }
    }

    private static List<String> problems(Map<String, Tensor> targets, StateDict dict, boolean exactTypes) {
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        List<String> wrongType = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            TensorData data = dict.get(e.getKey());
            long[] shape = e.getValue().sizes().vec().get();
            if (data == null) {
                if (!e.getKey().endsWith("." + BATCHES_TRACKED) && !e.getKey().equals(BATCHES_TRACKED)) {
                    missing.add(e.getKey());
                }
            } else if (!Arrays.equals(shape, data.shape())) {
                wrongShape.add(e.getKey() + " (file " + data.shapeString() + ", model " + Arrays.toString(shape) + ")");
            } else if (exactTypes) {
                DType expected = TorchTensors.dtype(e.getValue().scalar_type().intern(), e.getKey());
                if (data.dtype() != expected) {
                    wrongType.add(e.getKey() + " (file " + data.dtype() + ", model " + expected + ")");
                }
            }
        }
        for (String name : dict.names()) {
            if (!targets.containsKey(name)) {
                unexpected.add(name);
            }
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " missing: " + String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            problems.add(unexpected.size() + " unexpected: " + String.join(", ", unexpected));
        }
        if (!wrongShape.isEmpty()) {
            problems.add(wrongShape.size() + " with the wrong shape: " + String.join(", ", wrongShape));
        }
        if (!wrongType.isEmpty()) {
            problems.add(wrongType.size() + " with the wrong type: " + String.join(", ", wrongType));
        }
        return problems;
    }

    // Per module, parameters then buffers: the order of PyTorch's state_dict(), so files compare line by line.
    private static Map<String, Tensor> targets(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        StringSharedModuleDict modules = module.named_modules();
        for (long i = 0; i < modules.size(); i++) {
            BytePointer key = modules.get(i).key();
            String prefix = key == null ? "" : key.getString(); // the root's empty name arrives as null
            Module m = modules.get(i).value();
            String dot = prefix.isEmpty() ? "" : prefix + ".";
            add(out, dot, m.named_parameters(false));
            add(out, dot, m.named_buffers(false));
        }
        return out;
    }

    private static void add(Map<String, Tensor> out, String prefix, StringTensorDict dict) {
        for (long i = 0; i < dict.size(); i++) {
            out.put(prefix + dict.get(i).key().getString(), dict.get(i).value());
        }
    }
}
