package dev.kodiak.gather;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What {@link Gatherer#run} did, label by label. */
public record GatherReport(Path dest, List<Label> labels) {
    public GatherReport {
        labels = List.copyOf(labels);
    }

    /**
     * One label's numbers.
     *
     * @param query      what was searched for
     * @param found      search results
     * @param skipped    results already handled by an earlier run (kept, duplicate, or rejected for good)
     * @param downloaded new images kept
     * @param duplicates images not kept (or moved to quarantine) because the dataset already has them
     * @param rejected   results that gave no image, by reason
     * @param total      images in the label's folder afterwards
     */
    public record Label(String label, String query, int found, int skipped, int downloaded, int duplicates,
                        Map<RejectReason, Integer> rejected, int total) {
        public Label {
            rejected = rejected.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(rejected));
        }

        /** All rejected results. */
        public int rejectedCount() {
            return rejected.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
