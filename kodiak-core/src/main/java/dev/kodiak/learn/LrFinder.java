package dev.kodiak.learn;

import dev.kodiak.data.Batch;
import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.learn.lrfind.LossSmoother;
import dev.kodiak.learn.lrfind.LrSuggestions;
import dev.kodiak.learn.lrfind.LrSweep;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * fastai's learning-rate finder: trains with an exponentially growing learning rate (1e-7 → 10 over at most
 * 100 batches), records the smoothed loss, stops when it exceeds 4× the best seen, then puts the weights and
 * optimizer state back as they were.
 */
final class LrFinder {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private LrFinder() {
    }

    static LrFindResult run(Learner learn, double startLr, double endLr, int numIt) {
        LrSweep sweep = new LrSweep(startLr, endLr, numIt, true);
        ModelSnapshot snapshot = ModelSnapshot.of(learn.model().module());
        learn.ensureOptimizer();
        var optimizerState = learn.optimizer().stateDict();
        var hyper = learn.optimizer().hyperState();
        List<Double> lrs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        LossSmoother smoother = new LossSmoother();
        int groups = learn.optimizer().groupCount();
        learn.model().module().train(true);
        try {
            int it = 0;
            int epoch = 0;
            boolean stop = false;
            while (it < sweep.numIt() && !stop) {
                Iterator<Batch> batches = learn.dls().train().epoch(epoch++).iterator();
                if (!batches.hasNext()) {
                    throw new dev.kodiak.KodiakException("lr-find needs at least one full training batch: "
                            + "the training set has " + learn.dls().train().size() + " items, the batch size is "
                            + learn.dls().train().batchSize());
                }
                while (batches.hasNext() && it < sweep.numIt() && !stop) {
                    double lr = sweep.lr(it);
                    for (int g = 0; g < groups; g++) {
                        learn.optimizer().setLr(g, lr);
                    }
                    double loss;
                    try (StepScope scope = StepScope.open()) {
                        Batch b = batches.next();
                        Tensor l;
                        try (Autocast a = Autocast.bf16(learn.autocast())) {
                            Tensor out = learn.model().forward(b.x());
                            l = learn.loss().mean(out.toFloat(), b.y());
                        }
                        l.backward();
                        learn.optimizer().step();
                        learn.optimizer().zeroGrad();
                        loss = l.item();
                    }
                    it++;
                    double smooth = smoother.add(loss);
                    lrs.add(lr);
                    losses.add(smooth);
                    stop = sweep.shouldStop(it, smooth);
                }
            }
        } finally {
            snapshot.restore(learn.model().module());
            learn.optimizer().loadStateDict(optimizerState);
            learn.optimizer().loadHyperState(hyper);
            learn.optimizer().zeroGrad();
        }
        double[] lr = lrs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] loss = losses.stream().mapToDouble(Double::doubleValue).toArray();
        return new LrFindResult(lr, loss, LrSuggestions.fromSweep(lr, loss, sweep.numIt()));
    }
}
