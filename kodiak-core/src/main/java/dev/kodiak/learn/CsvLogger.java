package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends every epoch's row (phase, epoch, train_loss, valid_loss, metrics, seconds) to a CSV file. */
public final class CsvLogger implements Callback {
    private final Path file;
    private boolean headerWritten;

    public CsvLogger(Path file) {
        this.file = file;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public void afterEpoch(Learner learn) {
        if (!learn.isMainRank()) {
            return; // rank 0 logs the run's epochs; the others' rows are the same
        }
        EpochResult r = learn.recorder().lastEpoch();
        StringBuilder line = new StringBuilder();
        try {
            if (!headerWritten && (!Files.exists(file) || Files.size(file) == 0)) {
                line.append("phase,epoch,train_loss,valid_loss");
                r.metrics().keySet().forEach(k -> line.append(',').append(k));
                line.append(",seconds\n");
            }
            headerWritten = true;
            line.append(r.phase()).append(',').append(r.epoch()).append(',').append(r.trainLoss()).append(',')
                    .append(r.validLoss());
            r.metrics().values().forEach(v -> line.append(',').append(v));
            line.append(',').append(r.seconds()).append('\n');
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(line.toString());
            }
        } catch (IOException e) {
            throw new KodiakException("cannot write the training log " + file + ": " + e.getMessage(), e);
        }
    }
}
