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
        assertThat(text).contains("""
                # HELP k_http_requests_total HTTP requests answered, by route, method and status.
                # TYPE k_http_requests_total counter
                k_http_requests_total{route="/api/predict",method="POST",status="200"} 2
                k_http_requests_total{route="/api/predict",method="POST",status="415"} 1
                """);
        assertThat(text).contains("""
                k_http_request_duration_seconds_bucket{route="/api/predict",method="POST",le="0.0025"} 0
                k_http_request_duration_seconds_bucket{route="/api/predict",method="POST",le="0.005"} 1
                """);
        assertThat(text).contains("""
                k_http_request_duration_seconds_bucket{route="/api/predict",method="POST",le="10"} 2
                k_http_request_duration_seconds_bucket{route="/api/predict",method="POST",le="+Inf"} 3
                k_http_request_duration_seconds_sum{route="/api/predict",method="POST"} 20.024
                k_http_request_duration_seconds_count{route="/api/predict",method="POST"} 3
                """);
        assertThat(text).contains("""
                k_batch_size_bucket{le="2"} 0
                k_batch_size_bucket{le="4"} 1
                k_batch_size_bucket{le="8"} 1
                k_batch_size_bucket{le="16"} 2
                """, "k_batch_size_sum 19\nk_batch_size_count 2\n", "k_images_predicted_total 19\n",
                "# TYPE k_queue_waiting gauge\nk_queue_waiting 2\n");
        assertThat(m.requests("/api/predict", 200)).isEqualTo(2);
        assertThat(m.largestBatch()).isEqualTo(16);
    }
}
