package dev.kodiak.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The processor's model and instruction-set flags, as Linux lists them in {@code /proc/cpuinfo}: what decides
 * whether bf16 runs in hardware (AVX-512 BF16, AMX-BF16) or is emulated, and what benchmarks print beside their
 * figures so that numbers from different machines are never compared blindly.
 *
 * @param model the CPU's model name ({@code "unknown CPU"} when the system does not say)
 * @param flags the instruction-set flags in lower case (empty when unknown)
 */
public record CpuFeatures(String model, Set<String> flags) {
    /** Read instead of {@code /proc/cpuinfo} when set: tries the decisions on another machine's description (tests). */
    public static final String CPUINFO_PROPERTY = "kodiak.cpuinfo";

    /** The flags that matter for deep-learning kernels on x86, in the order benchmarks print them. */
    public static final List<String> VECTOR_MATRIX_FLAGS = List.of("avx", "avx2", "fma", "avx_vnni", "avx512f",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8");

    private static final String UNKNOWN = "unknown CPU";

    public CpuFeatures {
        model = model == null || model.isBlank() ? UNKNOWN : model.strip();
        TreeSet<String> lower = new TreeSet<>();
        for (String f : flags) {
            lower.add(f.toLowerCase(Locale.ROOT));
        }
        flags = Set.copyOf(lower);
    }

    /** This machine (or the file named by the {@value #CPUINFO_PROPERTY} system property). */
    public static CpuFeatures host() {
        Path file = Path.of(System.getProperty(CPUINFO_PROPERTY, "/proc/cpuinfo"));
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return parse(in);
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures(UNKNOWN + " (" + file + " unreadable)", Set.of());
        }
    }

    /** The first processor's model and flags from text in {@code /proc/cpuinfo}'s format. */
    public static CpuFeatures parse(String cpuinfo) {
        try {
            return parse(new BufferedReader(new java.io.StringReader(cpuinfo)));
        } catch (IOException e) {
            throw new IllegalStateException("a string cannot fail to read", e);
        }
    }

    private static CpuFeatures parse(BufferedReader in) throws IOException {
        String model = null;
        Set<String> flags = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && model != null && flags != null) {
                    break; // every processor repeats the same lines: the first one is enough
                }
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (model == null && key.equals("model name")) {
                model = value;
            } else if (flags == null && (key.equals("flags") || key.equals("features"))) { // x86 | ARM
                flags = Set.of(value.isEmpty() ? new String[0] : value.split("\\s+"));
            }
        }
        return new CpuFeatures(model, flags == null ? Set.of() : flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag.toLowerCase(Locale.ROOT));
    }

    /** True when bf16 arithmetic runs in hardware: AMX-BF16 (Sapphire Rapids and later) or AVX-512 BF16. */
    public boolean hasNativeBf16() {
        return has("amx_bf16") || has("avx512_bf16");
    }

    /** The best bf16 instructions present, as people write them: {@code AMX-BF16}, {@code AVX-512 BF16} or none. */
    public String bf16Instructions() {
        return has("amx_bf16") ? "AMX-BF16" : has("avx512_bf16") ? "AVX-512 BF16" : "none";
    }

    /** Each of {@link #VECTOR_MATRIX_FLAGS} and whether this CPU has it. */
    public Map<String, Boolean> vectorMatrixFlags() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String f : VECTOR_MATRIX_FLAGS) {
            m.put(f, has(f));
        }
        return m;
    }

    /** One line for benchmark headers: {@code AMD EPYC 7B13; has avx avx2 fma; lacks avx512f ... amx_bf16}. */
    public String describe() {
        List<String> present = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        vectorMatrixFlags().forEach((f, on) -> (on ? present : absent).add(f));
        return model + "; has " + (present.isEmpty() ? "none of them" : String.join(" ", present))
                + (absent.isEmpty() ? "" : "; lacks " + String.join(" ", absent));
    }
}
