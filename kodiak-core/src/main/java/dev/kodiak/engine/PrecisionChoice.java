package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import java.util.Optional;

/**
 * What a requested {@link Precision} means on a given CPU, and why. {@code auto} is bf16 autocast where bf16 runs in
 * hardware (AMX-BF16 or AVX-512 BF16) and float32 elsewhere: without those instructions libtorch emulates bf16,
 * which measured about 15x slower for training and 5x slower for inference than float32 on a 2-core AVX2 AMD EPYC.
 * An explicit {@code bf16} is honoured everywhere, with a {@link #warning()} where it is emulated.
 *
 * @param requested what was asked for
 * @param bf16      whether forward passes run under bf16 autocast
 * @param cpu       the processor the decision was made for
 */
public record PrecisionChoice(Precision requested, boolean bf16, CpuFeatures cpu) {
    public PrecisionChoice {
        if (requested == null || cpu == null) {
            throw new KodiakException("requested precision and cpu are required");
        }
        if (requested != Precision.AUTO && bf16 != (requested == Precision.BF16)) {
            throw new KodiakException("an explicit " + requested.label() + " cannot be resolved to "
                    + (bf16 ? "bf16" : "fp32"));
        }
    }

    /** The decision for {@code requested} on {@code cpu}. */
    public static PrecisionChoice of(Precision requested, CpuFeatures cpu) {
        boolean bf16 = switch (requested) {
            case FP32 -> false;
            case BF16 -> true;
            case AUTO -> cpu.hasNativeBf16();
        };
        return new PrecisionChoice(requested, bf16, cpu);
    }

    /** The decision for {@code requested} on this machine's CPU. */
    public static PrecisionChoice forHost(Precision requested) {
        return of(requested, CpuFeatures.host());
    }

    /** {@code fp32} or {@code bf16}: what actually runs. */
    public String label() {
        return bf16 ? "bf16" : "fp32";
    }

    /**
     * One line saying what runs and why, e.g. {@code precision auto → fp32: this CPU (AMD EPYC 7B13) has no
     * AVX512_BF16/AMX-BF16, so bf16 would be emulated and several times slower}.
     */
    public String summary() {
        String head = "precision " + requested.label() + (requested == Precision.AUTO ? " → " + label() : "");
        if (requested == Precision.FP32) {
            return head + " (float32, as asked)";
        }
        if (cpu.hasNativeBf16()) {
            return head + ": this CPU (" + cpu.model() + ") has " + cpu.bf16Instructions()
                    + ", so bf16 autocast runs in hardware (weights stay float32)";
        }
        return head + ": this CPU (" + cpu.model() + ") has no AVX512_BF16/AMX-BF16"
                + (bf16 ? ", so bf16 is emulated" : ", where bf16 would be emulated and several times slower");
    }

    /** Present when bf16 was asked for explicitly on a CPU that can only emulate it. */
    public Optional<String> warning() {
        if (!bf16 || cpu.hasNativeBf16()) {
            return Optional.empty();
        }
        return Optional.of("bf16 on a CPU without bf16 hardware (" + cpu.model() + " lacks AVX-512 BF16 and "
                + "AMX-BF16): bf16 is emulated, expect it to be several times slower than fp32 (about 15x for "
                + "training, 5x for inference on an AVX2 AMD EPYC); use fp32 (--precision fp32) instead");
    }
}
