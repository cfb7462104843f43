package dev.kodiak.gather;

import dev.kodiak.KodiakException;
import dev.kodiak.io.Quarantine;
import dev.kodiak.vision.ImageDecodeException;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.ImageFiles;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Builds an image dataset from a search: for each label, search, download in parallel, keep only real images, name
 * them by content hash ({@code dest/<label>/<sha256-prefix>.<ext>}, which also drops byte-identical copies), drop
 * near duplicates if asked, and record where every kept file came from in {@code dest/sources.csv} (file, label,
 * url, page url, licence, creator, title, sha256, downloaded at).
 *
 * <p>Deterministic and resumable: images are downloaded in parallel but kept or dropped in search-result order, so
 * "the later duplicate" is always the same one; every result's outcome is logged in {@code dest/.gather/attempts.csv},
 * and running the same gather again skips what was kept, found duplicate or rejected for good (passing failures
 * such as timeouts are tried again). A label whose folder already holds {@code max} images is not searched again.
 */
public final class Gatherer {
    /** The provenance file in the dataset folder. */
    public static final String SOURCES = "sources.csv";
    /** The hidden working folder in the dataset folder (attempt log, partial downloads). */
    public static final String WORK = ".gather";

    static final List<String> SOURCE_COLUMNS = List.of("file", "label", "url", "page_url", "licence", "creator",
            "title", "sha256", "downloaded_at");
    static final List<String> ATTEMPT_COLUMNS = List.of("label", "url", "outcome", "detail", "time");
    private static final String KEPT = "kept";
    private static final String DUPLICATE = "duplicate";

    private final GatherOptions options;
    private final SearchProvider provider;
    private final Clock clock;
    private final Sleeper sleeper;

    private Gatherer(GatherOptions options, SearchProvider provider, Clock clock, Sleeper sleeper) {
        this.options = options;
        this.provider = provider;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static Gatherer of(GatherOptions options, SearchProvider provider) {
        return of(options, provider, Clock.systemUTC(), Sleeper.real());
    }

    /** As {@link #of(GatherOptions, SearchProvider)}, with the clock and sleeper of the retries (tests fake them). */
    public static Gatherer of(GatherOptions options, SearchProvider provider, Clock clock, Sleeper sleeper) {
        if (options == null || provider == null || clock == null || sleeper == null) {
            throw new KodiakException("options, provider, clock and sleeper must not be null");
        }
        return new Gatherer(options, provider, clock, sleeper);
    }

    public GatherReport run() {
        return run(GatherProgress.NONE);
    }

    /** Gathers every label in turn, telling {@code progress} as it goes. */
    public GatherReport run(GatherProgress progress) {
        Path dest = options.dest();
        Path partial = dest.resolve(WORK).resolve("partial");
        try {
            Files.createDirectories(dest);
        } catch (IOException e) {
            throw new KodiakException("cannot create the output folder " + dest + ": " + e.getMessage(), e);
        }
        deleteTree(partial); // leftovers of an interrupted run
        Run run = new Run(dest, partial, ImageDecoder.withLimits(options.limits()));
        List<GatherReport.Label> reports = new ArrayList<>();
        try (Downloader downloader = new Downloader(options.download(), run.decoder, options.minSize(), clock,
                sleeper)) {
            for (String label : options.labels()) {
                GatherReport.Label report = run.label(label, downloader, progress);
                progress.labelFinished(report);
                reports.add(report);
            }
        } finally {
            deleteTree(partial);
        }
        return new GatherReport(dest, reports);
    }

    /** The state of one run: what the dataset holds, what was tried before, and the logs. */
    private final class Run {
        final Path dest;
        final Path partial;
        final ImageDecoder decoder;
        final CsvTable sources;
        final CsvTable attempts;
        final Set<String> recorded = new HashSet<>();
        final Map<String, String> outcomes = new HashMap<>();
        final Map<String, String> bySha = new HashMap<>();
        final Map<String, Long> byLook = new LinkedHashMap<>();
        final Map<String, Integer> duplicatesOnDisk = new HashMap<>();

        Run(Path dest, Path partial, ImageDecoder decoder) {
            this.dest = dest;
            this.partial = partial;
            this.decoder = decoder;
            this.sources = new CsvTable(dest.resolve(SOURCES), SOURCE_COLUMNS);
            this.attempts = new CsvTable(dest.resolve(WORK).resolve("attempts.csv"), ATTEMPT_COLUMNS);
            sources.read().forEach(r -> recorded.add(r.getOrDefault("file", "")));
            attempts.read().forEach(r -> outcomes.put(key(r.get("label"), r.get("url")), r.getOrDefault("outcome", "")));
            indexDataset();
        }

        /**
         * Hashes what the dataset already holds. With near de-duplication, an image that looks like one earlier in
         * path order (e.g. from a run with exact de-duplication only) is moved to quarantine, never deleted.
         */
        private void indexDataset() {
            Quarantine quarantine = null;
            for (Path file : ImageFiles.find(dest)) {
                String rel = relative(file);
                String sha;
                try {
                    sha = Downloader.sha256(Files.readAllBytes(file));
                } catch (IOException e) {
                    continue; // unreadable: verify will report it
                }
                if (options.dedupe() == Dedupe.NEAR) {
                    long look;
                    try {
                        look = PerceptualHash.of(decoder.decode(file));
                    } catch (ImageDecodeException e) {
                        bySha.putIfAbsent(sha, rel);
                        continue; // broken: verify will quarantine it with the right reason
                    }
                    String twin = nearest(look);
                    if (twin != null) {
                        if (quarantine == null) {
                            quarantine = Quarantine.of(dest);
                        }
                        quarantine.move(file, "near-duplicate of " + twin, "gather");
                        duplicatesOnDisk.merge(labelOf(rel), 1, Integer::sum);
                        continue;
                    }
                    byLook.put(rel, look);
                }
                bySha.putIfAbsent(sha, rel);
            }
        }

        GatherReport.Label label(String label, Downloader downloader, GatherProgress progress) {
            Path dir = dest.resolve(label);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new KodiakException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            String query = options.queryFor(label);
            Counts n = new Counts();
            n.duplicates = duplicatesOnDisk.getOrDefault(label, 0);
            if (ImageFiles.find(dir).size() >= options.max()) {
                return n.report(label, query, 0, ImageFiles.find(dir).size());
            }
            progress.searching(label, query);
            List<SearchResult> results = provider.search(label, query, options.max());
            progress.labelStarted(label, results.size());
            List<CompletableFuture<Download>> pending = new ArrayList<>();
            for (SearchResult r : results) {
                String before = outcomes.get(key(label, r.imageUrl()));
                if (before != null && isFinal(before)) {
                    n.skipped++;
                    progress.advanced(label);
                } else if (r.knownSmallerThan(options.minSize())) {
                    reject(label, n, new Download.Rejected(r, RejectReason.TOO_SMALL, "the search says it is "
                            + r.width() + "x" + r.height() + ", smaller than the minimum size " + options.minSize()));
                    progress.advanced(label);
                } else {
                    pending.add(downloader.start(r, partial));
                }
            }
            for (CompletableFuture<Download> f : pending) {
                Download d;
                try {
                    d = f.join();
                } catch (CompletionException e) {
                    pending.forEach(p -> p.cancel(true));
                    throw e.getCause() instanceof KodiakException k ? k
                            : new KodiakException("download failed: " + e.getCause(), e.getCause());
                }
                if (d instanceof Download.Image image) {
                    keep(label, n, image);
                } else {
                    reject(label, n, (Download.Rejected) d);
                }
                progress.advanced(label);
            }
            return n.report(label, query, results.size(), ImageFiles.find(dir).size());
        }

        /** Keeps {@code image} under its content-hash name unless the dataset already has it (or one like it). */
        private void keep(String label, Counts n, Download.Image image) {
            SearchResult src = image.source();
            String rel = label + "/" + image.sha256().substring(0, 16) + "." + image.format().extension();
            String same = bySha.get(image.sha256());
            String twin = same == null && options.dedupe() == Dedupe.NEAR ? nearest(image.dHash()) : null;
            if (same != null && !(same.equals(rel) && !recorded.contains(rel)) || twin != null) {
                delete(image.temp());
                n.duplicates++;
                log(label, src.imageUrl(), DUPLICATE, same != null ? "same bytes as " + same
                        : "near-duplicate of " + twin + " (distance "
                        + PerceptualHash.distance(image.dHash(), byLook.get(twin)) + ")");
                return;
            }
            if (same == null) {
                rel = place(image.temp(), rel);
            } else {
                delete(image.temp()); // the file is there from an interrupted run that did not record it
            }
            bySha.put(image.sha256(), rel);
            byLook.put(rel, image.dHash());
            recorded.add(rel);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("file", rel);
            row.put("label", label);
            row.put("url", src.imageUrl());
            row.put("page_url", src.pageUrl());
            row.put("licence", src.licence());
            row.put("creator", src.creator());
            row.put("title", src.title());
            row.put("sha256", image.sha256());
            row.put("downloaded_at", clock.instant().toString());
            sources.append(row);
            log(label, src.imageUrl(), KEPT, rel);
            n.downloaded++;
        }

        private void reject(String label, Counts n, Download.Rejected r) {
            n.rejected.merge(r.reason(), 1, Integer::sum);
            log(label, r.source().imageUrl(), r.reason().code(), r.message());
        }

        private void log(String label, String url, String outcome, String detail) {
            outcomes.put(key(label, url), outcome);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("label", label);
            row.put("url", url);
            row.put("outcome", outcome);
            row.put("detail", detail);
            row.put("time", clock.instant().toString());
            attempts.append(row);
        }

        /** Moves the temporary file to {@code rel} (a free name: an existing file is never replaced). */
        private String place(Path temp, String rel) {
            Path target = dest.resolve(rel);
            String name = target.getFileName().toString();
            int dot = name.lastIndexOf('.');
            for (int i = 1; Files.exists(target); i++) {
                target = target.resolveSibling(name.substring(0, dot) + "-" + i + name.substring(dot));
            }
            try {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target);
                }
            } catch (IOException e) {
                throw new KodiakException("cannot move a download to " + target + ": " + e.getMessage(), e);
            }
            return relative(target);
        }

        /** The kept image that looks most like {@code look} within the threshold, or null. */
        private String nearest(long look) {
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (Map.Entry<String, Long> e : byLook.entrySet()) {
                int d = PerceptualHash.distance(look, e.getValue());
                if (d <= options.nearThreshold() && d < bestDistance) {
                    best = e.getKey();
                    bestDistance = d;
                }
            }
            return best;
        }

        private String relative(Path file) {
            return dest.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        }
    }

    /** Counters of one label. */
    private static final class Counts {
        int skipped;
        int downloaded;
        int duplicates;
        final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);

        GatherReport.Label report(String label, String query, int found, int total) {
            return new GatherReport.Label(label, query, found, skipped, downloaded, duplicates, rejected, total);
        }
    }

    /** Whether an earlier outcome means "do not fetch again". */
    private static boolean isFinal(String outcome) {
        if (outcome.equals(KEPT) || outcome.equals(DUPLICATE)) {
            return true;
        }
        for (RejectReason r : RejectReason.values()) {
            if (r.code().equals(outcome)) {
                return !r.worthRetrying();
            }
        }
        return false;
    }

    private static String key(String label, String url) {
        return label + "\t" + url;
    }

    private static String labelOf(String rel) {
        int slash = rel.indexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file in .gather/partial; the folder is emptied at the end of the run
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(Gatherer::delete);
        } catch (IOException e) {
            throw new KodiakException("cannot clear the partial downloads in " + dir + ": " + e.getMessage(), e);
        }
    }
}
