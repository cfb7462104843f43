package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.LoggerFactory;

/**
 * Loads libtorch once per process and owns process-wide settings (threads).
 * Every Kodiak entry point that touches tensors calls {@link #init()} first; it is cheap after the first call.
 */
public final class Engine {
    private static volatile boolean loaded;

    private Engine() {
    }

    /** Loads the native libraries (idempotent) and applies the thread count from {@code KODIAK_THREADS} or the core count. */
    public static void init() {
        if (loaded) {
            return;
        }
        synchronized (Engine.class) {
            if (loaded) {
                return;
            }
            try {
                // Unpack every native library of the preset before loading any: on a cold cache JavaCPP could
                // otherwise load libtorch.so while libtorch_cpu.so is not yet beside it, and the system linker
                // would pick up another libtorch (e.g. Debian's python3-torch) and crash the JVM.
                Loader.cacheResources("/org/bytedeco/pytorch/" + Loader.getPlatform() + "/");
                Loader.load(torch.class);
            } catch (Exception | LinkageError e) {
                throw new KodiakException("cannot load PyTorch's native libraries (libtorch) for platform "
                        + Loader.getPlatform() + ": " + e.getMessage()
                        + ". Kodiak ships natives for linux-x86_64; check the JavaCPP cache directory "
                        + "(-Dorg.bytedeco.javacpp.cachedir) is writable.", e);
            }
            singleThreadedBlas();
            int threads = configuredThreads();
            torch.set_num_threads(threads);
            loaded = true;
        }
    }

    /** The number of intra-op threads libtorch uses. */
    public static int threads() {
        init();
        return torch.get_num_threads();
    }

    /** Sets the number of intra-op threads libtorch uses (e.g. the CLI's {@code --threads}). */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new KodiakException("threads must be at least 1, got " + threads);
        }
        init();
        synchronized (THREADS_LOCK) {
            torch.set_num_threads(threads);
        }
    }

    private static final Object THREADS_LOCK = new Object();

    /**
     * Internal, for loader threads: from now on libtorch runs this thread's operations on this thread alone,
     * instead of starting an OpenMP team of its own that would compete with the training thread's team for the
     * same cores. libtorch only has a process-wide setter, which also sets the calling thread's own OpenMP count
     * (per thread in OpenMP): this sets 1 here, and the caller must then restore the process-wide count with
     * {@link #setThreads(int)} from its own thread once every worker has done this.
     */
    public static void oneIntraOpThreadHere() {
        init();
        synchronized (THREADS_LOCK) {
            torch.get_num_threads(); // libtorch's lazy per-thread set-up first, so it cannot undo the setting below
            torch.set_num_threads(1);
        }
    }

    /** Seeds libtorch's global generator (weight initialisation); data randomness never uses it. */
    public static void seed(long seed) {
        init();
        torch.manual_seed(seed);
    }

    /**
     * Gradients off on this thread until closed: {@code try (var g = Engine.noGrad()) { ... }}. For validation and
     * anything whose tensors may later meet training.
     */
    public static GradMode noGrad() {
        return GradMode.noGrad();
    }

    /**
     * libtorch's inference mode on this thread until closed: no gradients and less bookkeeping. Tensors made inside
     * can never be used for training, so use it for prediction only.
     */
    public static GradMode inferenceMode() {
        return GradMode.inference();
    }

    /**
     * libtorch's parallelism is its OpenMP pool; OpenBLAS (used for matrix products such as the head's linear
     * layers) keeps its own pthread pool whose idle workers busy-wait for ~0.1 s after every call. With calls every
     * few milliseconds they never sleep and steal the cores from the OpenMP threads: on 2 cores a ResNet-18 training
     * step ran at 72 images/s with that pool and 88 without it (bench/results). One BLAS thread per caller avoids it.
     */
    private static void singleThreadedBlas() {
        try {
            Loader.load(openblas_nolapack.class);
            openblas_nolapack.blas_set_num_threads(1);
        } catch (Exception | LinkageError e) {
            // OpenBLAS is only an accelerator here: without the setting Kodiak is slower, not wrong.
            LoggerFactory.getLogger(Engine.class).debug("cannot limit OpenBLAS threads", e);
        }
    }

    /** Threads OpenBLAS uses for one call (1 after {@link #init()}); for tests and diagnostics. */
    public static int blasThreads() {
        init();
        return openblas_nolapack.blas_get_num_threads();
    }

    static int configuredThreads() {
        String env = System.getenv("KODIAK_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default; a bad value must not stop the program
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
