package dev.kodiak.cli;

import java.nio.file.Path;

/**
 * One run of {@code kodiak train}: where its model goes, the seed of its data split and the seed of its training
 * (head or random initialisation, shuffling, augmentation, dropout). The runs of {@code --seeds} are tagged: their
 * JSON lines carry their seed and their plots are named after it.
 */
record TrainingRun(Path model, long splitSeed, long trainSeed, boolean tagged) {
    /** The PNG file name of a plot, e.g. {@code loss.png}, or {@code loss-seed2.png} in a run of {@code --seeds}. */
    String plotFile(String plot) {
        return tagged ? plot + "-seed" + trainSeed + ".png" : plot + ".png";
    }
}
