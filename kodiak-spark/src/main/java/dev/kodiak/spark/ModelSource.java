package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.io.AtomicFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Model files on any Hadoop file system, copied once per JVM to a local file named by their SHA-256 (libtorch and the
 * zip reader need a local file). The digest names the model everywhere: the same file under two paths is one model,
 * and a file changed in place is another.
 */
final class ModelSource {
    private static final Map<String, Local> BY_STATUS = new ConcurrentHashMap<>();
    private static final Map<String, Local> BY_PATH = new ConcurrentHashMap<>();
    private static final Map<String, Path> BY_DIGEST = new ConcurrentHashMap<>();

    private ModelSource() {
    }

    /** A model file's digest and its local copy. */
    record Local(String sha256, Path file) {
    }

    /** Reads {@code path} (once per path, size and modification time) into the local cache. */
    static Local resolve(String path, Configuration conf) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileStatus status;
        try {
            FileSystem fs = p.getFileSystem(conf);
            status = fs.getFileStatus(p);
            if (status.isDirectory()) {
                throw new KodiakException("modelPath " + path + " is a folder: give the .kodiak model file itself");
            }
            String key = status.getPath() + "|" + status.getLen() + "|" + status.getModificationTime();
            Local known = BY_STATUS.get(key);
            if (known != null && Files.isRegularFile(known.file())) {
                return known;
            }
            if (status.getLen() > Integer.MAX_VALUE - 64) {
                throw new KodiakException("model file " + path + " has " + status.getLen() + " bytes, more than "
                        + "kodiak-spark ships to executors (2 GB)");
            }
            byte[] bytes;
            try (InputStream in = fs.open(p)) {
                bytes = in.readAllBytes();
            }
            Local local = store(bytes);
            BY_STATUS.put(key, local);
            return local;
        } catch (FileNotFoundException e) {
            throw new KodiakException("model file " + path + " (modelPath) does not exist: check the path; on HDFS or "
                    + "S3 the driver's Hadoop configuration must reach it", e);
        } catch (IOException e) {
            throw new KodiakException("cannot read model file " + path + " (modelPath): " + e.getMessage(), e);
        }
    }

    /**
     * {@link #resolve} once per JVM and path, with the executor's Hadoop configuration: for the SQL function, called
     * per row (no file-system call per row).
     */
    static Local resolveOnce(String path) {
        return BY_PATH.computeIfAbsent(path, p -> resolve(p, new Configuration()));
    }

    /** The local copy of the model with this digest, if this JVM has one. */
    static Path cached(String sha256) {
        Path file = BY_DIGEST.get(sha256);
        return file != null && Files.isRegularFile(file) ? file : null;
    }

    /** Writes {@code bytes} to the local cache under their digest (atomically; once per JVM and digest). */
    static Local store(byte[] bytes) {
        String sha = sha256(bytes);
        Path known = cached(sha);
        if (known != null) {
            return new Local(sha, known);
        }
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "kodiak-spark-models"));
            Path file = dir.resolve(sha + ".kodiak");
            Path temp = Files.createTempFile(dir, sha, ".part");
            Files.write(temp, bytes);
            AtomicFiles.move(temp, file);
            BY_DIGEST.put(sha, file);
            return new Local(sha, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local copy of a model file to " + System.getProperty(
                    "java.io.tmpdir") + " (java.io.tmpdir): " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
