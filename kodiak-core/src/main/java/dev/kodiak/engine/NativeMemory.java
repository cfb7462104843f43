package dev.kodiak.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;

/**
 * A reading of native memory use, for memory tests and diagnostics ({@code --debug}).
 *
 * @param liveObjects   native objects JavaCPP still tracks (tensor handles, options, modules): flat across steps
 *                      when every step runs in a {@link StepScope}
 * @param trackedBytes  bytes JavaCPP allocated itself and still tracks (not libtorch's own tensor storage)
 * @param physicalBytes resident memory as JavaCPP measures it for its {@code maxPhysicalBytes} guard (its own
 *                      measure, which reads lower than RSS on these machines)
 * @param rssBytes      the process's resident set size from {@code /proc/self/status}; -1 where unavailable
 */
public record NativeMemory(long liveObjects, long trackedBytes, long physicalBytes, long rssBytes) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** The reading now. */
    public static NativeMemory now() {
        return new NativeMemory(Pointer.totalCount(), Pointer.totalBytes(), Pointer.physicalBytes(), currentRssBytes());
    }

    /** Native objects JavaCPP tracks right now ({@code Pointer.totalCount()}). */
    public static long liveObjectCount() {
        return Pointer.totalCount();
    }

    /** The process's resident set size in bytes (VmRSS), or -1 when {@code /proc} is not there (not Linux). */
    public static long currentRssBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Live objects gained since {@code before} (negative when objects were freed). */
    public long objectsSince(NativeMemory before) {
        return liveObjects - before.liveObjects;
    }

    /** Resident bytes gained since {@code before}; 0 when either reading lacks RSS. */
    public long rssSince(NativeMemory before) {
        return rssBytes < 0 || before.rssBytes < 0 ? 0 : rssBytes - before.rssBytes;
    }

    @Override
    public String toString() {
        return String.format("native objects=%d, tracked=%d MB, physical=%d MB, rss=%d MB", liveObjects,
                trackedBytes >> 20, physicalBytes >> 20, rssBytes < 0 ? -1 : rssBytes >> 20);
    }
}
