/**
 * The one lifecycle of every goal: a {@link org.reasonrl.job.Job} says what it is and does its
 * work; {@link org.reasonrl.job.JobRunner} starts the engine, checks inputs before the output is
 * touched, locks the run directory, checks the run's identity ({@code spec.json}), records
 * {@code run.json} and writes the result.
 */
package org.reasonrl.job;
