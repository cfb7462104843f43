package dev.kodiak.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.predict.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The columns each task adds, and what a prediction or an error puts in them. */
class TaskColumnsTest {
    static Map<String, Double> ordered(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void singleLabelAddsLabelProbabilityProbabilitiesAndError() {
        TaskColumns c = TaskColumns.of(Manifest.SINGLE_LABEL);
        assertThat(c.names()).containsExactly("label", "probability", "probabilities", "error");
        Object[] v = c.values(new Prediction(Manifest.SINGLE_LABEL, "b", 1, ordered("a", 0.25, "b", 0.75), List.of("b"),
                Map.of()));
        assertThat(v[0]).isEqualTo("b");
        assertThat(v[1]).isEqualTo(0.75);
        @SuppressWarnings("unchecked")
        Map<String, Double> p = CollectionConverters.asJava((scala.collection.Map<String, Double>) v[2]);
        assertThat(p.keySet()).containsExactly("a", "b"); // the model's label order
        assertThat(v[3]).isNull();
        assertThat(c.failed("cannot read image x: empty")).containsExactly(null, null, null, "cannot read image x: empty");
    }

    @Test
    void multiLabelAndRegressionHaveTheirOwnColumns() {
        TaskColumns multi = TaskColumns.of(Manifest.MULTI_LABEL);
        assertThat(multi.names()).containsExactly("labels", "probabilities", "error");
        Object[] v = multi.values(new Prediction(Manifest.MULTI_LABEL, "b", 1, ordered("a", 0.6, "b", 0.9),
                List.of("b", "a"), Map.of()));
        @SuppressWarnings("unchecked")
        List<String> labels = CollectionConverters.asJava((scala.collection.Seq<String>) v[0]);
        assertThat(labels).containsExactly("b", "a");
        TaskColumns regression = TaskColumns.of(Manifest.REGRESSION);
        assertThat(regression.names()).containsExactly("values", "error");
        Object[] r = regression.values(new Prediction(Manifest.REGRESSION, null, -1, Map.of(), List.of(),
                ordered("age", 31.5)));
        @SuppressWarnings("unchecked")
        Map<String, Double> values = CollectionConverters.asJava((scala.collection.Map<String, Double>) r[0]);
        assertThat(values).containsEntry("age", 31.5);
        assertThatThrownBy(() -> regression.values(new Prediction(Manifest.SINGLE_LABEL, "a", 0, ordered("a", 1.0),
                List.of("a"), Map.of()))).isInstanceOf(KodiakException.class);
    }

    @Test
    void theSqlFunctionsStructHoldsEveryTasksColumnsOnce() {
        assertThat(KodiakFunctions.resultType().fieldNames()).containsExactly("label", "probability", "probabilities",
                "labels", "values", "error");
    }
}
