package dev.kodiak.io;

import dev.kodiak.KodiakException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads every file of a dataset folder that one of its {@link FileCheck}s looks at (images, sound, ...) and moves the
 * ones that fail to the folder's {@link Quarantine}, so that training never meets a broken file. A folder may mix
 * kinds: each file is checked by the first check that lists it. Other files (CSVs, text) are not looked at, and files
 * already in quarantine (or in any hidden folder) are not checked. Symbolic links to files outside the folder are
 * neither read nor moved, only reported as skipped: verify reads and writes inside the dataset folder only. A dry run
 * only reports.
 */
public final class Verifier {
    private final List<FileCheck> checks;
    private final int threads;

    private Verifier(List<FileCheck> checks, int threads) {
        this.checks = checks;
        this.threads = threads;
    }

    /** A verifier running {@code checks} on {@code threads} threads. */
    public static Verifier of(int threads, FileCheck... checks) {
        if (threads < 1) {
            throw new KodiakException("threads must be at least 1, got " + threads);
        }
        if (checks.length == 0) {
            throw new KodiakException("a verifier needs at least one file check (images, sound, ...)");
        }
        return new Verifier(List.of(checks), threads);
    }

    /** As {@link #of(int, FileCheck...)}, one thread per processor. */
    public static Verifier of(FileCheck... checks) {
        return of(Runtime.getRuntime().availableProcessors(), checks);
    }

    /** Checks every file under {@code dir}; failures are quarantined with {@code by = "verify"} unless {@code dryRun}. */
    public VerifyReport verify(Path dir, boolean dryRun) {
        return verify(dir, dryRun, "verify");
    }

    /** As {@link #verify(Path, boolean)}, naming what moves the files in the quarantine log ({@code by}). */
    public VerifyReport verify(Path dir, boolean dryRun, String by) {
        Map<Path, FileCheck> found = new LinkedHashMap<>();
        for (FileCheck check : checks) {
            for (Path f : check.find(dir)) {
                found.putIfAbsent(f, check);
            }
        }
        DataRoot root = DataRoot.of(dir);
        List<Path> files = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        List<FileCheck> owners = new ArrayList<>();
        List<VerifyReport.Skipped> skipped = new ArrayList<>();
        for (Map.Entry<Path, FileCheck> f : found.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            try {
                real.add(root.resolve(f.getKey().toAbsolutePath()));
                files.add(f.getKey());
                owners.add(f.getValue());
            } catch (OutsideDataRootException e) {
                skipped.add(new VerifyReport.Skipped(f.getKey(), e.why() + "; left alone (verify reads and moves files"
                        + " inside " + dir + " only)"));
            }
        }
        List<FileProblem> problems = checkAll(files, real, owners);
        Quarantine quarantine = dryRun ? null : Quarantine.of(dir);
        List<VerifyReport.Failure> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileProblem problem = problems.get(i);
            if (problem == null) {
                continue;
            }
            Path moved = null;
            if (quarantine != null) {
                moved = quarantine.move(files.get(i), problem.reason() + ": " + problem.detail(), by).file();
            }
            failures.add(new VerifyReport.Failure(files.get(i), problem.reason(), problem.detail(), moved));
        }
        return new VerifyReport(dir, files.size(), files.size() - failures.size(), failures, skipped, dryRun);
    }

    /** For each file, its problem or null; in the files' order whatever order the threads finish in. */
    private List<FileProblem> checkAll(List<Path> files, List<Path> real, List<FileCheck> owners) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())), r -> {
            Thread t = new Thread(r, "kodiak-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FileProblem>> futures = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                Path realPath = real.get(i);
                FileCheck check = owners.get(i);
                futures.add(pool.submit(() -> check.check(file, realPath)));
            }
            List<FileProblem> out = new ArrayList<>(files.size());
            for (Future<FileProblem> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while verifying " + files.size() + " files", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KodiakException k) {
                throw k;
            }
            throw new KodiakException("verifying files failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
