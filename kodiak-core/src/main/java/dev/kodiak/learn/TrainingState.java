package dev.kodiak.learn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.RandomState;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.TorchTensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
    private static final String RNG = "rng";

    private TrainingState() {
    }

    /**
     * Where a training run stood, as a checkpoint's {@code state.json} records it (with the optimizer's
     * hyper-parameters and libtorch's random generator, which {@link #save} adds).
     *
     * @param phase      {@code train}, {@code frozen} or {@code unfrozen}
     * @param epoch      the last completed epoch of the phase (-1: saved outside a fit, by {@link Learner#save})
     * @param epochs     epochs of the phase; null outside a fit
     * @param plan       the caller's plan (e.g. the CLI's options); null for none
     * @param recipe     the recipe being trained; null before the first
     * @param pretrained the weights the body started from
     * @param callbacks  what each resumable callback remembers, by its key; null for nothing
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Saved(String phase, int epoch, Integer epochs, JsonNode plan, Recipe recipe, String pretrained,
                        Map<String, JsonNode> callbacks) {
    }

    /** Writes weights + optimizer + {@code state} (phase, epoch, recipe, plan...) atomically. */
    public static void save(Learner learn, Path file, Saved state) {
        learn.ensureOptimizer();
        List<TensorData> opt = new ArrayList<>();
        try (StepScope scope = StepScope.open()) {
            for (Map.Entry<String, dev.kodiak.tensor.Tensor> e : learn.optimizer().stateDict().entrySet()) {
                opt.add(TorchTensors.fromTensor(e.getKey(), NativeTensors.unwrap(e.getValue())));
            }
        }
        ObjectNode node = JSON.valueToTree(state);
        node.set("hyper", JSON.valueToTree(learn.optimizer().hyperState()));
        // dropout draws from libtorch's global generator: a resumed run must go on from the same point
        node.put(RNG, Base64.getEncoder().encodeToString(RandomState.save()));
        ModelFile.write(file, learn.writer().manifest(learn), learn.writer().weights(learn), StateDict.of(opt), node);
    }

    /**
     * Loads weights and optimizer state saved by {@link #save} into {@code learn} (same architecture, same
     * classes), and returns the saved state (phase, epoch, plan...).
     */
    public static JsonNode load(Learner learn, Path file) {
        return load(learn, ModelFile.read(file), file);
    }

    /** {@link #load(Learner, Path)} of a file already read. */
    static JsonNode load(Learner learn, ModelFile.Contents contents, Path file) {
        ModuleState.load(learn.model().module(), contents.weights(), learn.model().architectureName(), file.toString());
        learn.ensureOptimizer();
        if (contents.optimizer().isPresent()) {
            Map<String, dev.kodiak.tensor.Tensor> tensors = new LinkedHashMap<>();
            for (TensorData t : contents.optimizer().get().tensors()) {
                Tensor tensor = TorchTensors.toTensor(t);
                tensor.retainReference();
                tensors.put(t.name(), NativeTensors.wrap(tensor));
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

    /**
     * Puts libtorch's global generator back to where it was when {@code state} was saved; false when the state has
     * none (a checkpoint of an older Kodiak), and the run cannot repeat the interrupted one's random draws.
     */
    static boolean restoreRandomState(JsonNode state, Path file) {
        JsonNode rng = state.get(RNG);
        if (rng == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(rng.asText());
        } catch (IllegalArgumentException e) {
            throw new KodiakException("checkpoint " + file + " has a damaged random-generator state (\"" + RNG
                    + "\" is not base64): " + e.getMessage() + ". Start the run again without --resume.", e);
        }
        RandomState.restore(bytes);
        return true;
    }
}
