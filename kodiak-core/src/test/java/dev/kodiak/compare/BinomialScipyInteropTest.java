package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.testing.PythonScipy;
import dev.kodiak.testing.PythonTorch;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact binomial (McNemar) p-values against scipy.stats.binomtest, from a handful of trials to a million. */
class BinomialScipyInteropTest {
    @TempDir
    Path dir;

    private static final int[][] CASES = {
        {0, 1}, {1, 3}, {3, 7}, {2, 10}, {9, 10}, {12, 40}, {27, 40}, {45, 100}, {60, 100}, {400, 1000},
        {500, 1001}, {4900, 10000}, {5100, 10000}, {48_700, 100_000}, {10, 1000}, {2, 1500}, {499_000, 1_000_000},
    };

    private static final String SCRIPT = """
            import json, sys
            from scipy.stats import binomtest
            cases = json.loads(sys.argv[1])
            print(json.dumps([binomtest(k, n, p).pvalue for k, n, p in cases]))
            """;

    @Test
    void mcNemarExactPValuesMatchScipysBinomtest() throws Exception {
        PythonScipy.assumeAvailable();
        StringBuilder json = new StringBuilder("[");
        for (int[] c : CASES) {
            json.append(json.length() > 1 ? "," : "").append('[').append(c[0]).append(',').append(c[1]).append(",0.5]");
        }
        json.append(",[3,10,0.2],[7,20,0.3],[1,50,0.01],[300,1000,0.25]]");
        JsonNode expected = new ObjectMapper().readTree(PythonTorch.run(dir, SCRIPT, json.toString()).strip());
        for (int i = 0; i < CASES.length; i++) {
            int k = CASES[i][0];
            int n = CASES[i][1];
            double scipy = expected.get(i).asDouble();
            assertThat(new McNemar(n - k, k).pValue()).as("binomtest(%d, %d, 0.5)", k, n)
                    .isCloseTo(scipy, Offset.offset(Math.max(scipy * 1e-9, 1e-300)));
        }
        double[][] skewed = {{3, 10, 0.2}, {7, 20, 0.3}, {1, 50, 0.01}, {300, 1000, 0.25}};
        for (int j = 0; j < skewed.length; j++) {
            double scipy = expected.get(CASES.length + j).asDouble();
            assertThat(Binomial.twoSidedPValue((int) skewed[j][0], (int) skewed[j][1], skewed[j][2]))
                    .as("binomtest(%s)", java.util.Arrays.toString(skewed[j]))
                    .isCloseTo(scipy, Offset.offset(scipy * 1e-9));
        }
    }
}
