package dev.kodiak.audio;

import dev.kodiak.io.FolderFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds the sound files of a dataset folder. */
public final class AudioFiles {
    /** The extensions Kodiak reads as sound, lower case, without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("wav", "flac", "mp3", "ogg", "m4a", "opus");
    /**
     * Extensions of sound formats Kodiak does not read (AIFF, WMA, AMR, Monkey's Audio, WavPack, MIDI, ...), lower
     * case: {@link #find} leaves them out, and {@code kodiak verify} can quarantine them as {@code unsupported}
     * instead of passing over them in silence.
     */
    public static final Set<String> UNSUPPORTED_EXTENSIONS = Set.of("aif", "aiff", "aifc", "wma", "amr", "ape", "wv",
            "mid", "midi", "au", "snd", "caf", "ra", "ac3", "aac", "mka", "webm");

    private AudioFiles() {
    }

    /**
     * Every sound file under {@code dir}, recursively, sorted by relative path (the same list on every machine);
     * hidden files and folders (such as {@code .quarantine/}) and other files are skipped.
     */
    public static List<Path> find(Path dir) {
        return FolderFiles.find(dir, EXTENSIONS, "sound files");
    }

    /** As {@link #find}, with the sound files Kodiak cannot read as well: what {@code kodiak verify} checks. */
    public static List<Path> findAudioLike(Path dir) {
        Set<String> all = new HashSet<>(EXTENSIONS);
        all.addAll(UNSUPPORTED_EXTENSIONS);
        return FolderFiles.find(dir, all, "sound files");
    }

    /** True when the file name ends in one of {@link #EXTENSIONS}, ignoring case. */
    public static boolean isAudioName(Path file) {
        return EXTENSIONS.contains(FolderFiles.extension(file));
    }
}
