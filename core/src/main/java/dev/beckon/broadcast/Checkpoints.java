package dev.beckon.broadcast;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link BroadcastCheckpoints} Beckon provides. The interface is the SPI and names no
 * implementation; these are the two that come with it.
 *
 * <pre>{@code
 * Broadcast.builder(repository, sender)
 *     .checkpoints(Checkpoints.directory(Path.of("broadcasts")))
 *     ...
 * }</pre>
 */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * Checkpoints kept in this process only: resumes a cancelled broadcast, not a killed process. The
   * default of {@link Broadcast.Builder#checkpoints}.
   *
   * @return a new, empty store
   */
  public static BroadcastCheckpoints inMemory() {
    return new MemoryCheckpoints();
  }

  /**
   * Checkpoints as append-only files in a directory (one per broadcast partition), flushed on every
   * record: survives a killed process.
   *
   * @param directory the directory; created if missing
   * @return the store
   */
  public static BroadcastCheckpoints directory(Path directory) {
    return new FileCheckpoints(Objects.requireNonNull(directory, "directory"));
  }
}
