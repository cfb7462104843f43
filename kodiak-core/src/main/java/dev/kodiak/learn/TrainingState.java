package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.ModuleState;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.io.TorchTensors;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Saving and restoring a learner mid-training: weights, optimizer state and hyper-parameters, and where in the
 * training it was (phase, last completed epoch, and a caller-defined plan), in the {@code .kodiak} zip format.
 */
public final class TrainingState {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingState() {
    }

    /** Writes weights + optimizer + {@code state} (phase, epoch, plan...) atomically. */
    public static void save(Learner learn, Path file, Map<String, Object> state) {
        learn.ensureOptimizer();
        List<TensorData> opt = new ArrayList<>();
        try (StepScope scope = StepScope.open()) {
            for (Map.Entry<String, Tensor> e : learn.optimizer().stateDict().entrySet()) {
                opt.add(TorchTensors.fromTensor(e.getKey(), e.getValue()));
            }
        }
        ObjectNode node = JSON.valueToTree(state);
        node.set("hyper", JSON.valueToTree(learn.optimizer().hyperState()));
        ModelFile.write(file, learn.writer().manifest(learn), learn.writer().weights(learn), StateDict.of(opt), node);
    }

    /**
     * Loads weights and optimizer state saved by {@link #save} into {@code learn} (same architecture, same
     * classes), and returns the saved state (phase, epoch, plan...).
     */
    public static JsonNode load(Learner learn, Path file) {
        ModelFile.Contents contents = ModelFile.read(file);
        ModuleState.load(learn.model().module(), contents.weights(), learn.model().architectureName(), file.toString());
        learn.ensureOptimizer();
        if (contents.optimizer().isPresent()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorData t : contents.optimizer().get().tensors()) {
                Tensor tensor = TorchTensors.toTensor(t);
                tensor.retainReference();
                tensors.put(t.name(), tensor);
            }
            learn.optimizer().loadStateDict(tensors);
        }
        JsonNode state = contents.state().orElse(JSON.createObjectNode());
        if (state.has("hyper")) {
            Map<String, Double> hyper = new LinkedHashMap<>();
            state.get("hyper").fields().forEachRemaining(e -> hyper.put(e.getKey(), e.getValue().asDouble()));
            try {
                learn.optimizer().loadHyperState(hyper);
            } catch (KodiakException e) {
                throw new KodiakException("checkpoint " + file + " does not fit this learner's optimizer: " + e.getMessage(), e);
            }
        }
        return state;
    }
}
