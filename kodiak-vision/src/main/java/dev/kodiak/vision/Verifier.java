package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.io.DataRoot;
import dev.kodiak.io.OutsideDataRootException;
import dev.kodiak.vision.ImageDecodeException.Reason;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes every image of a dataset folder fully (with the decoder's pixel and byte limits) and moves the ones that
 * fail to the folder's {@link Quarantine}, so that training never meets a broken file. Image files in formats Kodiak
 * does not read ({@link ImageFiles#UNSUPPORTED_EXTENSIONS}: {@code .tif}, {@code .svg}, {@code .heic}...) are
 * quarantined as {@code unsupported_format}; other files (CSVs, text) are not looked at. Files already in quarantine
 * (or in any hidden folder) are not checked. Symbolic links to files outside the folder are neither read nor moved,
 * only reported as skipped: verify reads and writes inside the dataset folder only. A dry run only reports.
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
        List<Path> found = ImageFiles.findImageLike(dir);
        DataRoot root = DataRoot.of(dir);
        List<Path> files = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        List<VerifyReport.Skipped> skipped = new ArrayList<>();
        for (Path f : found) {
            try {
                real.add(root.resolve(f.toAbsolutePath()));
                files.add(f);
            } catch (OutsideDataRootException e) {
                skipped.add(new VerifyReport.Skipped(f, e.why() + "; left alone (verify reads and moves files inside "
                        + dir + " only)"));
            }
        }
        List<ImageDecodeException> problems = decodeAll(files, real);
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
        return new VerifyReport(dir, files.size(), files.size() - failures.size(), failures, skipped, dryRun);
    }

    /** Decodes {@code file} (read at its real path {@code real}); the problem, or null when it is a usable image. */
    private ImageDecodeException check(Path file, Path real) {
        boolean unsupportedName = ImageFiles.isUnsupportedImageName(file);
        try {
            decoder.decode(real);
        } catch (ImageDecodeException e) {
            return e;
        }
        if (!unsupportedName) {
            return null;
        }
        // It decodes, but training lists only the readable extensions: say so rather than call it fine.
        String name = file.getFileName().toString();
        return new ImageDecodeException(file.toString(), file, Reason.UNSUPPORTED_FORMAT, "its content is an image "
                + "Kodiak reads, but training skips files named ." + name.substring(name.lastIndexOf('.') + 1)
                .toLowerCase(Locale.ROOT) + " (it lists " + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted()
                .toList()) + "); rename it", null);
    }

    /** For each file, the decode error or null; in the files' order whatever order the threads finish in. */
    private List<ImageDecodeException> decodeAll(List<Path> files, List<Path> real) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())), r -> {
            Thread t = new Thread(r, "kodiak-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ImageDecodeException>> futures = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                Path realPath = real.get(i);
                futures.add(pool.submit(() -> check(file, realPath)));
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
