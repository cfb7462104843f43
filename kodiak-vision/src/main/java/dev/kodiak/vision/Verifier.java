package dev.kodiak.vision;

import dev.kodiak.KodiakException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes every image of a dataset folder fully (with the decoder's pixel and byte limits) and moves the ones that
 * fail to the folder's {@link Quarantine}, so that training never meets a broken file. Files already in quarantine
 * (or in any hidden folder) are not checked. A dry run only reports.
 */
public final class Verifier {
    private final ImageDecoder decoder;
    private final int threads;

    private Verifier(ImageDecoder decoder, int threads) {
        this.decoder = decoder;
        this.threads = threads;
    }

    /** The standard decoder, one thread per processor. */
    public static Verifier standard() {
        return new Verifier(ImageDecoder.standard(), Runtime.getRuntime().availableProcessors());
    }

    /** A verifier with {@code decoder}'s limits, decoding on {@code threads} threads. */
    public static Verifier of(ImageDecoder decoder, int threads) {
        if (decoder == null) {
            throw new KodiakException("decoder must not be null; use ImageDecoder.standard()");
        }
        if (threads < 1) {
            throw new KodiakException("threads must be at least 1, got " + threads);
        }
        return new Verifier(decoder, threads);
    }

    /** Checks every image under {@code dir}; failures are quarantined with {@code by = "verify"} unless {@code dryRun}. */
    public VerifyReport verify(Path dir, boolean dryRun) {
        return verify(dir, dryRun, "verify");
    }

    /** As {@link #verify(Path, boolean)}, naming what moves the files in the quarantine log ({@code by}). */
    public VerifyReport verify(Path dir, boolean dryRun, String by) {
        List<Path> files = ImageFiles.find(dir);
        List<ImageDecodeException> problems = decodeAll(files);
        Quarantine quarantine = dryRun ? null : Quarantine.of(dir);
        List<VerifyReport.Failure> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ImageDecodeException problem = problems.get(i);
            if (problem == null) {
                continue;
            }
            Path moved = null;
            if (quarantine != null) {
                String reason = VerifyReport.code(problem.reason()) + ": " + problem.detail();
                moved = quarantine.move(files.get(i), reason, by).file();
            }
            failures.add(new VerifyReport.Failure(files.get(i), problem.reason(), problem.detail(), moved));
        }
        return new VerifyReport(dir, files.size(), files.size() - failures.size(), failures, dryRun);
    }

    /** For each file, the decode error or null; in the files' order whatever order the threads finish in. */
    private List<ImageDecodeException> decodeAll(List<Path> files) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())), r -> {
            Thread t = new Thread(r, "kodiak-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ImageDecodeException>> futures = new ArrayList<>(files.size());
            for (Path file : files) {
                futures.add(pool.submit(() -> {
                    try {
                        decoder.decode(file);
                        return null;
                    } catch (ImageDecodeException e) {
                        return e;
                    }
                }));
            }
            List<ImageDecodeException> out = new ArrayList<>(files.size());
            for (Future<ImageDecodeException> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while verifying " + files.size() + " images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KodiakException k) {
                throw k;
            }
            throw new KodiakException("verifying images failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
