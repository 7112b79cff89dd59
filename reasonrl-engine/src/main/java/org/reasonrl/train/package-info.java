/**
 * The training core every algorithm shares: {@link org.reasonrl.train.AdamW},
 * {@link org.reasonrl.train.LearningRateSchedule}, {@link org.reasonrl.train.Gradients}
 * (accumulate, clip, zero), {@link org.reasonrl.train.TokenLosses} (masked NLL, per-token
 * log-probs), {@link org.reasonrl.train.TrainingLoop} with checkpoint and exact resume, and
 * {@link org.reasonrl.train.RolloutIterations}, the outer loop of on-policy RL (build a rollout
 * buffer from the current weights, persist it, update on it, checkpoint at the iteration
 * boundary). Both share one optimizer step; objectives report named
 * {@link org.reasonrl.train.Statistics} (KL, clip fraction, …) pooled into {@code metrics.jsonl},
 * and listeners answer {@link org.reasonrl.train.LoopControl#CONTINUE} or {@code STOP}.
 *
 * <p>An algorithm plugs in a {@link org.reasonrl.train.BatchSource} (the micro-batches of step
 * s, a pure function of s) and an {@link org.reasonrl.train.Objective} (summed loss and count of
 * one micro-batch):
 *
 * <pre>{@code
 * try (RunDirectory run = RunDirectory.open(outputDir);
 *     NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
 *   ShuffledOrder order = new ShuffledOrder(seed, examples.size());
 *   BatchSource<List<Example>> batches = step -> split(pick(examples, order.batch(step, 32)), 4);
 *   Objective<List<Example>> objective = (batch, ps, m) -> {
 *     NDArray logits = model.forward(ps, new NDList(ids(m, batch), mask(m, batch)), true).head();
 *     NDArray lossMask = solutionMask(m, batch);
 *     return new Objective.Loss(TokenLosses.maskedNllSum(logits, targets(m, batch), lossMask),
 *         count(batch), tokens(batch));
 *   };
 *   TrainingResult result = TrainingLoop.builder(options, model.getParameters(), batches, objective)
 *       .runDirectory(run).checkpoints(hfSaver, hfLoader).build().run(manager);
 * }
 * }</pre>
 *
 * <p><b>Randomness and resume.</b> No RNG state is checkpointed. Everything random must be a pure
 * function of (seed, step, …): batch order by {@link org.reasonrl.train.ShuffledOrder} (epoch e
 * is a permutation seeded by hash(seed, e)), any other draw from a
 * {@link org.reasonrl.runtime.SeedStream} derived from (seed, purpose, step …), never from
 * libtorch's global generator, which every job in the JVM shares. The checkpoint then needs only
 * the model, the optimizer moments and the step, and a resumed run replays exactly what an
 * uninterrupted one would have done. LoRA dropout masks advance with each training forward; a
 * loop that trains adapters with dropout and must resume exactly reseeds them per step
 * ({@link org.reasonrl.model.Lora#seedDropout}).
 *
 * <p>The math of policy-gradient RL (advantage estimators, KL, clipped losses, aggregation) is in
 * {@link org.reasonrl.train.rl}.
 */
package org.reasonrl.train;
