package dev.kodiak.data;

import java.nio.file.Path;

/** An item that could not be loaded, and why (reported instead of stopping, when the loader skips bad items). */
public record ItemFailure(Path file, String error) {
}
