package dev.beckon.internal.broadcast;

import dev.beckon.broadcast.BroadcastCheckpoints;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.store.StoreException;
import java.io.BufferedWriter;
import java.io.IOException;
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

/**
 * Append-only checkpoint files, one per broadcast partition: lines {@code D <page> <keyHash>} for
 * a reference finished (delivered, gone or failed), {@code C <page> <cursor>} when every page up to
 * {@code page} finished, and {@code F <page>} when the partition finished. Each line is flushed to the operating system as it is written,
 * so a killed process loses nothing it had recorded.
 */
public final class FileCheckpoints implements BroadcastCheckpoints {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final Path directory;
  private final Map<Path, BufferedWriter> writers = new HashMap<>();

  /**
   * Creates the store.
   *
   * @param directory where the files go
   */
  public FileCheckpoints(Path directory) {
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

  @Override
  public synchronized Resume load(String broadcastId, String partition) {
    Path f = file(broadcastId, partition);
    if (!Files.exists(f)) {
      return new Resume(null, 0, Set.of(), false);
    }
    try (java.util.stream.Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
      String[] cursor = {null};
      long[] committed = {-1};
      boolean[] finished = {false};
      Map<String, Long> done = new HashMap<>();
      lines.forEach(line -> {
        String[] parts = line.split(" ", 3);
        switch (parts[0]) {
          case "D" -> done.put(parts[2], Long.parseLong(parts[1]));
          case "C" -> {
            committed[0] = Long.parseLong(parts[1]);
            cursor[0] = parts[2];
            done.values().removeIf(p -> p <= committed[0]);
          }
          case "F" -> {
            committed[0] = Long.parseLong(parts[1]);
            finished[0] = true;
            done.clear();
          }
          default -> throw new StoreException("Corrupt broadcast checkpoint " + f + ": unexpected line", null);
        }
      });
      Set<String> after = new HashSet<>();
      done.forEach((hash, page) -> {
        if (page > committed[0]) {
          after.add(hash);
        }
      });
      return new Resume(cursor[0], committed[0] + 1, after, finished[0]);
    } catch (IOException e) {
      throw new StoreException("Cannot read broadcast checkpoint " + f, e);
    }
  }

  @Override
  public synchronized void recordOutcome(String broadcastId, String partition, long page, BroadcastOutcome outcome) {
    if (isFinal(outcome.kind())) {
      append(broadcastId, partition, "D " + page + " " + outcome.key().hash());
    }
  }

  @Override
  public synchronized void commitCursor(String broadcastId, String partition, long page, @Nullable String cursor, boolean finished) {
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
        w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
