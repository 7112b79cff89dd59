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

  /**
   * Publishes the checkpoint {@code source} (its files) as {@code <run>/model}, atomically. Files
   * are hard-linked where the file system allows (a 7B checkpoint is 13 GB; the published model
   * is the same bytes), copied otherwise; both checkpoints are written once and never modified.
   */
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
          Path target = to.resolve(file.getFileName());
          try {
            Files.createLink(target, file);
          } catch (IOException | UnsupportedOperationException noLinks) {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }
}
