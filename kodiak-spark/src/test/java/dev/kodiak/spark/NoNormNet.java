package dev.kodiak.spark;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.ModelWriter;
import dev.kodiak.learn.TrainableModel;
import dev.kodiak.model.Manifest;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Two convolutions and a linear head, no BatchNorm (whose batch statistics are per rank): data-parallel training of
 * it must end where one process with the whole batch ends. Written as a model file with {@link #writer}.
 */
final class NoNormNet extends NativeModule implements TrainableModel {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    final Conv2dImpl conv1;
    final Conv2dImpl conv2;
    final LinearImpl head;

    NoNormNet(int classes) {
        conv1 = add("conv1", conv3x3(3, 8, 1));
        conv2 = add("conv2", conv3x3(8, 8, 2));
        head = add("head", new LinearImpl(new LinearOptions(8, classes)));
    }

    private static Conv2dImpl conv3x3(long in, long out, long stride) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(3, 3));
        o.stride().put(new long[] {stride, stride}); // an array: put(i, v) would write at index i (ENGINE.md)
        o.padding().put(new LongPointer(1, 1));
        return new Conv2dImpl(o);
    }

    @Override
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        Tensor h = torch.relu(conv1.forward(NativeTensors.unwrap(x)));
        h = torch.relu(conv2.forward(h)).mean(new long[] {2, 3});
        return NativeTensors.wrap(head.forward(h));
    }

    @Override
    public List<List<dev.kodiak.tensor.Tensor>> parameterGroups() {
        return NativeTensors.wrapGroups(List.of(List.of(conv1.weight(), conv1.bias()),
                List.of(conv2.weight(), conv2.bias()), List.of(head.weight(), head.bias())));
    }

    @Override
    public NativeModule module() {
        return this;
    }

    @Override
    public String architectureName() {
        return "no-norm";
    }

    /** A minimal model file for a learner of this net (the tests read its weights back, nothing predicts with it). */
    static ModelWriter writer(List<String> labels) {
        return new ModelWriter() {
            @Override
            public Manifest manifest(Learner l) {
                return Manifest.of("test", "now", new Manifest.Model("no-norm", null),
                        Manifest.Input.image(null, List.of(), null),
                        new Manifest.Output("single_label", labels, "cross_entropy", null),
                        new Manifest.Training(null, l.pretrainedWith(), l.recipe(), null, null, "fp32", l.worldSize()));
            }

            @Override
            public dev.kodiak.io.StateDict weights(Learner l) {
                return ModuleState.of(l.model().module());
            }
        };
    }
}
