package dev.kodiak.io;

import dev.kodiak.KodiakException;
import dev.kodiak.io.RestrictedUnpickler.StorageRef;
import dev.kodiak.io.RestrictedUnpickler.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the state dicts that {@code torch.save(model.state_dict(), f)} writes (PyTorch 1.6 and later): a zip
 * holding {@code <archive>/data.pkl}, a pickle describing the tensors, and {@code <archive>/data/<key>}, the raw
 * storages. The pickle goes through {@link RestrictedUnpickler}, which executes nothing and refuses any global
 * a state dict does not need.
 */
public final class PthReader {
    /** The pickle of a state dict is a few hundred bytes per tensor; anything far larger is not one. */
    private static final long MAX_PICKLE_BYTES = 64L * 1024 * 1024;

    private PthReader() {
    }

    /** Reads the state dict in {@code file}, within {@link ReadLimits#DEFAULT}. */
    public static StateDict read(Path file) {
        return read(file, ReadLimits.DEFAULT);
    }

    /**
     * Reads the state dict in {@code file}. The tensors the pickle declares must fit {@code limits} before any
     * storage is read, and no storage entry is inflated past the size its tensors declare (zip headers can lie).
     */
    public static StateDict read(Path file, ReadLimits limits) {
        String source = file.toString();
        checkMagic(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = archivePrefix(zip, source);
            byte[] pickle = entryBytes(zip, prefix + "data.pkl", MAX_PICKLE_BYTES, source);
            boolean bigEndian = false;
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String o = new String(entryBytes(zip, order.getName(), 16, source), StandardCharsets.US_ASCII).trim();
                bigEndian = o.equals("big");
            }
            Object top = new RestrictedUnpickler(pickle, source).load();
            Map<?, ?> tensors = tensorMap(top, source);
            checkLimits(tensors, limits, source);
            Map<String, byte[]> storages = new HashMap<>();
            List<TensorData> out = new ArrayList<>(tensors.size());
            for (Map.Entry<?, ?> e : tensors.entrySet()) {
                String name = (String) e.getKey();
                TensorRef ref = (TensorRef) e.getValue();
                StorageRef s = ref.storage();
                byte[] storage = storages.get(s.key());
                if (storage == null) {
                    long bytes = Math.multiplyExact(s.numel(), s.dtype().byteSize());
                    storage = entryBytes(zip, prefix + "data/" + s.key(), bytes, source);
                    if (storage.length != bytes) {
                        throw new KodiakException("cannot load " + source + ": storage " + s.key() + " of tensor " + name
                                + " should hold " + bytes + " bytes but has " + storage.length
                                + " (damaged or truncated file?)");
                    }
                    if (bigEndian) {
                        StridedCopy.swapBytes(storage, s.dtype().byteSize());
                    }
                    storages.put(s.key(), storage);
                }
                out.add(new TensorData(name, s.dtype(), ref.size(), StridedCopy.gather(ref, storage, name, source)));
            }
            return StateDict.of(out);
        } catch (ZipException e) {
            throw new KodiakException("cannot load " + source + ": it is not a readable zip (" + e.getMessage()
                    + "); the file is truncated or damaged, download it again", e);
        } catch (IOException e) {
            throw new KodiakException("cannot load " + source + ": " + e.getMessage(), e);
        } catch (ArithmeticException e) {
            throw new KodiakException("refusing " + source + ": a tensor or storage size overflows a 64-bit count "
                    + "(crafted file?)", e);
        }
    }

    // Everything is sized from the pickle alone, so a crafted pickle is refused before any storage is inflated.
    private static void checkLimits(Map<?, ?> tensors, ReadLimits limits, String source) {
        limits.checkTensorCount(tensors.size(), source);
        Map<String, Long> storageBytes = new HashMap<>();
        long viewBytes = 0;
        for (Map.Entry<?, ?> e : tensors.entrySet()) {
            TensorRef ref = (TensorRef) e.getValue();
            limits.checkShape((String) e.getKey(), ref.size(), source);
            StorageRef s = ref.storage();
            long bytes = Math.multiplyExact(s.numel(), s.dtype().byteSize());
            Long before = storageBytes.put(s.key(), bytes);
            if (before != null && before != bytes) {
                throw new KodiakException("cannot load " + source + ": storage " + s.key() + " is declared with two "
                        + "sizes (" + before + " and " + bytes + " bytes; crafted file?)");
            }
            viewBytes = Math.addExact(viewBytes, Math.multiplyExact(TensorData.numel(ref.size(), (String) e.getKey()),
                    s.dtype().byteSize()));
        }
        long stored = 0;
        for (long b : storageBytes.values()) {
            stored = Math.addExact(stored, b);
        }
        limits.checkTensorBytes(stored, source);
        limits.checkTensorBytes(viewBytes, source); // a view may repeat its storage (stride 0): bound the copies too
    }

    private static void checkMagic(Path file) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n == 4 && head[0] == 'P' && head[1] == 'K') {
                return;
            }
            if (n >= 1 && (head[0] & 0xFF) == 0x80) {
                throw new KodiakException("cannot load " + file + ": it is a legacy (pre-1.6) PyTorch file, which Kodiak "
                        + "does not read. Re-save it with a current PyTorch: torch.save(torch.load(f), 'new.pth')");
            }
            throw new KodiakException("cannot load " + file + ": it is not a PyTorch .pth file (no zip signature)");
        } catch (IOException e) {
            throw new KodiakException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    // torch.save names the top folder after the file ("archive" or the file's stem); find it by its data.pkl.
    private static String archivePrefix(ZipFile zip, String source) {
        String found = null;
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                if (found != null) {
                    throw new KodiakException("cannot load " + source + ": it holds more than one data.pkl");
                }
                found = name.substring(0, name.length() - "data.pkl".length());
            }
        }
        if (found == null) {
            throw new KodiakException("cannot load " + source + ": the zip holds no <archive>/data.pkl, so it was not "
                    + "written by torch.save");
        }
        return found;
    }

    private static byte[] entryBytes(ZipFile zip, String name, long maxBytes, String source) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new KodiakException("cannot load " + source + ": the entry " + name + " is missing (damaged file?)");
        }
        if (entry.getSize() > maxBytes) {
            throw new KodiakException("cannot load " + source + ": the entry " + name + " holds " + entry.getSize()
                    + " bytes, more than the " + maxBytes + " it should");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            // readNBytes bounds the allocation even if the recorded size lies
            return in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
        }
    }

    private static Map<?, ?> tensorMap(Object top, String source) {
        if (top instanceof Map<?, ?> m) {
            if (!m.isEmpty() && allTensors(m)) {
                return m;
            }
            // training checkpoints often wrap the weights: {"state_dict": {...}, "epoch": 3} or {"model": {...}}
            for (String key : List.of("state_dict", "model")) {
                if (m.get(key) instanceof Map<?, ?> inner && !inner.isEmpty() && allTensors(inner)) {
                    return inner;
                }
            }
            if (m.isEmpty()) {
                throw new KodiakException("cannot load " + source + ": the state dict is empty");
            }
        }
        throw new KodiakException("cannot load " + source + ": it does not hold a state dict (a map from names to "
                + "tensors); save it with torch.save(model.state_dict(), f)");
    }

    private static boolean allTensors(Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TensorRef)) {
                return false;
            }
        }
        return true;
    }
}
