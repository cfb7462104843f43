package dev.kodiak.gather;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What {@link Gatherer} tells as it goes; every method is optional. */
public interface GatherProgress {
    /** Says nothing. */
    GatherProgress NONE = new GatherProgress() {
    };

    /** The search for {@code label} starts. */
    default void searching(String label, String query) {
    }

    /** {@code results} search results of {@code label} are about to be fetched. */
    default void labelStarted(String label, int results) {
    }

    /** One more result of {@code label} is done (kept, skipped or rejected). */
    default void advanced(String label) {
    }

    /** All of {@code label} is done. */
    default void labelFinished(GatherReport.Label report) {
    }

    /** A progress bar per label on {@code out} (use it only on a terminal). */
    static GatherProgress bars(PrintStream out) {
        return new GatherProgress() {
            private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();

            @Override
            public void labelStarted(String label, int results) {
                bars.put(label, new ProgressBarBuilder().setTaskName(label).setInitialMax(results)
                        .setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(200).build());
            }

            @Override
            public void advanced(String label) {
                ProgressBar bar = bars.get(label);
                if (bar != null) {
                    bar.step();
                }
            }

            @Override
            public void labelFinished(GatherReport.Label report) {
                ProgressBar bar = bars.remove(report.label());
                if (bar != null) {
                    bar.close();
                }
            }
        };
    }
}
