package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code --precision fp32|bf16|auto}: auto means bf16 where the CPU has AMX-BF16 or AVX-512 BF16, else fp32. */
final class Precision {
    private Precision() {
    }

    /** True when the forward passes should run under bf16 autocast. */
    static boolean bf16(String precision) {
        return switch (precision.toLowerCase(Locale.ROOT)) {
            case "fp32" -> false;
            case "bf16" -> true;
            case "auto" -> cpuHasBf16();
            default -> throw new KodiakException("unknown --precision '" + precision + "': use fp32, bf16 or auto");
        };
    }

    static boolean cpuHasBf16() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line.contains(" amx_bf16") || line.contains(" avx512_bf16");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
