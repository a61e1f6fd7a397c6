package dev.beckon.store;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe, in-process {@link ReferenceRepository}: for tests, demos and single-instance bots
 * that may lose references on restart. Passes the full contract kit.
 *
 * <p>Entries are ordered by {@link ReferenceKey#hash()}, which is also the cursor, so paging is
 * stable while other threads write. Versions are a process-wide counter.
 *
 * <pre>{@code
 * ReferenceRepository repo = new InMemoryReferenceRepository();
 * }</pre>
 */
public final class InMemoryReferenceRepository implements PurgeableRepository {

  private static final String CURSOR_PREFIX = "m1:";

  private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final StoreOptions options;

  /** An in-memory store without TTL. */
  public InMemoryReferenceRepository() {
    this(StoreOptions.defaults());
  }

  /**
   * An in-memory store with options.
   *
   * @param options TTL and clock
   */
  public InMemoryReferenceRepository(StoreOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Names the backend and its size, e.g. {@code InMemoryReferenceRepository[size 3]}.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "InMemoryReferenceRepository[size " + entries.size() + "]";
  }

  private record Entry(
      ReferenceDocument doc, StoredReference stored, @Nullable Instant expiresAt) {}

  private Entry newEntry(ReferenceDocument doc, ConversationReference reference) {
    return new Entry(
        doc,
        new StoredReference(reference, Long.toString(versions.incrementAndGet())),
        options.expiryOfWriteNow().orElse(null));
  }

  private boolean live(@Nullable Entry e) {
    return e != null && !options.isExpired(e.expiresAt());
  }

  @Override
  public StoredReference save(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    Entry e = newEntry(doc, reference);
    entries.put(doc.keyHash(), e);
    return e.stored();
  }

  // Conditional writes are compare-and-set loops on the map (putIfAbsent, replace(k, old, new),
  // remove(k, old)): the decision is made on the exact entry that the atomic step then checks.
  // compute/computeIfPresent are not used: ConcurrentSkipListMap may run their function again or
  // return without running it, so a flag set inside it can outlive the attempt it described.

  @Override
  public Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String h = doc.keyHash();
    while (true) {
      Entry old = entries.get(h);
      if (live(old)) {
        return Optional.empty();
      }
      Entry created = newEntry(doc, reference);
      if (old == null
          ? entries.putIfAbsent(h, created) == null
          : entries.replace(h, old, created)) {
        return Optional.of(created.stored());
      }
    }
  }

  @Override
  public StoredReference replace(ConversationReference reference, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String h = doc.keyHash();
    while (true) {
      Entry old = entries.get(h);
      if (old == null || !live(old)) {
        throw new VersionConflictException(doc.key(), expectedVersion, null);
      }
      if (!old.stored().version().equals(expectedVersion)) {
        throw new VersionConflictException(doc.key(), expectedVersion, old.stored().version());
      }
      Entry created = newEntry(doc, reference);
      if (entries.replace(h, old, created)) {
        return created.stored();
      }
    }
  }

  @Override
  public Optional<StoredReference> find(ReferenceKey key) {
    Entry e = entries.get(key.hash());
    return e != null && live(e) ? Optional.of(e.stored()) : Optional.empty();
  }

  @Override
  public boolean delete(ReferenceKey key) {
    Entry e = entries.remove(key.hash());
    return live(e);
  }

  @Override
  public boolean delete(ReferenceKey key, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    String h = key.hash();
    while (true) {
      Entry old = entries.get(h);
      if (old == null) {
        return false;
      }
      if (!live(old)) {
        entries.remove(h, old);
        return false;
      }
      if (!old.stored().version().equals(expectedVersion)) {
        throw new VersionConflictException(key, expectedVersion, old.stored().version());
      }
      if (entries.remove(h, old)) {
        return true;
      }
    }
  }

  @Override
  public Page list(ListQuery query) {
    ConcurrentNavigableMap<String, Entry> view = entries;
    if (query.cursor() != null) {
      String c = query.cursor();
      if (!c.startsWith(CURSOR_PREFIX) || c.length() != CURSOR_PREFIX.length() + 64) {
        throw new IllegalArgumentException("cursor was not produced by this in-memory store");
      }
      view = entries.tailMap(c.substring(CURSOR_PREFIX.length()), false);
    }
    List<StoredReference> items = new ArrayList<>(Math.min(query.pageSize(), 64));
    String last = null;
    for (Map.Entry<String, Entry> me : view.entrySet()) {
      Entry e = me.getValue();
      if (!live(e) || !matches(e.doc(), query)) {
        continue;
      }
      items.add(e.stored());
      last = me.getKey();
      if (items.size() == query.pageSize()) {
        boolean more = view.higherKey(last) != null;
        return new Page(items, more ? CURSOR_PREFIX + last : null);
      }
    }
    return new Page(items, null);
  }

  private static boolean matches(ReferenceDocument doc, ListQuery q) {
    return (q.channelId() == null || q.channelId().equals(doc.key().channelId()))
        && (q.tenantId() == null || q.tenantId().equals(doc.tenantId()))
        && (q.segment() == null || q.segment().contains(doc.key()));
  }

  @Override
  public long purgeExpired() {
    long n = 0;
    for (Map.Entry<String, Entry> me : entries.entrySet()) {
      if (options.isExpired(me.getValue().expiresAt())
          && entries.remove(me.getKey(), me.getValue())) {
        n++;
      }
    }
    return n;
  }

  /**
   * How many live references are held.
   *
   * @return the count
   */
  public long size() {
    return entries.values().stream().filter(this::live).count();
  }
}
