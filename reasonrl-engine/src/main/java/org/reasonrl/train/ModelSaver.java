package org.reasonrl.train;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the model's weights (and whatever else defines it) into a fresh checkpoint directory. */
@FunctionalInterface
public interface ModelSaver {
  void save(Path directory) throws IOException;
}
