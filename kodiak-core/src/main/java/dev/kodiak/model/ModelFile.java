package dev.kodiak.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kodiak.KodiakException;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.io.ReadLimits;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes {@code .kodiak} files: a zip of {@code manifest.json} + {@code weights.safetensors}, and for
 * checkpoints also {@code optimizer.safetensors} + {@code state.json}. No code and no pickle inside; writes are
 * atomic (temp file + move); reads check every entry name, size, the format version and the weights' SHA-256.
 */
public final class ModelFile {
    public static final String MANIFEST = "manifest.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16; // one entry is read into one array
    private static final Set<String> KNOWN = Set.of(MANIFEST, WEIGHTS, OPTIMIZER, STATE);
    private static final long MAX_MANIFEST_BYTES = 64L << 20;
    /** Optimizer state holds at most a few values per weight (Adam: two moments; SGD: one momentum). */
    private static final int OPTIMIZER_VALUES_PER_WEIGHT = 3;
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT); // 128.7 pixels is damage, not 128

    private ModelFile() {
    }

    /** Writes a model file (no optimizer state). Returns the manifest as written (with the weights' hash). */
    public static Manifest write(Path file, Manifest manifest, StateDict weights) {
        return write(file, manifest, weights, null, null);
    }

    /** Writes a model or checkpoint file atomically; {@code optimizer} and {@code state} may be null. */
    public static Manifest write(Path file, Manifest manifest, StateDict weights, StateDict optimizer, JsonNode state) {
        // Tensors are streamed into the zip, twice: once through the checksums (the manifest needs the SHA-256 and
        // a stored zip entry its CRC and size up front), then for real; no copy of the weights in between.
        Checksums weightSums = Checksums.of(weights, true);
        Manifest full = manifest.withWeights(new Manifest.WeightsInfo(WEIGHTS, weightSums.sha256(), weights.size(),
                weights.numel()));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, MANIFEST, JSON.writeValueAsBytes(full));
                putTensors(zip, WEIGHTS, weights, weightSums);
                if (optimizer != null) {
                    putTensors(zip, OPTIMIZER, optimizer, Checksums.of(optimizer, false));
                }
                if (state != null) {
                    put(zip, STATE, JSON.writeValueAsBytes(state));
                }
            }
            AtomicFiles.move(tmp, file);
            return full;
        } catch (IOException e) {
            if (tmp != null) {
                AtomicFiles.deleteQuietly(tmp);
            }
            throw new KodiakException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and checks a model or checkpoint file; its weights must fit {@link ReadLimits#DEFAULT}. */
    public static Contents read(Path file) {
        return read(file, ReadLimits.DEFAULT);
    }

    /**
     * Reads only the manifest of a model file, checked as {@link #read} checks it, so that a caller can size the
     * model (and derive {@link ReadLimits}) before the weights are read.
     */
    public static Manifest readManifest(Path file) {
        requireFile(file);
        boolean any = false;
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                any = true;
                checkName(e.getName(), file);
                if (e.getName().equals(MANIFEST)) { // Kodiak writes it first: nothing else is inflated
                    return parseManifest(readLimited(zip, e, MAX_MANIFEST_BYTES, file, MANIFEST, "at most"), file);
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new KodiakException("model file " + file + " is damaged or truncated (" + e.getMessage()
                    + "): export it again", e);
        } catch (IOException e) {
            throw new KodiakException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        throw new KodiakException(any ? "model file " + file + " has no " + MANIFEST + ": not a Kodiak model, or damaged"
                : "model file " + file + " is not a Kodiak model (not a zip, or empty)");
    }

    /**
     * Reads and checks a model or checkpoint file. The weights entry may hold no more than {@code weights} allows
     * (its tensors plus their header), the optimizer entry a few values per weight; both the size a zip entry declares
     * and the bytes it inflates to are checked, so a compressed "bomb" is refused before it fills the memory.
     */
    public static Contents read(Path file, ReadLimits weights) {
        requireFile(file);
        ReadLimits optimizerLimits = weights.times(OPTIMIZER_VALUES_PER_WEIGHT, "the optimizer state of "
                + weights.what());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                checkName(name, file);
                if (entries.containsKey(name)) {
                    throw new KodiakException("refusing model file " + file + ": entry '" + name + "' appears twice");
                }
                byte[] bytes = switch (name) {
                    case WEIGHTS -> readLimited(zip, e, weights.fileBytes(), file, name, "what " + weights.what()
                            + " takes:");
                    case OPTIMIZER -> readLimited(zip, e, optimizerLimits.fileBytes(), file, name, "what "
                            + optimizerLimits.what() + " takes:");
                    default -> readLimited(zip, e, MAX_MANIFEST_BYTES, file, name, "at most");
                };
                entries.put(name, bytes);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new KodiakException("model file " + file + " is damaged or truncated (" + e.getMessage()
                    + "): export it again", e);
        } catch (IOException e) {
            throw new KodiakException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return contents(file, entries, weights, optimizerLimits);
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KodiakException("model file " + file + " does not exist");
        }
    }

    private static void checkName(String name, Path file) {
        if (name.contains("..") || name.startsWith("/") || name.contains("\\")) {
            throw new KodiakException("refusing model file " + file + ": it has an entry named '" + name
                    + "' that points outside the archive (a \"zip slip\" attack?)");
        }
        if (!KNOWN.contains(name)) {
            throw new KodiakException("refusing model file " + file + ": unexpected entry '" + name
                    + "' (a .kodiak file holds only " + KNOWN + ")");
        }
    }

    private static Contents contents(Path file, Map<String, byte[]> entries, ReadLimits weights,
            ReadLimits optimizerLimits) {
        if (entries.isEmpty()) {
            throw new KodiakException("model file " + file + " is not a Kodiak model (not a zip, or empty)");
        }
        if (!entries.containsKey(MANIFEST)) {
            throw new KodiakException("model file " + file + " has no " + MANIFEST + ": not a Kodiak model, or damaged");
        }
        Manifest manifest = parseManifest(entries.get(MANIFEST), file);
        byte[] weightBytes = entries.get(WEIGHTS);
        if (weightBytes == null) {
            throw new KodiakException("model file " + file + " has no " + WEIGHTS + ": damaged or incomplete");
        }
        if (manifest.weights() == null || manifest.weights().sha256() == null) {
            throw new KodiakException("model file " + file + ": the manifest records no SHA-256 of the weights");
        }
        String actual = sha256(weightBytes);
        if (!actual.equalsIgnoreCase(manifest.weights().sha256())) {
            throw new KodiakException("model file " + file + ": the weights do not match the SHA-256 in the manifest"
                    + " (expected " + manifest.weights().sha256() + ", got " + actual + "): the file was modified or"
                    + " corrupted; export it again");
        }
        StateDict weightDict = SafeTensors.read(weightBytes, file + "!" + WEIGHTS, weights);
        StateDict optimizer = entries.containsKey(OPTIMIZER)
                ? SafeTensors.read(entries.get(OPTIMIZER), file + "!" + OPTIMIZER, optimizerLimits) : null;
        JsonNode state = null;
        if (entries.containsKey(STATE)) {
            try {
                state = JSON.readTree(entries.get(STATE));
            } catch (IOException e) {
                throw new KodiakException("model file " + file + ": " + STATE + " is not valid JSON: " + e.getMessage());
            }
        }
        return new Contents(manifest, weightDict, Optional.ofNullable(optimizer), Optional.ofNullable(state));
    }

    /** What a model file holds. */
    public record Contents(Manifest manifest, StateDict weights, Optional<StateDict> optimizer, Optional<JsonNode> state) {
    }

    private static Manifest parseManifest(byte[] bytes, Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new KodiakException("model file " + file + ": " + MANIFEST + " is not valid JSON: " + e.getMessage());
        }
        int version = checkFormatVersion(tree, file);
        try {
            return version == ManifestV1.VERSION ? JSON.treeToValue(tree, ManifestV1.class).upgrade()
                    : JSON.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new KodiakException("model file " + file + ": the manifest is invalid: " + e.getOriginalMessage()
                    + where(e), e);
        } catch (KodiakException | IllegalArgumentException e) {
            throw new KodiakException("model file " + file + ": the manifest is invalid: " + e.getMessage(), e);
        }
    }

    // e.g. " (at input.item_transforms.0.height)": which value Jackson could not read
    private static String where(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (var ref : m.getPath()) {
            b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
        }
        return " (at " + b + ")";
    }

    // The size a zip entry declares is checked first; the bytes it inflates to are counted as they come, since a
    // crafted entry can declare anything (or nothing).
    // Only a JSON integer names a version: 1.9 is not 1, "1" is a string, 1e30 is no version at all.
    private static int checkFormatVersion(JsonNode tree, Path file) {
        String reads = "this Kodiak reads versions " + ManifestV1.VERSION + " and " + Manifest.FORMAT_VERSION;
        JsonNode version = tree == null || !tree.isObject() ? null : tree.get("format_version");
        if (version == null || version.isNull()) {
            throw new KodiakException("model file " + file + ": the manifest has no format_version (" + reads
                    + "): not a Kodiak model, or damaged");
        }
        if (!version.isNumber()) {
            throw new KodiakException("model file " + file + ": the manifest's format_version is " + version
                    + ", a " + version.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not a whole number ("
                    + reads + ")");
        }
        if (!version.isIntegralNumber()) {
            throw new KodiakException("model file " + file + ": the manifest's format_version is " + version.asText()
                    + ", not a whole number (" + reads + ")");
        }
        java.math.BigInteger v = version.bigIntegerValue();
        if (v.compareTo(java.math.BigInteger.valueOf(ManifestV1.VERSION)) < 0
                || v.compareTo(java.math.BigInteger.valueOf(Manifest.FORMAT_VERSION)) > 0) {
            boolean newer = v.compareTo(java.math.BigInteger.valueOf(Manifest.FORMAT_VERSION)) > 0;
            throw new KodiakException("model file " + file + " has format version " + v + ", but " + reads
                    + (newer ? ": upgrade Kodiak" : ": export the model again"));
        }
        return v.intValueExact();
    }

    private static byte[] readLimited(ZipInputStream in, ZipEntry entry, long limit, Path file, String name,
            String allowed) throws IOException {
        long cap = Math.min(limit, MAX_ARRAY_BYTES);
        if (entry.getSize() > cap) {
            throw tooLarge(file, name, "declares " + entry.getSize() + " bytes", cap, allowed);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(entry.getSize() > 0 ? (int) entry.getSize() : 8192);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > cap) {
                throw tooLarge(file, name, "inflates to more than " + cap + " bytes", cap, allowed);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static KodiakException tooLarge(Path file, String name, String what, long cap, String allowed) {
        return new KodiakException("refusing model file " + file + ": its entry " + name + " " + what + ", more than "
                + allowed + " " + cap + " bytes (a compressed \"zip bomb\", or a damaged file?)");
    }

    // The small JSON entries are deflated.
    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    // Tensors are stored uncompressed: float weights barely compress (a few percent) and inflating them would
    // cost seconds at every load.
    private static void putTensors(ZipOutputStream zip, String name, StateDict dict, Checksums sums) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(sums.size());
        entry.setCompressedSize(sums.size());
        entry.setCrc(sums.crc());
        zip.putNextEntry(entry);
        SafeTensors.write(zip, dict);
        zip.closeEntry();
    }

    /** Size, CRC-32 and (optionally) SHA-256 of a state dict's safetensors bytes, computed without keeping them. */
    private record Checksums(long size, long crc, String sha256) {
        static Checksums of(StateDict dict, boolean withSha) {
            try {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                MessageDigest sha = withSha ? MessageDigest.getInstance("SHA-256") : null;
                long[] size = {0};
                OutputStream sink = new OutputStream() {
                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        crc.update(b, off, len);
                        if (sha != null) {
                            sha.update(b, off, len);
                        }
                        size[0] += len;
                    }
                };
                SafeTensors.write(sink, dict);
                return new Checksums(size[0], crc.getValue(), sha == null ? null : HexFormat.of().formatHex(sha.digest()));
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                throw new KodiakException("cannot serialize weights: " + e.getMessage(), e);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
