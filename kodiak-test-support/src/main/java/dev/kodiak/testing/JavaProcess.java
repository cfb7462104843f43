package dev.kodiak.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a fresh JVM (same java binary, same classpath) and captures its output.
 * For checks that could crash the JVM (a native use-after-free would otherwise kill the test runner and hide which
 * test failed) or that need a fresh process (native library loading).
 */
public final class JavaProcess {
    private final Class<?> mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new java.util.HashMap<>();
    private Duration timeout = Duration.ofMinutes(2);

    private JavaProcess(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    /** A run of {@code mainClass}'s {@code main}. */
    public static JavaProcess of(Class<?> mainClass) {
        return new JavaProcess(mainClass);
    }

    /** Adds JVM options, e.g. {@code -Dorg.bytedeco.javacpp.cachedir=...}. */
    public JavaProcess jvmArgs(String... options) {
        jvmArgs.addAll(List.of(options));
        return this;
    }

    /** Adds program arguments. */
    public JavaProcess args(String... arguments) {
        args.addAll(List.of(arguments));
        return this;
    }

    /** Sets an environment variable for the child. */
    public JavaProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Kills the child after {@code limit} (default 2 minutes). */
    public JavaProcess timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Runs the child to completion and returns its exit code and output. */
    public Result run() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, out.join(), err.join() + "\n[killed after " + timeout + "]");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + mainClass.getName(), e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "[could not read: " + e + "]";
        }
    }

    /** What the child did: exit code (-1 when killed on timeout), standard output and standard error. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The value of the last stdout line of the form {@code key=value}, or null. */
        public String value(String key) {
            String found = null;
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    found = line.substring(key.length() + 1).trim();
                }
            }
            return found;
        }

        /** Everything, for assertion messages. */
        public String describe() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
        }
    }
}
