package org.reasonrl.train;

/** What a listener tells the loop after a step or an iteration. */
public enum LoopControl {
  /** Go on. */
  CONTINUE,
  /**
   * End the run after this step: the loop checkpoints it (if it was not a checkpoint step
   * anyway), records it as stopped, and a rerun returns at once instead of training further.
   */
  STOP
}
