package dev.kodiak.cli;

import dev.kodiak.engine.CpuFeatures;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The machine a benchmark ran on, printed with every figure (and by {@code kodiak bench cpu} for the bench scripts):
 * the same command is 2x faster or 15x slower on CPUs with and without AVX-512 BF16/AMX, so a number without its CPU
 * misleads.
 */
@Command(name = "cpu", mixinStandardHelpOptions = true,
        description = "The CPU benchmarks run on: model, cores and the vector/matrix instructions that decide speed "
                + "(avx2, avx512f, avx512_bf16, amx_tile, amx_bf16, ...).")
final class BenchMachine implements Runnable {
    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output out = new Output(spec, json.on);
        say(out);
        out.object(json());
    }

    /** {@code "cpu": {"model": .., "cores": .., "flags": {"avx2": true, ..., "amx_bf16": false}}} for JSON rows. */
    static Map<String, Object> json() {
        CpuFeatures cpu = CpuFeatures.host();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", cpu.model());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("flags", cpu.vectorMatrixFlags());
        return m;
    }

    /** The header line for people: {@code CPU: AMD EPYC 7B13, 2 cores; has avx avx2 fma; lacks avx512f ...}. */
    static void say(Output out) {
        CpuFeatures cpu = CpuFeatures.host();
        out.say("CPU: %s", cpu.describe().replaceFirst("; ", ", " + Runtime.getRuntime().availableProcessors()
                + " cores; "));
    }
}
