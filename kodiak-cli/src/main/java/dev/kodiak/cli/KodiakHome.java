package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where Kodiak is installed (set by the launcher), and the embedded demo dataset inside it. */
final class KodiakHome {
    private KodiakHome() {
    }

    static Path home() {
        String prop = System.getProperty("kodiak.home");
        if (prop == null || prop.isBlank()) {
            prop = System.getenv("KODIAK_HOME");
        }
        return prop == null || prop.isBlank() ? Path.of("").toAbsolutePath() : Path.of(prop);
    }

    /** The embedded demo data (750 clip-art drawings: animals, flags, food). */
    static Path demoData() {
        Path demo = home().resolve("data").resolve("clipart3");
        if (!Files.isDirectory(demo)) {
            throw new KodiakException("no data folder given and the demo data is not at " + demo
                    + ": pass a folder of images (one sub-folder per label), or run Kodiak through its ./kodiak launcher");
        }
        return demo;
    }

    /** The embedded sound demo data (160 one-second clips of four spoken words, mixed containers). */
    static Path demoAudio() {
        Path demo = home().resolve("data").resolve("words4");
        if (!Files.isDirectory(demo)) {
            throw new KodiakException("no data folder given and the sound demo data is not at " + demo
                    + ": pass a folder of sound files (one sub-folder per label), or run Kodiak through its ./kodiak launcher");
        }
        return demo;
    }

    /** {@code dir}, or the demo data when it is null. */
    static Path dataOrDemo(Path dir) {
        return dir == null ? demoData() : dir;
    }
}
