import dev.kodiak.audio.AudioFiles;
import dev.kodiak.data.Splitters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the validation files (relative to DIR, one a line) of Kodiak's default split of a sound folder: random 20%
 * with the given seed, as {@code kodiak train DIR --seed S} draws it. For baselines that must use the same split.
 * Usage: java -cp kodiak.jar bench/KodiakSplit.java DIR SEED
 */
public class KodiakSplit {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        List<Path> items = AudioFiles.find(dir);
        List<Object> labels = new ArrayList<>();
        for (Path p : items) {
            labels.add(p.getParent().getFileName().toString());
        }
        for (int i : Splitters.random(0.2, Long.parseLong(args[1])).split(items, labels).valid()) {
            System.out.println(dir.relativize(items.get(i)).toString().replace('\\', '/'));
        }
    }
}
