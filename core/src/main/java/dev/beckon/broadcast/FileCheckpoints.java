package dev.beckon.broadcast;

import dev.beckon.store.StoreException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only checkpoint files, one per broadcast partition: lines {@code D <page> <keyHash>} for a
 * reference finished (delivered, gone or failed), {@code C <page> <cursor>} when every page up to
 * {@code page} finished, and {@code F <page>} when the partition finished. Each line is flushed to
 * the operating system as it is written, so a killed process loses nothing it had recorded; a line
 * that a crash cut off is ignored on {@link #load load} (see there).
 */
final class FileCheckpoints implements BroadcastCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(FileCheckpoints.class);
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{64}");

  /** A page number: non-negative, at most 18 digits (always a long). */
  private static final Pattern PAGE = Pattern.compile("0|[1-9][0-9]{0,17}");

  private final Path directory;
  private final Map<Path, BufferedWriter> writers = new HashMap<>();

  /**
   * Creates the store.
   *
   * @param directory where the files go
   */
  FileCheckpoints(Path directory) {
    this.directory = directory;
  }

  static boolean isFinal(BroadcastOutcome.Kind kind) {
    return kind != BroadcastOutcome.Kind.SKIPPED;
  }

  private Path file(String id, String partition) {
    if (!SAFE.matcher(id).matches() || !SAFE.matcher(partition).matches()) {
      throw new IllegalArgumentException(
          "broadcast id and partition must be 1-100 characters of [A-Za-z0-9._-] to name a checkpoint file");
    }
    return directory.resolve(id + "." + partition + ".checkpoint");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Every line is written whole, newline included, then flushed; only a crash during a write
   * leaves a last line without its newline. That torn line is ignored and cut from the file (so
   * that the next line appended starts on a line of its own): the record it was writing did not
   * happen, and the reference it named is sent again on resume, never skipped. Any other line that
   * is not a checkpoint record is a {@link StoreException} naming the file and the line.
   */
  @Override
  public synchronized Resume load(String broadcastId, String partition) {
    Path f = file(broadcastId, partition);
    if (!Files.exists(f)) {
      return new Resume(null, 0, Set.of(), false);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new StoreException("Cannot read broadcast checkpoint " + f, e);
    }
    int whole = bytes.length;
    while (whole > 0 && bytes[whole - 1] != '\n') {
      whole--;
    }
    if (whole < bytes.length) {
      LOG.warn(
          "Broadcast checkpoint {}: ignoring its last line, cut off ({} bytes) by a crash during a write",
          f,
          bytes.length - whole);
      truncate(f, whole);
    }
    String cursor = null;
    long committed = -1;
    boolean finished = false;
    Map<String, Long> done = new HashMap<>();
    int lineNumber = 0;
    for (int from = 0; from < whole; ) {
      int to = from;
      while (bytes[to] != '\n') {
        to++;
      }
      lineNumber++;
      String[] parts = decode(f, lineNumber, bytes, from, to).split(" ", 3);
      from = to + 1;
      switch (parts[0]) {
        case "D" -> {
          if (parts.length != 3 || !KEY_HASH.matcher(parts[2]).matches()) {
            throw corrupt(f, lineNumber);
          }
          done.put(parts[2], page(parts, f, lineNumber));
        }
        case "C" -> {
          if (parts.length != 3 || parts[2].isEmpty()) {
            throw corrupt(f, lineNumber);
          }
          long c = page(parts, f, lineNumber);
          committed = c;
          cursor = parts[2];
          done.values().removeIf(p -> p <= c);
        }
        case "F" -> {
          if (parts.length != 2) {
            throw corrupt(f, lineNumber);
          }
          committed = page(parts, f, lineNumber);
          finished = true;
          done.clear();
        }
        default -> throw corrupt(f, lineNumber);
      }
    }
    Set<String> after = new HashSet<>();
    long c = committed;
    done.forEach(
        (hash, page) -> {
          if (page > c) {
            after.add(hash);
          }
        });
    return new Resume(cursor, committed + 1, after, finished);
  }

  private static String decode(Path f, int lineNumber, byte[] bytes, int from, int to) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt(f, lineNumber);
    }
  }

  private static long page(String[] parts, Path f, int lineNumber) {
    if (!PAGE.matcher(parts[1]).matches()) {
      throw corrupt(f, lineNumber);
    }
    return Long.parseLong(parts[1]);
  }

  private static StoreException corrupt(Path f, int lineNumber) {
    return new StoreException(
        "Corrupt broadcast checkpoint "
            + f
            + ", line "
            + lineNumber
            + ": expected 'D <page> <keyHash>', 'C <page> <cursor>' or 'F <page>'. It was not written by Beckon"
            + " or was edited; deleting the file restarts the broadcast from the beginning (and sends again"
            + " what was already sent)",
        null);
  }

  private static void truncate(Path f, long size) {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(false);
    } catch (IOException e) {
      throw new StoreException("Cannot cut the torn last line of broadcast checkpoint " + f, e);
    }
  }

  @Override
  public synchronized void recordOutcome(
      String broadcastId, String partition, long page, BroadcastOutcome outcome) {
    if (isFinal(outcome.kind())) {
      append(broadcastId, partition, "D " + page + " " + outcome.key().hash());
    }
  }

  @Override
  public synchronized void commitCursor(
      String broadcastId, String partition, long page, @Nullable String cursor, boolean finished) {
    if (cursor != null && (cursor.indexOf('\n') >= 0 || cursor.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("a listing cursor must not contain line breaks");
    }
    append(broadcastId, partition, finished ? "F " + page : "C " + page + " " + cursor);
  }

  @Override
  public synchronized void close() {
    for (BufferedWriter w : writers.values()) {
      try {
        w.close();
      } catch (IOException e) {
        // flushed after every line already: nothing is lost
      }
    }
    writers.clear();
  }

  private void append(String id, String partition, String line) {
    Path f = file(id, partition);
    try {
      BufferedWriter w = writers.get(f);
      if (w == null) {
        Files.createDirectories(directory);
        w =
            Files.newBufferedWriter(
                f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        writers.put(f, w);
      }
      w.write(line);
      w.write('\n');
      w.flush();
    } catch (IOException e) {
      throw new StoreException("Cannot write broadcast checkpoint " + f, e);
    }
  }
}
