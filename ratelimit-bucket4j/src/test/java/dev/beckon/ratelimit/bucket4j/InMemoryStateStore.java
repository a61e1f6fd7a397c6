package dev.beckon.ratelimit.bucket4j;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BucketStateStore} in a map, versioned like the JDBC and DynamoDB stores; counts calls.
 */
class InMemoryStateStore implements BucketStateStore {

  /** A stored state with its version; compared by identity in {@code replace}. */
  private static final class Entry {
    private final byte[] bytes;
    private final long version;

    Entry(byte[] bytes, long version) {
      this.bytes = bytes;
      this.version = version;
    }

    byte[] bytes() {
      return bytes;
    }

    long version() {
      return version;
    }
  }

  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();

  @Override
  public StoredState read(String name) {
    reads.incrementAndGet();
    Entry e = entries.get(name);
    if (e == null) {
      return StoredState.absent();
    }
    return e.bytes().length > Bucket4jTokenBuckets.MAX_STATE_BYTES
        ? StoredState.tooLong(e.bytes().length)
        : StoredState.of(e.bytes().clone(), e.version());
  }

  @Override
  public boolean compareAndSwap(String name, StoredState read, byte[] state, long ttlMillis) {
    writes.incrementAndGet();
    if (!read.exists()) {
      return entries.putIfAbsent(name, new Entry(state.clone(), 1)) == null;
    }
    Entry before = entries.get(name);
    return before != null
        && before.version() == read.version()
        && entries.replace(name, before, new Entry(state.clone(), read.version() + 1));
  }

  @Override
  public void delete(String name) {
    entries.remove(name);
  }

  Optional<byte[]> raw(String name) {
    return Optional.ofNullable(entries.get(name)).map(e -> e.bytes().clone());
  }

  void put(String name, byte[] state) {
    entries.put(name, new Entry(state.clone(), 7));
  }

  @Override
  public String toString() {
    return "InMemoryStateStore";
  }
}
