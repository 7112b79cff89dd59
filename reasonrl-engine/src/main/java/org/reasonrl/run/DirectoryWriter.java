package org.reasonrl.run;

import java.io.IOException;
import java.nio.file.Path;

/** Something that fills a fresh, empty directory (a checkpoint, a model, a best-so-far copy). */
@FunctionalInterface
public interface DirectoryWriter {
  void write(Path directory) throws IOException;
}
