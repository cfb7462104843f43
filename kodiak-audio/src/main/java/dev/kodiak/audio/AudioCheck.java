package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.io.FileCheck;
import dev.kodiak.io.FileProblem;
import dev.kodiak.io.FolderFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kodiak verify}'s sound check: decodes every sound file fully with an {@link AudioDecoder} (so with its limit
 * of seconds). Reason codes are {@link AudioDecodeException.Reason#code()}'s: {@code empty}, {@code truncated},
 * {@code not-audio}, {@code too-long}, {@code unsupported}; files named as sound formats Kodiak does not read
 * ({@link AudioFiles#UNSUPPORTED_EXTENSIONS}: {@code .aiff}, {@code .wma}...) are {@code unsupported} without being
 * read, since training would skip them anyway.
 */
public final class AudioCheck implements FileCheck {
    private final AudioDecoder decoder;

    private AudioCheck(AudioDecoder decoder) {
        this.decoder = decoder;
    }

    /** The check with the standard decoder (files over {@link AudioDecoder#DEFAULT_MAX_SECONDS} are too long). */
    public static AudioCheck standard() {
        return new AudioCheck(AudioDecoder.standard());
    }

    /** The check with {@code decoder}'s limit of seconds. */
    public static AudioCheck of(AudioDecoder decoder) {
        if (decoder == null) {
            throw new KodiakException("decoder must not be null; use AudioDecoder.standard()");
        }
        return new AudioCheck(decoder);
    }

    @Override
    public String what() {
        return "sound files";
    }

    @Override
    public List<Path> find(Path dir) {
        return AudioFiles.findAudioLike(dir);
    }

    @Override
    public FileProblem check(Path file, Path real) {
        if (!AudioFiles.isAudioName(file)) {
            return new FileProblem(AudioDecodeException.Reason.UNSUPPORTED.code(), "Kodiak does not read ."
                    + FolderFiles.extension(file) + " sound files (it reads " + String.join(", ",
                    AudioFiles.EXTENSIONS.stream().sorted().toList()) + "); convert it, e.g. ffmpeg -i "
                    + file.getFileName() + " " + stem(file) + ".flac");
        }
        try {
            decoder.decode(real);
            return null;
        } catch (AudioDecodeException e) {
            return new FileProblem(e.reason().code(), e.detail());
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
