package dev.kodiak.learn;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.tensor.Tensor;
import java.util.List;

/**
 * What the learner needs of a network. Architectures (kodiak-vision) implement it; users pick them by name
 * ({@code Architectures.RESNET34}). Inputs, outputs and parameters are Kodiak {@link Tensor}s.
 */
public interface TrainableModel {
    /** The network's output for a batch of inputs. */
    Tensor forward(Tensor x);

    /**
     * The parameters in fastai's layer groups, body first and head last (for ResNets: stem + layer1-2,
     * layer3-4, head). Discriminative learning rates and freezing work on these groups.
     */
    List<List<Tensor>> parameterGroups();

    /** The network as the engine holds it (training/eval mode, named parameters and buffers for saving). */
    NativeModule module();

    /** The architecture's registry name, e.g. {@code resnet34}. */
    String architectureName();
}
