package dev.kodiak.io;

import dev.kodiak.KodiakException;

import java.nio.file.Path;

/** A path that {@link DataRoot} refused: it leads (perhaps through a symbolic link) outside the data folder. */
public class OutsideDataRootException extends KodiakException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String why;

    public OutsideDataRootException(String path, Path root, String why) {
        super("refusing the path " + path + ": " + why + "; Kodiak only reads and writes inside the data folder " + root);
        this.path = path;
        this.why = why;
    }

    /** The path as given. */
    public String path() {
        return path;
    }

    /** Why it was refused, without the path, e.g. {@code it resolves to /home/me/.ssh/key, outside the data folder}. */
    public String why() {
        return why;
    }
}
