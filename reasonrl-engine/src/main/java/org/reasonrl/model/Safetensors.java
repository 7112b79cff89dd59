package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, read tensor by tensor: an 8-byte little-endian header length, a JSON
 * header ({@code name: {dtype, shape, data_offsets}}), then the data. Only the header is held in
 * memory; each tensor is read by its offset through a {@link FileChannel}, so files over 2 GiB
 * work. F16 and BF16 are widened to F32 in Java (BF16 arrays abort the JVM in this DJL build).
 */
public final class Safetensors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;
  private static final int CHUNK = 1 << 20;

  /** One tensor's header entry; {@code begin}/{@code end} are absolute file offsets. */
  public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {
    public Shape djlShape() {
      return new Shape(shape);
    }

    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private final Path file;
  private final Map<String, TensorInfo> tensors;

  private Safetensors(Path file, Map<String, TensorInfo> tensors) {
    this.file = file;
    this.tensors = tensors;
  }

  public Path file() {
    return file;
  }

  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** Reads and checks the header: dtypes, shapes against byte sizes, offsets against file size. */
  public static Safetensors open(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new CheckpointException(file + " is truncated: " + size
            + " bytes, shorter than the 8-byte safetensors header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, file);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER) {
        throw new CheckpointException(file + " is not a safetensors file: header length "
            + headerLength);
      }
      if (8 + headerLength > size) {
        throw new CheckpointException(file + " is truncated: its header needs " + headerLength
            + " bytes but only " + (size - 8) + " follow");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8, file);
      JsonNode header;
      try {
        header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
            ? json.getOriginalMessage() : e.getMessage();
        throw new CheckpointException(file + " has an unreadable safetensors header: " + reason,
            e);
      }
      if (header == null || !header.isObject()) {
        throw new CheckpointException(file + " has a safetensors header that is not an object");
      }
      long dataStart = 8 + headerLength;
      Map<String, TensorInfo> tensors = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getKey().equals("__metadata__")) {
          continue;
        }
        TensorInfo info = describe(file, entry.getKey(), entry.getValue(), dataStart);
        if (info.end() > size) {
          throw new CheckpointException(file + " is truncated: tensor " + info.name()
              + " needs bytes up to " + info.end() + " but the file has " + size);
        }
        tensors.put(info.name(), info);
      }
      return new Safetensors(file, Collections.unmodifiableMap(tensors));
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static TensorInfo describe(Path file, String name, JsonNode node, long dataStart) {
    String where = "tensor " + name + " in " + file;
    String dtype = node.path("dtype").asText("");
    int width = switch (dtype) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      default -> throw new CheckpointException(where + " has dtype '" + dtype
          + "', which is not supported (F32, F16, BF16)");
    };
    JsonNode shapeNode = node.path("shape");
    JsonNode offsets = node.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointException(where + " lacks a shape or data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new CheckpointException(where + " has an invalid shape " + shapeNode);
      }
      elements *= shape[i];
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin) {
      throw new CheckpointException(where + " has invalid data_offsets " + offsets);
    }
    if (end - begin != elements * width) {
      throw new CheckpointException(where + " has shape " + Arrays.toString(shape) + " (" + dtype
          + ", " + elements * width + " bytes) but its data_offsets span " + (end - begin)
          + " bytes");
    }
    return new TensorInfo(name, dtype, shape, dataStart + begin, dataStart + end);
  }

  /**
   * Reads one tensor as an F32 array in {@code manager}.
   *
   * @throws CheckpointException naming the tensor if it holds a NaN or an infinity (weights that
   *     diverged, or a corrupt file: a model with them writes nothing but padding)
   */
  public NDArray read(String name, NDManager manager) {
    TensorInfo info = tensors.get(name);
    ByteBuffer out = floats(name);
    return manager.create(out, info.djlShape(), DataType.FLOAT32);
  }

  /** Checks that a tensor holds only finite values, without creating an array. */
  public void checkFinite(String name) {
    floats(name);
  }

  /** The tensor as F32 in native order, checked to be finite. */
  private ByteBuffer floats(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new CheckpointException("tensor " + name + " is not in " + file);
    }
    long floats = info.elements();
    if (floats * 4 > Integer.MAX_VALUE) {
      throw new CheckpointException("tensor " + name + " in " + file + " has " + floats
          + " elements; a single tensor over 2 GiB in F32 is not supported");
    }
    ByteBuffer out = ByteBuffer.allocateDirect((int) (floats * 4)).order(ByteOrder.nativeOrder());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (info.dtype().equals("F32")) {
        ByteBuffer raw = ByteBuffer.allocateDirect(out.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, raw, info.begin(), file);
        raw.flip();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
          out = raw.order(ByteOrder.nativeOrder());
        } else {
          out.asFloatBuffer().put(raw.asFloatBuffer());
        }
      } else {
        boolean brain = info.dtype().equals("BF16");
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long position = info.begin();
        while (position < info.end()) {
          chunk.clear();
          chunk.limit((int) Math.min(CHUNK, info.end() - position));
          readFully(channel, chunk, position, file);
          position += chunk.limit();
          chunk.flip();
          while (chunk.remaining() >= 2) {
            short bits = chunk.getShort();
            out.putFloat(brain ? bf16ToFloat(bits) : f16ToFloat(bits));
          }
        }
        out.flip();
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot read tensor " + name + " from " + file + ": "
          + e.getMessage(), e);
    }
    FloatBuffer values = out.asFloatBuffer();
    for (int i = 0; i < values.limit(); i++) {
      float value = values.get(i);
      if (!Float.isFinite(value)) {
        throw new CheckpointException("tensor " + name + " in " + file + " holds " + value
            + " at element " + i + " of " + values.limit() + ": the weights are corrupt or"
            + " the training that wrote them diverged");
      }
    }
    return out;
  }

  /** BF16 is the upper half of an F32. */
  static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** IEEE half to float, including subnormals, infinities and NaN. */
  static float f16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /**
   * Writes F32 tensors (names sorted, header padded to 8 bytes as the reference implementation
   * does). Arrays of other float types are converted.
   */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    String[] names = tensors.keySet().toArray(new String[0]);
    Arrays.sort(names);
    for (String name : names) {
      NDArray array = tensors.get(name);
      ObjectNode entry = header.putObject(name);
      entry.put("dtype", "F32");
      var shape = entry.putArray("shape");
      for (long d : array.getShape().getShape()) {
        shape.add(d);
      }
      long bytes = array.size() * 4;
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      writeFully(channel, head);
      for (String name : names) {
        NDArray array = tensors.get(name);
        NDArray f32 = array.getDataType() == DataType.FLOAT32
            ? array : array.toType(DataType.FLOAT32, false);
        ByteBuffer data = f32.toByteBuffer();
        if (data.order() != ByteOrder.LITTLE_ENDIAN) {
          ByteBuffer le = ByteBuffer.allocate(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
          le.asFloatBuffer().put(data.asFloatBuffer());
          data = le;
        }
        writeFully(channel, data);
        if (f32 != array) {
          f32.close();
        }
      }
      channel.force(true);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new CheckpointException(file + " is truncated at byte " + at);
      }
      at += read;
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
