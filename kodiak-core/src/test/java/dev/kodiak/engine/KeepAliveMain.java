package dev.kodiak.engine;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Run in a child JVM by {@link KeepAliveTest}: builds a network whose batch norms are reachable only through C++
 * containers (a Sequential and a ModuleList), runs it, forces garbage collections, churns native memory, runs it
 * again and prints both output sums. With {@code unkept} it skips NativeModule's keep-alive (the bug's control).
 */
public final class KeepAliveMain {
    private KeepAliveMain() {
    }

    static final class Net extends NativeModule {
        private final Conv2dImpl conv;
        private final SequentialImpl seq;
        private final ModuleListImpl list;

        Net(boolean keepAlive) {
            conv = add("conv", Layers.conv2d(3, 8, 3, 1, 1, true));
            seq = add("seq", new SequentialImpl());
            list = add("list", new ModuleListImpl());
            BatchNorm2dImpl bn1 = Layers.batchNorm2d(8);
            BatchNorm2dImpl bn2 = Layers.batchNorm2d(8);
            if (keepAlive) {
                seq.push_back(keep(bn1));
                append(list, bn2);
            } else {
                seq.push_back(bn1);
                list.push_back(bn2);
            }
        }

        Tensor forward(Tensor x) {
            Tensor h = seq.forward(conv.forward(x));
            BatchNorm2dImpl bn2 = new BatchNorm2dImpl(list.get(0));   // a fresh Java view of the C++ module
            return bn2.forward(h);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean keepAlive = args.length == 0 || !args[0].equals("unkept");
        Engine.init();
        Engine.seed(5);
        Net net = new Net(keepAlive);
        net.eval();
        Tensor x = torch.randn(2, 3, 8, 8);
        float before = sum(net, x);
        List<Object> churn = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(150);
            // reuse freed native memory, as a running program would
            for (int i = 0; i < 20; i++) {
                churn.add(Layers.batchNorm2d(8));
                churn.add(torch.full(new long[] {8}, new org.bytedeco.pytorch.Scalar(1e6f)));
            }
        }
        float after = sum(net, x);
        System.out.println("before=" + before);
        System.out.println("after=" + after);
        System.out.println("churned=" + churn.size());
    }

    private static float sum(Net net, Tensor x) {
        try (var s = StepScope.open(); var g = Engine.noGrad()) {
            return Tensors.scalar(net.forward(x).sum());
        }
    }
}
