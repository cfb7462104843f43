package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.engine.distributed.Rendezvous;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --processes}, {@code --nodes}, {@code --rank}, {@code --rendezvous} and {@code --threads} of
 * {@code kodiak train}: data-parallel training (issue #18). With {@code --processes N} this process starts N copies
 * of itself (same JVM options and arguments) as ranks 0..N−1 of this machine, each with {@code --threads / N}
 * libtorch threads, and relays their output; with {@code --rendezvous} every rank is started by hand (e.g. one per
 * machine).
 */
final class ParallelOptions {
    @Option(names = "--processes", paramLabel = "N", defaultValue = "1", description = "Train data-parallel in N "
            + "processes on this machine (started by this one), each with --threads/N threads on its share of every "
            + "batch of --bs: the same steps as one process, gradients averaged (BatchNorm's batch statistics are "
            + "per process) (default: ${DEFAULT-VALUE}).")
    int processes;

    @Option(names = "--nodes", paramLabel = "N", description = "With --rendezvous: the number of processes (ranks) "
            + "started by hand, e.g. one per machine.")
    Integer nodes;

    @Option(names = "--rank", paramLabel = "R", description = "With --rendezvous: this process's rank, 0 to --nodes - 1 "
            + "(rank 0 hosts the rendezvous, prints the epochs and writes the model).")
    Integer rank;

    @Option(names = "--rendezvous", paramLabel = "ADDR:PORT", description = "Rank 0's address and a free port, the "
            + "same on every rank, e.g. 10.0.0.1:29500.")
    String rendezvous;

    @Option(names = "--threads", paramLabel = "T", description = "libtorch threads of this machine's training "
            + "(default: the number of cores); split between --processes.")
    Integer threads;

    // Gloo and c10d print connection notices and, when a peer vanishes, C++ warnings with backtraces: each rank's own
    // "kodiak:" message says what happened, so these lines are not passed on
    private static final Pattern NATIVE_NOISE = Pattern.compile(
            "^(\\[Gloo\\]|\\[[WIE] \\S+|Exception raised from|frame #\\d+|\\s*$|terminate called|  what\\(\\)).*");

    private final List<Process> workers = new ArrayList<>();

    /** The number of processes training together. */
    int worldSize() {
        return nodes != null ? nodes : processes;
    }

    /** Checks the combination; messages name the options to fix. */
    void validate(CommandLine cli) {
        if (processes < 1) {
            throw new CommandLine.ParameterException(cli, "--processes must be at least 1, got " + processes);
        }
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cli, "--threads must be at least 1, got " + threads);
        }
        boolean byHand = nodes != null || rank != null || rendezvous != null;
        if (byHand && (nodes == null || rank == null || rendezvous == null)) {
            throw new CommandLine.ParameterException(cli, "--nodes, --rank and --rendezvous go together: give all "
                    + "three on every process started by hand (the same --nodes and --rendezvous, a different --rank)");
        }
        if (byHand && processes != 1) {
            throw new CommandLine.ParameterException(cli, "--processes starts the ranks on this machine itself: "
                    + "leave it out with --nodes/--rank/--rendezvous");
        }
        if (nodes != null && (nodes < 1 || rank < 0 || rank >= nodes)) {
            throw new CommandLine.ParameterException(cli, "--rank must be within 0.." + (nodes - 1) + " for --nodes "
                    + nodes + ", got " + rank);
        }
    }

    /** This process's libtorch threads: --threads (or the cores), shared by the --processes of this machine. */
    int threadsHere() {
        int total = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        return Math.max(1, total / processes);
    }

    /** True when this process only starts the ranks of this machine ({@code --processes N}, N > 1). */
    boolean launches() {
        return processes > 1;
    }

    /**
     * With {@code --processes N}: starts ranks 0..N−1 of this machine as copies of this command (same JVM options and
     * arguments, {@code --threads / N} threads each) and waits for them. Rank 0's output is this command's output;
     * the others' messages are marked with their rank. Native notices are dropped on the way: Gloo prints one on
     * stdout when it connects, which would break {@code --json}'s one-object-per-line. Returns the exit code: rank
     * 0's, or the first failing rank's.
     */
    int launch(List<String> args, PrintWriter out, PrintWriter err) {
        int port = freePort();
        Thread stopOnExit = new Thread(this::stopWorkers, "stop-ranks");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        List<Thread> pumps = new ArrayList<>();
        try {
            for (int r = 0; r < processes; r++) {
                Process p = spawn(args, r, port);
                synchronized (workers) {
                    workers.add(p);
                }
                String mark = r == 0 ? "" : "[rank " + r + "] ";
                pumps.add(pump(p.getErrorStream(), err, mark, "rank-" + r + "-stderr"));
                pumps.add(pump(p.getInputStream(), r == 0 ? out : null, "", "rank-" + r + "-stdout"));
            }
            // rank 0 failed and said why: the others would only wait for it until the timeout
            workers.get(0).onExit().thenAccept(p -> {
                if (p.exitValue() != 0) {
                    stopWorkers();
                }
            });
            int code = 0;
            for (Process p : workers) {
                int c = p.waitFor();
                code = code != 0 ? code : c;
            }
            for (Thread t : pumps) {
                t.join(); // every line relayed before this command returns
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while the " + processes + " processes were training");
        } finally {
            stopWorkers();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        }
    }

    /** A rank started by hand ({@code --nodes/--rank/--rendezvous}): applies the threads and joins the group. */
    DistributedGroup join() {
        Engine.setThreads(threadsHere());
        if (worldSize() == 1) {
            return null;
        }
        return DistributedGroup.join(Rendezvous.parse(rendezvous, nodes, rank));
    }

    private void stopWorkers() {
        synchronized (workers) {
            workers.forEach(Process::destroyForcibly);
        }
    }

    private Process spawn(List<String> args, int workerRank, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) { // a debugger's port is this JVM's own
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(withoutLaunchOptions(args));
        cmd.addAll(List.of("--nodes", String.valueOf(processes), "--rank", String.valueOf(workerRank),
                "--rendezvous", "127.0.0.1:" + port, "--threads", String.valueOf(threadsHere())));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
        try {
            return pb.start();
        } catch (IOException e) {
            stopWorkers();
            throw new KodiakException("could not start rank " + workerRank + " (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Relays {@code from}'s lines to {@code to} (null: drops them), marked, without native noise. */
    private static Thread pump(java.io.InputStream from, PrintWriter to, String mark, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (to != null && !NATIVE_NOISE.matcher(line).matches()) {
                        synchronized (to) {
                            to.println(mark + line);
                            to.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // the rank is gone; its exit code says how it ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** This command's arguments without the ones that say how to launch (the workers get their own). */
    static List<String> withoutLaunchOptions(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--processes") || a.equals("--threads")) {
                i++; // and its value
            } else if (!a.startsWith("--processes=") && !a.startsWith("--threads=")) {
                out.add(a);
            }
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new KodiakException("no free port on this machine for the rendezvous: " + e.getMessage(), e);
        }
    }
}
