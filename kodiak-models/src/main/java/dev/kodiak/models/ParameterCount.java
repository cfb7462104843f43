package dev.kodiak.models;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.pytorch.TensorVector;

/**
 * How many learnable values an architecture has with its source's 1000-class ImageNet classifier, the figure papers
 * and model zoos quote: counted on the built network (so it cannot drift from the code), once per process.
 */
public final class ParameterCount {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final Map<String, Long> COUNTED = new ConcurrentHashMap<>();

    private ParameterCount() {
    }

    /** The parameters (not the BatchNorm statistics) of {@code architecture} with a 1000-class classifier. */
    public static long imagenet(Architecture architecture) {
        return COUNTED.computeIfAbsent(architecture.name(), n -> count(architecture.newClassifier(1000)));
    }

    private static long count(Backbone net) {
        try (StepScope scope = StepScope.open()) {
            TensorVector parameters = net.parameters();
            long n = 0;
            for (long i = 0; i < parameters.size(); i++) {
                n += parameters.get(i).numel();
            }
            return n;
        } finally {
            net.release();
        }
    }
}
