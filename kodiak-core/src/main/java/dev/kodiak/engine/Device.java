package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live and computations run: the CPU, or one CUDA GPU (only with Kodiak's GPU build, {@code -Pcuda}).
 * Written as {@code cpu}, {@code cuda} (= {@code cuda:0}) or {@code cuda:1} on the command line.
 *
 * @param kind  CPU or CUDA
 * @param index the GPU number for CUDA (0 for the first); always 0 for the CPU
 */
public record Device(Kind kind, int index) {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** The kinds of device Kodiak can run on. */
    public enum Kind { CPU, CUDA }

    public Device {
        if (kind == null) {
            throw new KodiakException("device kind must be CPU or CUDA, got null");
        }
        if (index < 0) {
            throw new KodiakException("device index must be 0 or more, got " + index + " for " + kind);
        }
        if (kind == Kind.CPU && index != 0) {
            throw new KodiakException("the CPU has no device index; use \"cpu\", got index " + index);
        }
    }

    /** The CPU. */
    public static Device cpu() {
        return new Device(Kind.CPU, 0);
    }

    /** CUDA GPU number {@code index} (0 is the first). */
    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /** The first CUDA GPU when libtorch can use one (GPU build, driver and device present), otherwise the CPU. */
    public static Device auto() {
        return cudaAvailable() ? cuda(0) : cpu();
    }

    /** Whether libtorch can use a CUDA GPU in this process; always false with the CPU build. */
    public static boolean cudaAvailable() {
        return torch.cuda_is_available();
    }

    /**
     * Reads {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (case and surrounding blanks ignored).
     * This only checks the spelling; whether the device exists is checked when something is moved to it.
     */
    public static Device parse(String text) {
        if (text == null || text.isBlank()) {
            throw new KodiakException("no device given; use cpu, cuda, cuda:N (N = GPU number) or auto");
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return cpu();
        }
        if (s.equals("auto")) {
            return auto();
        }
        if (s.equals("cuda") || s.equals("gpu")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            String n = s.substring("cuda:".length());
            if (n.matches("\\d{1,3}")) {
                return cuda(Integer.parseInt(n));
            }
        }
        throw new KodiakException("unknown device \"" + text + "\"; use cpu, cuda, cuda:N (N = GPU number) or auto");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** {@code cpu} or {@code cuda:N}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
