package dev.kodiak.serve;

/**
 * One image file as it arrived in a request, still encoded.
 *
 * @param name  the client's file name (for messages; never used as a path)
 * @param bytes the file's bytes
 */
public record Upload(String name, byte[] bytes) {
    public Upload {
        name = name == null || name.isBlank() ? "upload" : name;
    }
}
