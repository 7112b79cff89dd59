package org.reasonrl.train;

import java.io.IOException;
import java.nio.file.Path;

/** Restores the model's weights, in place, from a directory written by its {@link ModelSaver}. */
@FunctionalInterface
public interface ModelLoader {
  void load(Path directory) throws IOException;
}
