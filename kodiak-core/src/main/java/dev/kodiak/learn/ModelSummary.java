package dev.kodiak.learn;

import dev.kodiak.data.Batch;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * fastai's {@code learn.summary()}: the model's layers with their parameter counts and whether they train
 * (frozen or not), the input and output shapes of one batch, and the totals.
 */
final class ModelSummary {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private ModelSummary() {
    }

    static String of(Learner learn) {
        Module root = learn.model().module();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s (%s)%n", learn.model().architectureName(), learn.phase()));
        out.append(String.format(Locale.ROOT, "%-40s %-18s %12s  %s%n", "layer", "type", "parameters", "trainable"));
        StringSharedModuleDict modules = root.named_modules();
        long total = 0;
        long trainable = 0;
        for (long i = 0; i < modules.size(); i++) {
            String name = modules.get(i).key() == null ? "" : modules.get(i).key().getString();
            Module m = modules.get(i).value();
            if (m.children().size() > 0) {
                continue; // leaves only: containers would count their children twice
            }
            StringTensorDict params = m.named_parameters(false);
            long n = 0;
            long t = 0;
            for (long j = 0; j < params.size(); j++) {
                Tensor p = params.get(j).value();
                n += p.numel();
                if (p.requires_grad()) {
                    t += p.numel();
                }
            }
            total += n;
            trainable += t;
            String state = n == 0 ? "" : t == n ? "yes" : t == 0 ? "frozen" : "partly (" + t + ")";
            out.append(String.format(Locale.ROOT, "%-40s %-18s %,12d  %s%n", name.isEmpty() ? "(root)" : name,
                    m.name().getString().replace("torch::nn::", ""), n, state));
        }
        out.append(String.format(Locale.ROOT, "total parameters: %,d; trainable: %,d; frozen: %,d%n", total, trainable,
                total - trainable));
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            boolean wasTraining = root.is_training();
            root.train(false);
            Batch b = learn.dls().valid().oneBatch();
            var y = learn.model().forward(b.x());
            root.train(wasTraining);
            out.append(String.format(Locale.ROOT, "input %s -> output %s%n", Arrays.toString(b.x().shape()),
                    Arrays.toString(y.shape())));
        }
        out.append(String.format(Locale.ROOT, "optimizer: %s; loss: %s%n", learn.optimizerName(), learn.loss().name()));
        return out.toString();
    }
}
