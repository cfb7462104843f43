package dev.kodiak.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kodiak.KodiakException;
import dev.kodiak.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The weights cache directory and its index ({@code index.json}: name → file, full SHA-256, size, source,
 * verification time). A file is entered only after its hash was checked; lookups re-check files whose size changed.
 * Not safe against two processes writing the same cache at once (the index is replaced atomically, last one wins).
 */
public final class WeightsCache {
    static final String INDEX = "index.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public WeightsCache(Path dir) {
        this.dir = dir;
    }

    /** The cache directory. */
    public Path dir() {
        return dir;
    }

    /** Where the file of {@code weights} lives in the cache (whether or not it is there). */
    public Path pathOf(PretrainedWeights weights) {
        return dir.resolve(weights.fileName());
    }

    /** Every indexed file, by name. */
    public List<CachedWeights> entries() {
        return new ArrayList<>(readIndex().values());
    }

    /** The index entry called {@code name}, if its file is still there. */
    public Optional<CachedWeights> entry(String name) {
        CachedWeights e = readIndex().get(name);
        return e != null && Files.isRegularFile(dir.resolve(e.file())) ? Optional.of(e) : Optional.empty();
    }

    /**
     * The cached file of {@code weights}, verified: an indexed file whose size is unchanged, or a file of the right
     * name that someone put into the cache, checked against the registry's hash now and then indexed.
     */
    public Optional<Path> find(PretrainedWeights weights) {
        Optional<CachedWeights> indexed = entry(weights.name());
        Path file = indexed.map(e -> dir.resolve(e.file())).orElse(pathOf(weights));
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (indexed.isPresent() && size(file) == indexed.get().size() && weights.matches(indexed.get().sha256())) {
            return Optional.of(file);
        }
        String actual = sha256(file);
        // with no published hash, the one pinned at the first download is what the file must keep
        boolean changedSincePinned = weights.sha256().isEmpty() && indexed.isPresent()
                && !indexed.get().sha256().equals(actual);
        if (!weights.matches(actual) || changedSincePinned) {
            throw new KodiakException("the cached file " + file + " does not hold the weights " + weights.name()
                    + " (its SHA-256 is " + actual + ", expected " + expected(weights, indexed) + "). Delete it and run "
                    + "`kodiak weights fetch " + weights.name() + "` again.");
        }
        record(new CachedWeights(weights.name(), file.getFileName().toString(), actual, size(file),
                indexed.map(CachedWeights::source).orElse("found in the cache"), weights.architecture().name(),
                Instant.now().toString()));
        return Optional.of(file);
    }

    /** Adds or replaces an index entry (the file must already be in the cache directory). */
    public void record(CachedWeights entry) {
        Map<String, CachedWeights> index = readIndex();
        index.put(entry.name(), entry);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".index", ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), index);
                AtomicFiles.move(tmp, dir.resolve(INDEX));
            } finally {
                AtomicFiles.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new KodiakException("cannot write the weights cache index " + dir.resolve(INDEX) + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of {@code file} in lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputSink.INSTANCE);
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new KodiakException("cannot read " + file + " to check its SHA-256: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String expected(PretrainedWeights w, Optional<CachedWeights> indexed) {
        if (!w.sha256().isEmpty()) {
            return w.hasFullHash() ? w.sha256() : "one starting with " + w.sha256();
        }
        return indexed.map(e -> e.sha256() + ", pinned at its first download on " + e.verifiedAt()).orElse("?");
    }

    private Map<String, CachedWeights> readIndex() {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(index.toFile(), new TypeReference<Map<String, CachedWeights>>() { }));
        } catch (IOException | KodiakException e) {
            throw new KodiakException("the weights cache index " + index + " is damaged (" + e.getMessage()
                    + "); delete it and Kodiak will re-check the files it finds", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new KodiakException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Discards bytes (the digest stream already saw them). */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
