import dev.kodiak.vision.demo.DemoTasks;
import java.nio.file.Path;

/**
 * Builds one demo task's images and labels.csv (the data `kodiak demo --task ...` trains on), without training.
 * Usage: java -cp kodiak-cli/target/kodiak.jar bench/DemoData.java regression|multi-label CLIPART_DIR OUT_DIR ITEMS
 */
public class DemoData {
    public static void main(String[] a) {
        DemoTasks.Kind kind = "regression".equals(a[0]) ? DemoTasks.Kind.REGRESSION : DemoTasks.Kind.MULTI_LABEL;
        System.out.println(DemoTasks.build(kind, Path.of(a[1]), Path.of(a[2]), Integer.parseInt(a[3]), 42));
    }
}
