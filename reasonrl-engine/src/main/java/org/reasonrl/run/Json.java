package org.reasonrl.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The project's one Jackson mapper for run files: stable field order, no failure on empty beans. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The records as JSON Lines: one compact object per line, each ending with a newline. */
  public static byte[] lines(java.util.List<?> records) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      for (Object record : records) {
        out.write(MAPPER.writeValueAsBytes(record));
        out.write('\n');
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot serialise a JSON line", e);
    }
    return out.toByteArray();
  }

  /** Reads a JSON Lines file written by {@link #lines}, one {@code type} per line. */
  public static <T> java.util.List<T> readLines(java.nio.file.Path file, Class<T> type) {
    try (com.fasterxml.jackson.databind.MappingIterator<T> it = MAPPER.readerFor(type)
        .readValues(file.toFile())) {
      return it.readAll();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }
}
