package dev.kodiak.learn;

import dev.kodiak.data.Batch;
import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.StepScope;
import dev.kodiak.learn.lrfind.LrSuggestions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * fastai's learning-rate finder: trains with an exponentially growing learning rate (1e-7 → 10 over at most
 * 100 batches), records the smoothed loss, stops when it exceeds 4× the best seen, then puts the weights and
 * optimizer state back as they were.
 */
final class LrFinder {
    private LrFinder() {
    }

    static LrFindResult run(Learner learn, double startLr, double endLr, int numIt) {
        if (!(startLr > 0 && endLr > startLr && numIt >= 2)) {
            throw new dev.kodiak.KodiakException("lr-find needs 0 < start < end and at least 2 iterations");
        }
        ModelSnapshot snapshot = ModelSnapshot.of(learn.model().module());
        learn.ensureOptimizer();
        var optimizerState = learn.optimizer().stateDict();
        List<Double> lrs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        double avg = 0;
        double best = Double.POSITIVE_INFINITY;
        int groups = learn.optimizer().groupCount();
        learn.model().module().train(true);
        try {
            int it = 0;
            int epoch = 0;
            outer:
            while (it < numIt) {
                Iterator<Batch> batches = learn.dls().train().epoch(epoch++).iterator();
                if (!batches.hasNext()) {
                    throw new dev.kodiak.KodiakException("lr-find needs at least one full training batch");
                }
                while (batches.hasNext() && it < numIt) {
                    double lr = startLr * Math.pow(endLr / startLr, (double) it / (numIt - 1));
                    for (int g = 0; g < groups; g++) {
                        learn.optimizer().setLr(g, lr);
                    }
                    double loss;
                    try (StepScope scope = StepScope.open()) {
                        Batch b = batches.next();
                        Tensor l;
                        try (Autocast a = Autocast.bf16(learn.autocast())) {
                            Tensor out = learn.model().forward(b.x());
                            l = learn.loss().mean(out.to(torch.ScalarType.Float), b.y());
                        }
                        l.backward();
                        learn.optimizer().step();
                        learn.optimizer().zeroGrad();
                        loss = l.item_float();
                    }
                    it++;
                    avg = Recorder.BETA * avg + (1 - Recorder.BETA) * loss;
                    double smooth = avg / (1 - Math.pow(Recorder.BETA, it));
                    lrs.add(lr);
                    losses.add(smooth);
                    best = Math.min(best, smooth);
                    if (!Double.isFinite(smooth) || (it > 1 && smooth > 4 * best)) {
                        break outer;
                    }
                }
            }
        } finally {
            snapshot.restore(learn.model().module());
            learn.optimizer().loadStateDict(optimizerState);
            learn.optimizer().zeroGrad();
        }
        double[] lr = lrs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] loss = losses.stream().mapToDouble(Double::doubleValue).toArray();
        return new LrFindResult(lr, loss, LrSuggestions.of(lr, loss));
    }
}
