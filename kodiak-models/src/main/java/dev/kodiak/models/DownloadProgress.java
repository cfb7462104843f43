package dev.kodiak.models;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Reports a download's progress: a bar on a terminal, nothing otherwise (logs and CI stay clean). */
interface DownloadProgress extends AutoCloseable {
    /** {@code total} bytes expected (-1 if unknown), {@code done} already there (a resumed download). */
    void start(long total, long done);

    void advance(long bytes);

    @Override
    void close();

    /** Silent progress. */
    static DownloadProgress none() {
        return new DownloadProgress() {
            @Override
            public void start(long total, long done) {
            }

            @Override
            public void advance(long bytes) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** A progress bar named {@code task} when standard output is a terminal, else silence. */
    static DownloadProgress forTerminal(String task) {
        if (System.console() == null) {
            return none();
        }
        return new DownloadProgress() {
            private ProgressBar bar;

            @Override
            public void start(long total, long done) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII).setUnit("MB", 1 << 20).showSpeed().build();
                bar.stepTo(done);
            }

            @Override
            public void advance(long bytes) {
                if (bar != null) {
                    bar.stepBy(bytes);
                }
            }

            @Override
            public void close() {
                if (bar != null) {
                    bar.close();
                }
            }
        };
    }
}
