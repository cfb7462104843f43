package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns the input column of a row into an image, in the task's thread: encoded bytes (binary), Spark's {@code image}
 * struct (already decoded, BGR), or a path (string) read through Hadoop. Errors name the item (its {@code path}
 * column, the image's origin, or the path) and say why.
 */
final class ItemReader implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> IMAGE_FIELDS = List.of("origin", "height", "width", "nChannels", "mode", "data");

    enum Kind { BYTES, IMAGE, PATH }

    private final Kind kind;
    private final String column;
    private final int index;
    private final int pathIndex;
    private final Map<String, String> hadoop;

    private ItemReader(Kind kind, String column, int index, int pathIndex, Map<String, String> hadoop) {
        this.kind = kind;
        this.column = column;
        this.index = index;
        this.pathIndex = pathIndex;
        this.hadoop = hadoop;
    }

    /** How to read column {@code name} of {@code schema}, or an error saying which column types work. */
    static ItemReader forColumn(StructType schema, String name) {
        if (!List.of(schema.fieldNames()).contains(name)) {
            throw new KodiakException("the input has no column '" + name + "' (inputCol); it has "
                    + String.join(", ", schema.fieldNames()));
        }
        int index = schema.fieldIndex(name);
        DataType type = schema.fields()[index].dataType();
        Kind kind;
        if (type instanceof BinaryType) {
            kind = Kind.BYTES;
        } else if (type instanceof StringType) {
            kind = Kind.PATH;
        } else if (type instanceof StructType s && List.of(s.fieldNames()).containsAll(IMAGE_FIELDS)) {
            kind = Kind.IMAGE;
        } else {
            throw new KodiakException("column '" + name + "' (inputCol) is " + type.simpleString() + ": use binary "
                    + "image bytes (spark.read.format(\"binaryFile\")), Spark's image struct (format(\"image\")) or "
                    + "a string path");
        }
        int pathIndex = -1;
        for (int i = 0; i < schema.fields().length; i++) {
            StructField f = schema.fields()[i];
            if (f.name().equals("path") && f.dataType() instanceof StringType) {
                pathIndex = i;
            }
        }
        return new ItemReader(kind, name, index, pathIndex, Map.of());
    }

    /** With the driver's Hadoop configuration, for path columns (executors read with the same settings). */
    ItemReader withHadoop(SparkSession spark) {
        if (kind != Kind.PATH) {
            return this;
        }
        Map<String, String> conf = new HashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> conf.put(e.getKey(), e.getValue()));
        return new ItemReader(kind, column, index, pathIndex, conf);
    }

    /** What errors call this row's item. */
    String name(Row row) {
        if (kind == Kind.PATH && !row.isNullAt(index)) {
            return row.getString(index);
        }
        if (kind == Kind.IMAGE && !row.isNullAt(index)) {
            String origin = row.getStruct(index).getAs("origin");
            if (origin != null && !origin.isEmpty()) {
                return origin;
            }
        }
        return pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex) : "an item of column " + column;
    }

    /** The row's image, or a {@link KodiakException} saying why there is none. */
    RgbImage read(Row row, ImageDecoder decoder, Configuration conf) {
        String name = name(row);
        if (row.isNullAt(index)) {
            throw new KodiakException("cannot read image " + name + ": column " + column + " is null");
        }
        return switch (kind) {
            case BYTES -> bytes(row.getAs(index), name, decoder);
            case IMAGE -> SparkImages.toRgb(row.getStruct(index), name);
            case PATH -> file(row.getString(index), decoder, conf);
        };
    }

    /** The Hadoop configuration path columns are read with (null for the other kinds). */
    Configuration hadoopConfiguration() {
        if (kind != Kind.PATH) {
            return null;
        }
        Configuration conf = new Configuration(false);
        hadoop.forEach(conf::set);
        return conf;
    }

    private static RgbImage bytes(byte[] bytes, String name, ImageDecoder decoder) {
        if (bytes.length == 0) {
            throw new KodiakException("cannot read image " + name + ": it is empty (0 bytes)");
        }
        // the stream form holds the item to the decoder's byte limit, as for files
        return decoder.decode(new ByteArrayInputStream(bytes), name);
    }

    private static RgbImage file(String path, ImageDecoder decoder, Configuration conf) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(p);
            if (status.isDirectory()) {
                throw new KodiakException("cannot read image " + path + ": it is a folder, not an image file");
            }
            if (status.getLen() == 0) {
                throw new KodiakException("cannot read image " + path + ": it is empty (0 bytes)");
            }
            if (status.getLen() > decoder.limits().maxFileBytes()) {
                throw new KodiakException("cannot read image " + path + ": it has " + status.getLen()
                        + " bytes, more than the limit of " + decoder.limits().maxFileBytes());
            }
            try (InputStream in = fs.open(p)) {
                return decoder.decode(in, path);
            }
        } catch (FileNotFoundException e) {
            throw new KodiakException("cannot read image " + path + ": the file does not exist", e);
        } catch (IOException e) {
            throw new KodiakException("cannot read image " + path + ": " + e.getMessage(), e);
        }
    }
}
