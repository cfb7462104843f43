package dev.kodiak.vision.learn;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.learn.TrainableModel;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.models.VisionModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: a {@link VisionModel} as the learner sees it. The parameter groups are taken once, outside any
 * step scope, so their handles live as long as the model.
 */
final class VisionNet implements TrainableModel {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final VisionModel model;
    private final List<List<Tensor>> groups;

    VisionNet(VisionModel model) {
        this.model = model;
        List<List<Tensor>> g = new ArrayList<>();
        for (List<Tensor> group : model.parameterGroups()) {
            List<Tensor> kept = new ArrayList<>();
            for (Tensor t : group) {
                NativeTensors.unwrap(t).retainReference();
                kept.add(t);
            }
            g.add(List.copyOf(kept));
        }
        this.groups = List.copyOf(g);
    }

    VisionModel visionModel() {
        return model;
    }

    @Override
    public Tensor forward(Tensor x) {
        return model.forward(x);
    }

    @Override
    public List<List<Tensor>> parameterGroups() {
        return groups;
    }

    @Override
    public NativeModule module() {
        return model;
    }

    @Override
    public String architectureName() {
        return model.architecture().name();
    }
}
