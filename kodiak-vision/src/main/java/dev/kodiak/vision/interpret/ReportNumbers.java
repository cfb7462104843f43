package dev.kodiak.vision.interpret;

import dev.kodiak.compare.Estimate;
import java.util.List;
import java.util.Map;

/**
 * How {@code report.json} writes an estimate: the metric under its name and its interval as {@code [low, high]}
 * under the name with {@code _ci95} (the confidence in percent) appended, as {@code error_rate_ci95}.
 */
final class ReportNumbers {
    private ReportNumbers() {
    }

    static void put(Map<String, Object> report, String metric, Estimate e) {
        report.put(metric, e.value());
        report.put(metric + "_ci" + Math.round(e.interval().confidence() * 100),
                List.of(e.interval().low(), e.interval().high()));
    }
}
