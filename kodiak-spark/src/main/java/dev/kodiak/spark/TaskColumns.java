package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.predict.Prediction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one place that says which columns a model's task adds and what goes in them; the Transformer, the SQL
 * function and batch-predict all use it:
 * <ul>
 *   <li>single-label: {@code label} (string), {@code probability} (double), {@code probabilities} (map label →
 *       probability, in the model's label order);</li>
 *   <li>multi-label: {@code labels} (array of the labels at or above the model's threshold, most probable first),
 *       {@code probabilities} (map);</li>
 *   <li>regression: {@code values} (map name → value);</li>
 * </ul>
 * then always {@code error}: null, or why this item has no prediction (and its other columns are null).
 */
public final class TaskColumns implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The last column of every task. */
    public static final String ERROR = "error";

    private static final DataType PROBABILITIES = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false);

    private final String task;
    private final List<StructField> fields;

    private TaskColumns(String task, List<StructField> fields) {
        this.task = task;
        List<StructField> all = new ArrayList<>(fields);
        all.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
        this.fields = List.copyOf(all);
    }

    /** The columns of {@code task} ({@code single_label}, {@code multi_label} or {@code regression}). */
    public static TaskColumns of(String task) {
        return switch (task) {
            case Manifest.SINGLE_LABEL -> new TaskColumns(task, List.of(
                    DataTypes.createStructField("label", DataTypes.StringType, true),
                    DataTypes.createStructField("probability", DataTypes.DoubleType, true),
                    DataTypes.createStructField("probabilities", PROBABILITIES, true)));
            case Manifest.MULTI_LABEL -> new TaskColumns(task, List.of(
                    DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.StringType, false), true),
                    DataTypes.createStructField("probabilities", PROBABILITIES, true)));
            case Manifest.REGRESSION -> new TaskColumns(task, List.of(
                    DataTypes.createStructField("values", PROBABILITIES, true)));
            default -> throw new KodiakException("kodiak-spark has no output columns for task '" + task
                    + "': use a model of task single_label, multi_label or regression");
        };
    }

    public String task() {
        return task;
    }

    /** The added columns, {@code error} last. */
    public List<StructField> fields() {
        return fields;
    }

    /** Column names, {@code error} last. */
    public List<String> names() {
        return fields.stream().map(StructField::name).toList();
    }

    /** The values of {@link #fields()} for a prediction (Spark's external types: Scala maps and sequences). */
    public Object[] values(Prediction p) {
        if (!task.equals(p.task())) {
            throw new KodiakException("a " + p.task() + " prediction cannot fill the columns of a " + task + " model");
        }
        return switch (task) {
            case Manifest.SINGLE_LABEL -> new Object[] {p.label(), p.probability(), scala(p.probabilities()), null};
            case Manifest.MULTI_LABEL -> new Object[] {CollectionConverters.asScala(p.labels()).toSeq(),
                    scala(p.probabilities()), null};
            default -> new Object[] {scala(p.values()), null};
        };
    }

    /** Nulls and the reason, for an item without a prediction. */
    public Object[] failed(String error) {
        Object[] row = new Object[fields.size()];
        row[row.length - 1] = error;
        return row;
    }

    // Spark's row encoder takes Scala maps; the wrapper keeps the model's label order.
    private static scala.collection.Map<String, Double> scala(Map<String, Double> map) {
        return CollectionConverters.asScala(map);
    }
}
