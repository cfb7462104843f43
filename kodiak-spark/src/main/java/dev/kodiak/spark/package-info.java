/**
 * Kodiak on Apache Spark: {@link dev.kodiak.spark.KodiakPredictor} (a Spark ML Transformer), the SQL function
 * {@code kodiak_predict} ({@link dev.kodiak.spark.KodiakFunctions}) and the {@code batch-predict} job
 * ({@link dev.kodiak.spark.BatchPredict}); data-parallel training as a barrier job
 * ({@link dev.kodiak.spark.DistributedTrainer}). See docs/spark.md.
 */
package dev.kodiak.spark;
