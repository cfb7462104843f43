package dev.kodiak.cli;

import dev.kodiak.model.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which of the evaluated images a model was trained on, from what its manifest records: an image of the model's
 * own training data that is in neither its validation nor its test files was in its training set. A model scored on
 * images it trained on looks better than it is, so {@code compare} says so loudly.
 *
 * @param known   false when the model was trained on another folder (then nothing can be said)
 * @param trained how many of the images the model trained on
 */
record TrainingOverlap(boolean known, int trained) {
    /**
     * @param m         the model's manifest
     * @param reference the manifest whose recorded split named the images (model A's), or null when the images are
     *                  every labelled image of {@code data}
     * @param data      the folder the images are in
     * @param files     the images
     */
    static TrainingOverlap of(Manifest m, Manifest reference, Path data, List<Path> files) {
        Manifest.Data t = m.trainingData();
        if (t == null || !sameData(t, reference == null ? null : reference.trainingData(), data)) {
            return new TrainingOverlap(false, 0);
        }
        Set<String> heldOut = new HashSet<>();
        heldOut.addAll(t.validFiles() == null ? List.of() : t.validFiles());
        heldOut.addAll(t.testFiles() == null ? List.of() : t.testFiles());
        Path root = data.toAbsolutePath().normalize();
        int trained = 0;
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            String rel = abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
            trained += heldOut.contains(rel) ? 0 : 1;
        }
        return new TrainingOverlap(true, trained);
    }

    // The model's training data is the evaluated data when it was this very folder, or when the images are named by
    // the reference model's recorded split and both models recorded the same data (same folder or same fingerprint).
    private static boolean sameData(Manifest.Data t, Manifest.Data reference, Path data) {
        if (t.root() != null && sameFolder(Path.of(t.root()), data)) {
            return true;
        }
        return reference != null && ((t.root() != null && t.root().equals(reference.root()))
                || (t.fingerprint() != null && Objects.equals(t.fingerprint(), reference.fingerprint())));
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isDirectory(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
