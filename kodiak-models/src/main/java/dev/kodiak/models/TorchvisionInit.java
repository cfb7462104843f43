package dev.kodiak.models;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.HashSet;
import java.util.Set;
import org.bytedeco.pytorch.FanModeType;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Nonlinearity;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kFanOut;
import org.bytedeco.pytorch.kReLU;

/** Internal: the initialisation torchvision gives the convolutions and linear layers of its CNNs. */
final class TorchvisionInit {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private TorchvisionInit() {
    }

    /**
     * Every convolution of {@code network} Kaiming-normal with fan-out and ReLU's gain (torchvision's
     * {@code kaiming_normal_(mode="fan_out")}, and RegNet's {@code normal(0, √(2/fan_out))}, are the same), and every
     * convolution's bias (the squeeze-and-excitation's) zero when {@code zeroBiases} (EfficientNet, MobileNetV3; RegNet
     * keeps PyTorch's default there).
     */
    static void convolutions(Module network, boolean zeroBiases) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            StringTensorDict params = network.named_parameters();
            Set<String> convs = new HashSet<>();
            for (long i = 0; i < params.size(); i++) {
                Tensor p = params.get(i).value();
                if (p.dim() == 4) {
                    String name = params.get(i).key().getString();
                    convs.add(name.substring(0, name.length() - "weight".length()));
                    torch.kaiming_normal_(p, 0.0, new FanModeType(new kFanOut()), new Nonlinearity(new kReLU()));
                }
            }
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                if (zeroBiases && name.endsWith(".bias") && convs.contains(name.substring(0, name.length() - "bias".length()))) {
                    params.get(i).value().zero_();
                }
            }
        }
    }

    /** {@code layer}'s weight normal(0, {@code std}) and its bias zero (MobileNetV3's and RegNet's classifiers); none: nothing. */
    static void linear(LinearImpl layer, double std) {
        if (layer == null) {
            return;
        }
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            layer.weight().normal_(0, std, new GeneratorOptional());
            layer.bias().zero_();
        }
    }
}
