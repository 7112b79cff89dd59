package org.reasonrl.algo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.reasonrl.run.RunDirectory;

/**
 * Every training job publishes its final model at {@code <output>/model}, so a later stage reads
 * one documented place and never another job's internals (SFT's best validation point, EI's last
 * round, the control).
 */
final class PublishedModel {

  static final String DIR = "model";

  private PublishedModel() {}

  /** Copies the checkpoint {@code source} (its files) to {@code <run>/model}, atomically. */
  static Path publish(RunDirectory run, Path source) {
    if (source.toAbsolutePath().normalize().equals(run.resolve(DIR))) {
      return run.resolve(DIR);
    }
    return run.writeDirectory(DIR, target -> copyFiles(source, target));
  }

  private static void copyFiles(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
      for (Path file : files) {
        if (Files.isRegularFile(file)) {
          Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
