package dev.beckon.store.memory;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.spi.AbstractReferenceRepository;
import dev.beckon.store.spi.Precondition;
import dev.beckon.store.spi.RowWrite;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.store.spi.StoreErrors;
import dev.beckon.store.spi.StoredRow;
import dev.beckon.store.spi.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A thread-safe, in-process {@link dev.beckon.store.ReferenceRepository}: for tests, demos and
 * single-instance bots that may lose references on restart. Passes the full contract kit.
 *
 * <p>Rows are ordered by {@link ReferenceKey#hash()}, which is also the listing's position, so
 * paging is stable while other threads write.
 *
 * <pre>{@code
 * ReferenceRepository repo = new InMemoryReferenceRepository();
 * }</pre>
 */
public final class InMemoryReferenceRepository extends AbstractReferenceRepository {

  private static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{64}");

  private static final AtomicLong INSTANCES = new AtomicLong();

  private final ConcurrentSkipListMap<String, Row> rows = new ConcurrentSkipListMap<>();
  private final String location = "memory #" + INSTANCES.incrementAndGet();

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
    super(options);
  }

  /** What a row holds; compared by identity in the map's compare-and-set steps. */
  private static final class Row {
    final StoredRow stored;
    final String version;

    Row(StoredRow stored, String version) {
      this.stored = stored;
      this.version = version;
    }

    boolean liveAt(long now) {
      return stored.expiresAtMillis() <= 0 || now < stored.expiresAtMillis();
    }
  }

  private static Row rowOf(RowWrite w) {
    return new Row(
        new StoredRow(
            w.document().keyHash(),
            w.document().key().channelId(),
            w.document().key().conversationId(),
            w.document().json(),
            w.version(),
            w.expiresAtMillis()),
        w.version());
  }

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    Row row = rows.get(key.hash());
    return row == null ? Optional.empty() : Optional.of(row.stored);
  }

  // Conditional writes are compare-and-set loops on the map (putIfAbsent, replace(k, old, new),
  // remove(k, old)): the decision is made on the exact row that the atomic step then checks.
  // compute/computeIfPresent are not used: ConcurrentSkipListMap may run their function again or
  // return without running it, so a flag set inside it can outlive the attempt it described.

  @Override
  protected WriteResult write(RowWrite w, Precondition precondition) {
    String h = w.document().keyHash();
    Row created = rowOf(w);
    if (precondition.kind() == Precondition.Kind.ANY) {
      rows.put(h, created);
      return WriteResult.ok();
    }
    while (true) {
      Row old = rows.get(h);
      WriteResult refused =
          precondition.refusal(old != null && old.liveAt(w.nowMillis()) ? old.version : null);
      if (refused != null) {
        return refused;
      }
      if (old == null ? rows.putIfAbsent(h, created) == null : rows.replace(h, old, created)) {
        return WriteResult.ok();
      }
    }
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    String h = key.hash();
    while (true) {
      Row old = rows.get(h);
      if (old == null) {
        return WriteResult.refused(null);
      }
      if (!old.liveAt(nowMillis)) {
        rows.remove(h, old);
        return WriteResult.refused(null);
      }
      WriteResult refused = precondition.refusal(old.version);
      if (refused != null) {
        return refused;
      }
      if (rows.remove(h, old)) {
        return WriteResult.ok();
      }
    }
  }

  @Override
  protected ScanResult scan(Scan scan) {
    ConcurrentNavigableMap<String, Row> view = rows;
    String from = scan.position();
    if (from != null) {
      if (!KEY_HASH.matcher(from).matches()) {
        throw StoreErrors.badCursor("its position is not a key hash");
      }
      view = rows.tailMap(from, false);
    }
    List<StoredRow> out = new ArrayList<>(Math.min(scan.limit(), 64));
    String last = null;
    for (Map.Entry<String, Row> e : view.entrySet()) {
      Row row = e.getValue();
      if (!row.liveAt(scan.nowMillis()) || !matches(row.stored, scan)) {
        continue;
      }
      out.add(row.stored);
      last = e.getKey();
      if (out.size() == scan.limit()) {
        return new ScanResult(out, view.higherKey(last) != null ? last : null);
      }
    }
    return new ScanResult(out, null);
  }

  private static boolean matches(StoredRow row, Scan scan) {
    return scan.channelId() == null || scan.channelId().equals(row.channelId());
  }

  @Override
  protected long purge(long nowMillis) {
    long n = 0;
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      if (!e.getValue().liveAt(nowMillis) && rows.remove(e.getKey(), e.getValue())) {
        n++;
      }
    }
    return n;
  }

  @Override
  protected String location() {
    return location; // unique per instance: another in-memory store's cursor is refused
  }

  /**
   * Names the backend and its size, e.g. {@code InMemoryReferenceRepository[size 3]}.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "InMemoryReferenceRepository[size " + rows.size() + "]";
  }

  /**
   * How many live references are held.
   *
   * @return the count
   */
  public long size() {
    long now = options().clock().millis();
    return rows.values().stream().filter(r -> r.liveAt(now)).count();
  }
}
