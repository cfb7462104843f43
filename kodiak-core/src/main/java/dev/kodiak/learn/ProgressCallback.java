package dev.kodiak.learn;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints fastai's epoch table ({@code epoch  train_loss  valid_loss  <metrics>  time}, one row per epoch) to
 * the learner's log, and a progress bar per epoch on stderr when a terminal is attached.
 */
public final class ProgressCallback implements Callback {
    private final boolean bars;
    private boolean headerDone;
    private ProgressBar bar;
    private List<Integer> widths;

    public ProgressCallback() {
        this(System.console() != null && !"dumb".equals(System.getenv("TERM")));
    }

    ProgressCallback(boolean bars) {
        this.bars = bars;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void beforeFit(Learner learn) {
        headerDone = false;
    }

    @Override
    public void beforeTrain(Learner learn) {
        openBar(learn, "train", learn.iters());
    }

    @Override
    public void beforeValidate(Learner learn) {
        closeBar();
        openBar(learn, "valid", learn.dls().valid().batchCount());
    }

    @Override
    public void afterBatch(Learner learn) {
        if (bar != null) {
            bar.step();
            if (learn.training()) {
                bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", learn.lossValue()));
            }
        }
    }

    @Override
    public void afterEpoch(Learner learn) {
        closeBar();
        EpochResult r = learn.recorder().lastEpoch();
        if (r == null) {
            return;
        }
        PrintStream log = learn.log();
        if (!headerDone) {
            List<String> header = new ArrayList<>(List.of("epoch", "train_loss", "valid_loss"));
            header.addAll(r.metrics().keySet());
            header.add("time");
            widths = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String h : header) {
                int w = Math.max(h.length(), 10);
                widths.add(w);
                line.append(pad(h, w)).append("  ");
            }
            if (!"train".equals(learn.phase())) {
                log.println("phase: " + learn.phase());
            }
            log.println(line.toString().stripTrailing());
            headerDone = true;
        }
        List<String> cells = new ArrayList<>();
        cells.add(Integer.toString(r.epoch()));
        cells.add(number(r.trainLoss()));
        cells.add(number(r.validLoss()));
        for (double v : r.metrics().values()) {
            cells.add(number(v));
        }
        cells.add(time(r.seconds()));
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(pad(cells.get(i), widths.get(Math.min(i, widths.size() - 1)))).append("  ");
        }
        log.println(line.toString().stripTrailing());
        log.flush();
    }

    @Override
    public void afterFit(Learner learn) {
        closeBar();
    }

    private void openBar(Learner learn, String what, int total) {
        if (!bars || total <= 0) {
            return;
        }
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d %s", learn.epoch(), what))
                .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .continuousUpdate().build();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    static String number(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6f", v);
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
