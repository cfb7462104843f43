package dev.kodiak.cli;

import dev.kodiak.gather.DatasetVerifier;
import dev.kodiak.gather.Dedupe;
import dev.kodiak.gather.DownloadOptions;
import dev.kodiak.gather.GatherOptions;
import dev.kodiak.gather.GatherProgress;
import dev.kodiak.gather.GatherReport;
import dev.kodiak.gather.Gatherer;
import dev.kodiak.gather.Openverse;
import dev.kodiak.gather.PerceptualHash;
import dev.kodiak.gather.RejectReason;
import dev.kodiak.gather.SearchProvider;
import dev.kodiak.gather.UrlList;
import dev.kodiak.io.VerifyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kodiak gather}: build an image dataset from a web image search (or a list of URLs), then verify it. */
@Command(name = "gather", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search images for each label, download them politely in parallel, keep only real images "
                + "(named by content hash, duplicates removed), record where each came from in OUT/sources.csv, "
                + "then verify the folder. Running the same command again resumes: what is there is skipped.",
                "Openverse (openly licensed images) is searched anonymously; set KODIAK_OPENVERSE_CLIENT_ID and "
                        + "KODIAK_OPENVERSE_CLIENT_SECRET for its higher limits."})
final class GatherCommand implements Runnable {
    enum Provider { openverse, urls }

    enum DedupeMode { exact, near }

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The dataset folder to fill: DIR/<label>/.")
    Path out;

    @Option(names = "--labels", paramLabel = "LABEL", required = true, split = ",",
            description = "The labels (one folder each), e.g. grizzly,black,teddy.")
    List<String> labels;

    @Option(names = "--query", paramLabel = "TEXT", defaultValue = "{label}",
            description = "What to search for; {label} is replaced by each label (default: ${DEFAULT-VALUE}), e.g. \"{label} bear\".")
    String query;

    @Option(names = "--max", paramLabel = "N", defaultValue = "150", description = "Images per label (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--provider", paramLabel = "NAME", defaultValue = "openverse",
            description = "Where images come from: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Provider provider;

    @Option(names = "--urls", paramLabel = "FILE",
            description = "With --provider urls: a text file (one URL a line) or CSV (url[,label,licence,creator,title,page_url]); "
                    + "{label} in the path means one file per label.")
    String urls;

    @Option(names = "--api-base", paramLabel = "URL", description = "Another address for the search API (a mirror, a proxy, a test server).")
    String apiBase;

    @Option(names = {"--licence", "--license"}, paramLabel = "LICENCE", split = ",",
            description = "Only these licences (Openverse codes: cc0, pdm, by, by-sa, by-nd, by-nc, by-nc-sa, by-nc-nd).")
    List<String> licences = new ArrayList<>();

    @Option(names = "--min-size", paramLabel = "PX", defaultValue = "0",
            description = "Drop images narrower or lower than this (default: ${DEFAULT-VALUE}: keep all).")
    int minSize;

    @Option(names = "--dedupe", paramLabel = "MODE", defaultValue = "exact",
            description = "exact: identical files only; near: also images that look the same (default: ${DEFAULT-VALUE}).")
    DedupeMode dedupe;

    @Option(names = "--near-threshold", paramLabel = "BITS", defaultValue = "" + PerceptualHash.DEFAULT_THRESHOLD,
            description = "With --dedupe near: the largest perceptual-hash distance (of 64 bits) counted as the same image (default: ${DEFAULT-VALUE}).")
    int nearThreshold;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "Downloads at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--per-host", paramLabel = "N", defaultValue = "2", description = "Downloads at once from one host (default: ${DEFAULT-VALUE}).")
    int perHost;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Time allowed for one whole download (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3", description = "Retries after timeouts and server errors (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--max-mb", paramLabel = "MB", defaultValue = "20", description = "Largest file downloaded (default: ${DEFAULT-VALUE}).")
    double maxMb;

    @Option(names = "--allow-private-urls", description = "Also download from this machine and private networks "
            + "(localhost, 10.x, 192.168.x, link-local, fc00::/7, ...). Without it such URLs, and redirects to them, are "
            + "rejected (private_address): search results are strangers' links. The --api-base address is always trusted.")
    boolean allowPrivateUrls;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output o = new Output(spec, json.on);
        if (timeout <= 0 || maxMb <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout and --max-mb must be positive");
        }
        DownloadOptions download = DownloadOptions.builder().parallelism(parallel).perHost(perHost)
                .readTimeout(Duration.ofMillis(Math.round(timeout * 1000))).retries(retries)
                .maxBytes(Math.round(maxMb * 1024 * 1024)).allowPrivateAddresses(allowPrivateUrls).build();
        GatherOptions options = GatherOptions.builder(out, labels).query(query).max(max).minSize(minSize)
                .dedupe(dedupe == DedupeMode.near ? Dedupe.NEAR : Dedupe.EXACT).nearThreshold(nearThreshold)
                .download(download).build();
        SearchProvider search = provider(o, download);

        GatherReport report = Gatherer.of(options, search).run(progress(o));
        VerifyReport verified = DatasetVerifier.standard().verify(out, false);

        if (json.on) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("out", out.toString());
            m.put("provider", search.name());
            List<Map<String, Object>> perLabel = new ArrayList<>();
            for (GatherReport.Label l : report.labels()) {
                perLabel.add(json(l));
            }
            m.put("labels", perLabel);
            m.put("sources", out.resolve(Gatherer.SOURCES).toString());
            m.put("verify", VerifyCommand.json(verified));
            o.object(m);
        }
        int downloaded = report.labels().stream().mapToInt(GatherReport.Label::downloaded).sum();
        o.say("Downloaded %d new images into %s (where each came from: %s).", downloaded, out,
                out.resolve(Gatherer.SOURCES));
        VerifyCommand.say(o, verified);
    }

    private SearchProvider provider(Output o, DownloadOptions download) {
        if (provider == Provider.urls) {
            if (urls == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--provider urls needs --urls FILE");
            }
            if (!licences.isEmpty() || apiBase != null) {
                o.warn("--licence and --api-base apply to Openverse only; the URL list is used as it is");
            }
            return UrlList.of(urls);
        }
        if (urls != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--urls needs --provider urls");
        }
        Openverse.Builder b = Openverse.builder().licences(licences).credentialsFrom(System.getenv())
                .options(download.toBuilder().parallelism(1).build());
        if (apiBase != null) {
            b.apiBase(apiBase);
        }
        return b.build();
    }

    /** Bars on a terminal; otherwise a line per label (on stderr with --json). */
    private static GatherProgress progress(Output o) {
        GatherProgress bars = System.console() != null ? GatherProgress.bars(System.err) : GatherProgress.NONE;
        return new GatherProgress() {
            @Override
            public void searching(String label, String query) {
                o.say("%s: searching for \"%s\"...", label, query);
            }

            @Override
            public void labelStarted(String label, int results) {
                bars.labelStarted(label, results);
            }

            @Override
            public void advanced(String label) {
                bars.advanced(label);
            }

            @Override
            public void labelFinished(GatherReport.Label l) {
                bars.labelFinished(l);
                StringBuilder rejected = new StringBuilder();
                l.rejected().forEach((r, n) -> rejected.append(rejected.length() == 0 ? "" : ", ")
                        .append(r.code()).append(' ').append(n));
                o.say("%s: %d found, %d downloaded, %d duplicates, %d rejected%s, %d already done; %d images in the folder.",
                        l.label(), l.found(), l.downloaded(), l.duplicates(), l.rejectedCount(),
                        rejected.length() == 0 ? "" : " (" + rejected + ")", l.skipped(), l.total());
            }
        };
    }

    private static Map<String, Object> json(GatherReport.Label l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", l.label());
        m.put("query", l.query());
        m.put("found", l.found());
        m.put("skipped", l.skipped());
        m.put("downloaded", l.downloaded());
        m.put("duplicates", l.duplicates());
        Map<String, Integer> rejected = new LinkedHashMap<>();
        for (Map.Entry<RejectReason, Integer> e : l.rejected().entrySet()) {
            rejected.put(e.getKey().code(), e.getValue());
        }
        m.put("rejected", rejected);
        m.put("total", l.total());
        return m;
    }
}
