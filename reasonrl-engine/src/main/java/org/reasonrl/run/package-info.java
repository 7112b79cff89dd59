/**
 * One goal's output directory ({@link org.reasonrl.run.RunDirectory}: lock, atomic files,
 * checkpoints, {@code metrics.jsonl}, {@code result.json}), progress with rate and ETA
 * ({@link org.reasonrl.run.Progress}) and the record of what ran
 * ({@link org.reasonrl.run.RunRecord}).
 */
package org.reasonrl.run;
