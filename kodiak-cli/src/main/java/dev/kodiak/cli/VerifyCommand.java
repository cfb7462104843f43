package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.gather.DatasetVerifier;
import dev.kodiak.io.Quarantine;
import dev.kodiak.io.QuarantineEntry;
import dev.kodiak.io.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak verify DIR}: find images and sound files that do not decode and move them to {@code DIR/.quarantine/}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Decode every image under DIR fully and move the ones that fail (empty, truncated, not an image, "
                + "unsupported format such as .tif, .svg, .heic or .avif, too large, unreadable) to DIR/.quarantine/, "
                + "keeping their relative paths. Sound files (wav, flac, mp3, ogg, m4a, opus) are decoded too and moved "
                + "when empty, truncated, not-audio, too-long (over --max-seconds) or unsupported (e.g. .aiff, .wma); a "
                + "folder may mix images and sound. Other files (CSVs, text) are left alone, and so are symbolic links to "
                + "files outside DIR (reported as skipped). "
                + "Nothing is deleted; DIR/.quarantine/quarantine.csv says what was moved, why and when.",
                "--restore moves everything in the quarantine back (never over an existing file; a quarantine.csv row whose "
                        + "paths lead outside DIR, e.g. through a symbolic link, is refused and named)."})
final class VerifyCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "DIR", description = "The dataset folder.")
    Path dir;

    @Option(names = "--dry-run", description = "Only list; move nothing.")
    boolean dryRun;

    @Option(names = "--restore", description = "Move the quarantined files back to where they were.")
    boolean restore;

    @Option(names = "--max-seconds", paramLabel = "S", defaultValue = "600",
            description = "Sound files longer than this are moved as too-long (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output out = new Output(spec, json.on);
        if (!Files.isDirectory(dir)) {
            throw new KodiakException("dataset folder " + dir + " does not exist or is not a folder");
        }
        if (restore) {
            restore(out);
            return;
        }
        if (!(maxSeconds > 0) || Double.isInfinite(maxSeconds)) {
            throw new KodiakException("--max-seconds must be a positive number of seconds, got " + maxSeconds);
        }
        VerifyReport report = DatasetVerifier.withMaxSeconds(maxSeconds).verify(dir, dryRun);
        out.object(json(report));
        say(out, report);
    }

    /** The JSON of a verify report (also part of {@code kodiak gather --json}). */
    static Map<String, Object> json(VerifyReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", report.dir().toString());
        m.put("checked", report.checked());
        m.put("ok", report.ok());
        List<Map<String, Object>> failed = new ArrayList<>();
        for (VerifyReport.Failure f : report.failures()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("file", f.file().toString());
            x.put("reason", f.reasonCode());
            x.put("message", f.message());
            x.put("quarantined_to", f.quarantined().map(Path::toString).orElse(null));
            failed.add(x);
        }
        m.put("failed", failed);
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (VerifyReport.Skipped k : report.skipped()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("file", k.file().toString());
            x.put("why", k.why());
            skipped.add(x);
        }
        m.put("skipped", skipped);
        m.put("dry_run", report.dryRun());
        return m;
    }

    /** People's lines for a verify report. */
    static void say(Output out, VerifyReport report) {
        out.say("Verified %s: %d files checked, %d ok, %d failed.", report.dir(), report.checked(), report.ok(),
                report.failures().size());
        for (VerifyReport.Failure f : report.failures()) {
            out.say("  %s: %s (%s)%s", f.file(), f.reasonCode(), f.message(),
                    f.quarantined().map(q -> " -> moved to " + q).orElse(""));
        }
        for (VerifyReport.Skipped k : report.skipped()) {
            out.say("  skipped %s: %s", k.file(), k.why());
        }
        if (report.dryRun() && !report.failures().isEmpty()) {
            out.say("Dry run: nothing was moved. Run without --dry-run to move them to %s.",
                    report.dir().resolve(Quarantine.FOLDER));
        } else if (!report.failures().isEmpty()) {
            out.say("Nothing was deleted: `kodiak verify %s --restore` moves them back.", report.dir());
        }
    }

    private void restore(Output out) {
        Quarantine quarantine = Quarantine.of(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.toString());
        if (dryRun) {
            List<QuarantineEntry> entries = quarantine.entries();
            List<Map<String, Object>> list = new ArrayList<>();
            for (QuarantineEntry e : entries) {
                list.add(entry(e));
            }
            m.put("entries", list);
            m.put("dry_run", true);
            out.object(m);
            out.say("%d files in %s (dry run: nothing moved):", entries.size(), quarantine.folder());
            for (QuarantineEntry e : entries) {
                out.say("  %s <- %s (%s, by %s, %s)", e.originalPath(), e.file(), e.reason(), e.by(), e.time());
            }
            return;
        }
        Quarantine.Restored r = quarantine.restore();
        List<Map<String, Object>> restored = new ArrayList<>();
        for (QuarantineEntry e : r.restored()) {
            restored.add(entry(e));
        }
        List<Map<String, Object>> refused = new ArrayList<>();
        for (Quarantine.Refused x : r.refused()) {
            Map<String, Object> e = entry(x.entry());
            e.put("why", x.why());
            refused.add(e);
        }
        m.put("restored", restored);
        m.put("refused", refused);
        m.put("dry_run", false);
        out.object(m);
        out.say("Restored %d files from %s; %d left.", r.restored().size(), quarantine.folder(), r.refused().size());
        for (Quarantine.Refused x : r.refused()) {
            out.say("  not restored: %s: %s", x.entry().originalPath(), x.why());
        }
    }

    private static Map<String, Object> entry(QuarantineEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", e.originalPath().toString());
        m.put("quarantined", e.file().toString());
        m.put("reason", e.reason());
        m.put("by", e.by());
        m.put("time", e.time().toString());
        return m;
    }
}
