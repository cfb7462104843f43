package dev.kodiak.learn;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal SPI: what the learner needs of a network. Architectures (kodiak-vision) implement it; users pick
 * them by name ({@code Architectures.RESNET34}) and never see this type's tensors.
 */
public interface TrainableModel {
    /** The network's output for a batch of inputs. */
    Tensor forward(Tensor x);

    /**
     * The parameters in fastai's layer groups, body first and head last (for ResNets: stem + layer1-2,
     * layer3-4, head). Discriminative learning rates and freezing work on these groups.
     */
    List<List<Tensor>> parameterGroups();

    /** The libtorch module (training/eval mode, named parameters and buffers for saving). */
    Module module();

    /** The architecture's registry name, e.g. {@code resnet34}. */
    String architectureName();
}
