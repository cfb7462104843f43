package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The image files under a folder of any Hadoop file system, as {@code kodiak predict} finds them on a local disk
 * ({@link ImageFiles}): recursively, by extension, hidden files and folders skipped, sorted. Listed on the driver and
 * read by the tasks, so that an empty file becomes an error row (Spark's file sources drop empty files unseen).
 */
final class ImageListing {
    private ImageListing() {
    }

    /** Fully qualified paths ({@code file:/...}, {@code hdfs://...}) of the images under {@code folder}. */
    static List<String> find(String folder, Configuration conf) throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem(conf);
        Path qualified;
        try {
            qualified = fs.getFileStatus(root).getPath();
        } catch (FileNotFoundException e) {
            throw new KodiakException("INPUT " + folder + " does not exist: give a folder of images or a Parquet table", e);
        }
        String prefix = qualified.toUri().getPath();
        List<String> found = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(qualified, true);
        while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String relative = f.getPath().toUri().getPath().substring(prefix.length());
            if (f.isFile() && !hidden(relative) && isImageName(f.getPath().getName())) {
                found.add(f.getPath().toString());
            }
        }
        if (found.isEmpty()) {
            throw new KodiakException("no images (." + String.join(", .", ImageFiles.EXTENSIONS.stream().sorted()
                    .toList()) + ") in folder " + folder);
        }
        found.sort(null);
        return found;
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && ImageFiles.EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
