package dev.beckon.broadcast;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** In-process checkpoints. */
final class MemoryCheckpoints implements BroadcastCheckpoints {

  private static final class State {
    @Nullable String cursor;
    long committedPage = -1;
    boolean finished;
    final Map<String, Long> done = new HashMap<>();
  }

  private final Map<String, State> states = new HashMap<>();

  private State state(String id, String partition) {
    return states.computeIfAbsent(id + "\n" + partition, k -> new State());
  }

  @Override
  public synchronized Resume load(String broadcastId, String partition) {
    State s = state(broadcastId, partition);
    Set<String> after = new HashSet<>();
    s.done.forEach(
        (hash, page) -> {
          if (page > s.committedPage) {
            after.add(hash);
          }
        });
    return new Resume(s.cursor, s.committedPage + 1, after, s.finished);
  }

  @Override
  public synchronized void recordOutcome(
      String broadcastId, String partition, long page, BroadcastOutcome outcome) {
    if (FileCheckpoints.isFinal(outcome.kind())) {
      state(broadcastId, partition).done.put(outcome.key().hash(), page);
    }
  }

  @Override
  public synchronized void commitCursor(
      String broadcastId, String partition, long page, @Nullable String cursor, boolean finished) {
    State s = state(broadcastId, partition);
    s.cursor = cursor;
    s.committedPage = page;
    s.finished = finished;
    s.done.values().removeIf(p -> p <= page);
  }
}
