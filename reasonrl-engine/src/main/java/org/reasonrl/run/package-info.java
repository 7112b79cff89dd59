/**
 * One goal's output directory: {@link org.reasonrl.run.RunDirectory} holds the lock and is a
 * facade over its parts, {@link org.reasonrl.run.AtomicFiles} (crash-safe file and directory
 * writes), {@link org.reasonrl.run.CheckpointSeries} ({@code checkpoint-<step>} and
 * {@code latest}) and {@link org.reasonrl.run.MetricsLog} ({@code metrics.jsonl}); progress with
 * rate and ETA ({@link org.reasonrl.run.Progress}) and the record of what ran
 * ({@link org.reasonrl.run.RunRecord}).
 */
package org.reasonrl.run;
