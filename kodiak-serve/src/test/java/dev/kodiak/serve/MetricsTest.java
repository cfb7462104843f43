package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void writesPrometheusTextWithCumulativeBuckets() {
        Metrics m = new Metrics("k");
        m.request("POST", "/api/predict", 200, 0.004);
        m.request("POST", "/api/predict", 200, 0.02);
        m.request("POST", "/api/predict", 415, 20);
        m.batch(3, 0.05);
        m.batch(16, 0.2);
        m.gauge("queue_waiting", "Images waiting.", () -> 2);
        String text = m.scrape();
        // the client sorts labels by name and writes values as doubles; the numbers are the hand-written format's
        assertThat(text).contains("""
                # HELP k_http_requests_total HTTP requests answered, by route, method and status.
                # TYPE k_http_requests_total counter
                k_http_requests_total{method="POST",route="/api/predict",status="200"} 2.0
                k_http_requests_total{method="POST",route="/api/predict",status="415"} 1.0
                """);
        assertThat(text).contains("""
                k_http_request_duration_seconds_bucket{method="POST",route="/api/predict",le="0.0025"} 0
                k_http_request_duration_seconds_bucket{method="POST",route="/api/predict",le="0.005"} 1
                """);
        assertThat(text).contains("""
                k_http_request_duration_seconds_bucket{method="POST",route="/api/predict",le="10.0"} 2
                k_http_request_duration_seconds_bucket{method="POST",route="/api/predict",le="+Inf"} 3
                k_http_request_duration_seconds_count{method="POST",route="/api/predict"} 3
                k_http_request_duration_seconds_sum{method="POST",route="/api/predict"} 20.024
                """);
        assertThat(text).contains("""
                k_batch_size_bucket{le="2.0"} 0
                k_batch_size_bucket{le="4.0"} 1
                k_batch_size_bucket{le="8.0"} 1
                k_batch_size_bucket{le="16.0"} 2
                """, "k_batch_size_count 2\nk_batch_size_sum 19.0\n", "k_images_predicted_total 19.0\n",
                "# TYPE k_batch_duration_seconds histogram\n", "k_batch_duration_seconds_bucket{le=\"0.05\"} 1\n",
                "k_batch_duration_seconds_bucket{le=\"0.25\"} 2\n",
                "# TYPE k_queue_waiting gauge\nk_queue_waiting 2.0\n");
        assertThat(m.requests("/api/predict", 200)).isEqualTo(2);
        assertThat(m.largestBatch()).isEqualTo(16);
    }
}
