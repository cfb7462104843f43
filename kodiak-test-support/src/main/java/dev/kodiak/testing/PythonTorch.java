package dev.kodiak.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test helper for interop tests against real PyTorch: Debian's {@code python3-torch} under {@code /usr/bin/python3}
 * (the first python3 on PATH may be another interpreter). Tests using it are skipped, saying why, where it is absent,
 * and fail in CI ({@link Peers}).
 */
public final class PythonTorch {
    public static final String PYTHON = "/usr/bin/python3";
    private static Boolean available;

    private PythonTorch() {
    }

    /** Skips the calling test unless torch and torchvision import (fails it in CI). */
    public static synchronized void assumeAvailable() {
        if (available == null) {
            available = imports("torch, torchvision");
        }
        Peers.assume(available, "PyTorch for interop tests (" + PYTHON + " cannot import torch and torchvision)",
                "apt-get install python3-torch python3-torchvision");
    }

    /** Whether {@link #PYTHON} can import {@code modules} (a Python import list, e.g. {@code "torch, torchvision"}). */
    public static boolean imports(String modules) {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + modules).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code script} in {@code dir} with the given arguments; fails with its output if it exits non-zero. */
    public static String run(Path dir, String script, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve("script.py");
        Files.writeString(file, script);
        String[] cmd = new String[args.length + 2];
        cmd[0] = PYTHON;
        cmd[1] = file.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python failed:\n" + out);
        }
        return out;
    }
}
