package org.reasonrl.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The lines of a text file that must be UTF-8, each decoded on its own, so that a line that is
 * not UTF-8 (a Latin-1 file, say) is a bad record with its number and the offending byte rather
 * than a failure of the whole file. A leading byte-order mark is dropped; lines end at
 * {@code \n} or {@code \r\n}.
 */
final class Utf8Lines implements Closeable {

  /** One line: its text, or why it is not UTF-8 ({@code text} is then {@code null}). */
  record Line(int number, String text, String notUtf8) {}

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private int number;

  Utf8Lines(Path file) throws IOException {
    this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
  }

  /** The next line, or {@code null} at the end of the file. */
  Line next() throws IOException {
    bytes.reset();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      bytes.write(b);
    }
    if (b == -1 && bytes.size() == 0) {
      return null;
    }
    number++;
    byte[] raw = bytes.toByteArray();
    int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
    int start = number == 1 && length >= 3 && (raw[0] & 0xff) == 0xEF
        && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF ? 3 : 0;
    ByteBuffer input = ByteBuffer.wrap(raw, start, length - start);
    CharBuffer output = CharBuffer.allocate(length - start);
    decoder.reset();
    CoderResult result = decoder.decode(input, output, true);
    if (result.isError()) {
      return new Line(number, null, String.format(Locale.ROOT,
          "not UTF-8 (byte 0x%02X at column %d); save the file as UTF-8 (e.g. iconv -f latin1"
              + " -t utf-8 if it is Latin-1)", raw[input.position()] & 0xff,
          input.position() + 1));
    }
    decoder.flush(output);
    return new Line(number, output.flip().toString(), null);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
