package dev.kodiak.gather;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.DecodeLimits;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What {@link Gatherer} builds: {@code dest/<label>/<sha256-prefix>.<ext>} for each label, plus
 * {@code dest/sources.csv}.
 *
 * @param dest          the dataset folder
 * @param labels        one folder per label; also what is searched for, through {@code query}
 * @param query         the search text, {@code {label}} replaced by the label (e.g. {@code "{label} bear"})
 * @param max           results asked for per label (the images kept per label are at most this)
 * @param minSize       smallest width and height kept (0: any)
 * @param dedupe        exact duplicates only, or near duplicates too
 * @param nearThreshold the largest {@link PerceptualHash#distance} at which two images count as the same
 * @param download      HTTP politeness and limits
 * @param limits        decode limits every image must pass
 */
public record GatherOptions(Path dest, List<String> labels, String query, int max, int minSize, Dedupe dedupe,
                            int nearThreshold, DownloadOptions download, DecodeLimits limits) {
    public GatherOptions {
        if (dest == null) {
            throw new KodiakException("the gather needs an output folder (--out DIR)");
        }
        if (labels == null || labels.isEmpty()) {
            throw new KodiakException("the gather needs at least one label (--labels grizzly,black,teddy)");
        }
        labels = List.copyOf(new LinkedHashSet<>(labels.stream().map(String::strip).toList()));
        for (String label : labels) {
            if (label.isEmpty() || label.startsWith(".") || label.contains("/") || label.contains("\\")
                    || label.contains("\0")) {
                throw new KodiakException("label \"" + label + "\" cannot be a folder name: use letters, digits, "
                        + "spaces, '-' or '_', not starting with '.'");
            }
        }
        if (query == null || query.isBlank()) {
            query = "{label}";
        }
        if (max < 1) {
            throw new KodiakException("--max must be at least 1, got " + max);
        }
        if (minSize < 0) {
            throw new KodiakException("--min-size must not be negative, got " + minSize);
        }
        if (dedupe == null) {
            dedupe = Dedupe.EXACT;
        }
        if (nearThreshold < 0 || nearThreshold > 64) {
            throw new KodiakException("the near-duplicate threshold must be between 0 and 64 bits, got " + nearThreshold);
        }
        if (download == null) {
            download = DownloadOptions.defaults();
        }
        if (limits == null) {
            limits = DecodeLimits.DEFAULT;
        }
    }

    /** The search text for {@code label}. */
    public String queryFor(String label) {
        return query.replace("{label}", label);
    }

    public static Builder builder(Path dest, List<String> labels) {
        return new Builder(dest, labels);
    }

    /** Builds {@link GatherOptions}: query "{label}", 150 per label, any size, exact de-duplication. */
    public static final class Builder {
        private final Path dest;
        private final List<String> labels;
        private String query = "{label}";
        private int max = 150;
        private int minSize;
        private Dedupe dedupe = Dedupe.EXACT;
        private int nearThreshold = PerceptualHash.DEFAULT_THRESHOLD;
        private DownloadOptions download = DownloadOptions.defaults();
        private DecodeLimits limits = DecodeLimits.DEFAULT;

        private Builder(Path dest, List<String> labels) {
            this.dest = dest;
            this.labels = labels;
        }

        public Builder query(String template) {
            this.query = template;
            return this;
        }

        public Builder max(int n) {
            this.max = n;
            return this;
        }

        public Builder minSize(int pixels) {
            this.minSize = pixels;
            return this;
        }

        public Builder dedupe(Dedupe mode) {
            this.dedupe = mode;
            return this;
        }

        public Builder nearThreshold(int bits) {
            this.nearThreshold = bits;
            return this;
        }

        public Builder download(DownloadOptions options) {
            this.download = options;
            return this;
        }

        public Builder limits(DecodeLimits limits) {
            this.limits = limits;
            return this;
        }

        public GatherOptions build() {
            return new GatherOptions(dest, labels, query, max, minSize, dedupe, nearThreshold, download, limits);
        }
    }
}
