package dev.kodiak.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test helper: writes {@code .pth} files the way torch.save lays them out (see PyTorch's serialization docs): a
 * zip with {@code <archive>/data.pkl} (protocol-2 pickle), {@code <archive>/data/<key>} and {@code version}. The
 * pickle is assembled opcode by opcode so tests can also craft malicious ones.
 */
final class TorchZip {
    final ByteArrayOutputStream pickle = new ByteArrayOutputStream();
    final Map<String, byte[]> storages = new LinkedHashMap<>();
    /** Deflate the storages (torch.save stores them; a crafted file may compress them into a "bomb"). */
    boolean deflate;

    TorchZip op(int opcode) {
        pickle.write(opcode);
        return this;
    }

    TorchZip global(String module, String name) {
        op('c');
        raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TorchZip str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        raw(b);
        return this;
    }

    TorchZip integer(long v) {
        if (v >= 0 && v < 256) {
            op('K').op((int) v);
        } else if (v != (int) v) { // LONG1: 8 little-endian bytes
            op(0x8a).op(8);
            raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        } else {
            op('J');
            raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }
        return this;
    }

    TorchZip tuple(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    TorchZip raw(byte[] b) {
        pickle.writeBytes(b);
        return this;
    }

    /** Starts the top-level {@code OrderedDict()} and opens its items. */
    TorchZip beginDict() {
        op(0x80).op(2);
        global("collections", "OrderedDict").op(')').op('R');
        return op('(');
    }

    /** One entry {@code name: _rebuild_tensor_v2(storage(key), offset, size, stride, False, OrderedDict())}. */
    TorchZip tensor(String name, String storageType, String key, long storageNumel, long offset, long[] size,
            long[] stride) {
        str(name);
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').str("storage").global("torch", storageType).str(key).str("cpu").integer(storageNumel).op('t').op('Q');
        integer(offset).tuple(size).tuple(stride).op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        op('t').op('R');
        return this;
    }

    TorchZip storage(String key, byte[] data) {
        storages.put(key, data);
        return this;
    }

    TorchZip storageFloats(String key, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return storage(key, b.array());
    }

    /** Closes the dict items and the pickle. */
    TorchZip endDict() {
        return op('u').op('.');
    }

    byte[] pickleBytes() {
        return pickle.toByteArray();
    }

    Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "archive/data.pkl", pickleBytes());
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                if (deflate) {
                    zip.putNextEntry(new ZipEntry("archive/data/" + s.getKey()));
                    zip.write(s.getValue());
                    zip.closeEntry();
                } else {
                    put(zip, "archive/data/" + s.getKey(), s.getValue());
                }
            }
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    // Stored, not deflated, like torch.save.
    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
