package dev.beckon.store.spi;

import dev.beckon.BeckonException;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.UnreadableReferenceException;
import dev.beckon.store.VersionConflictException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The base of every store: it builds the user operations of {@link
 * dev.beckon.store.ReferenceRepository} from four primitives that a backend implements, one round
 * trip each, and owns what every store must do alike.
 *
 * <table>
 *   <caption>User operations and the primitives they use</caption>
 *   <tr><th>operation</th><th>primitive</th></tr>
 *   <tr><td>{@code save}</td><td>{@code write(row, any)}</td></tr>
 *   <tr><td>{@code insertIfAbsent}</td><td>{@code write(row, absent)}</td></tr>
 *   <tr><td>{@code replace}</td><td>{@code write(row, version)} (and {@code read} to name the
 *       conflicting version, only when the write could not)</td></tr>
 *   <tr><td>{@code find}</td><td>{@code read(key)}</td></tr>
 *   <tr><td>{@code delete}</td><td>{@code remove(key, any)} or {@code remove(key, version)}</td></tr>
 *   <tr><td>{@code list}, {@code stream}</td><td>{@code scan(from, limit)} (more than once per
 *       page only as {@code scansPerPage()} allows)</td></tr>
 *   <tr><td>{@code saveAll}</td><td>{@code writeBatch} in chunks of {@code batchSize()} (default:
 *       one {@code write} each)</td></tr>
 *   <tr><td>{@code purgeExpired}</td><td>{@code purge(now)}</td></tr>
 * </table>
 *
 * <p><b>What the base class owns.</b> The stored document and its size limit ({@link
 * ReferenceDocument}); version tokens (random, 24 hex characters); conflicts ({@link
 * VersionConflictException}); TTL visibility (rows past their expiry are absent for {@code find}
 * and listings, whatever the backend returns); the query's filters, applied again after the
 * backend's; unreadable rows ({@link UnreadableReference}); batch semantics; and the one listing
 * cursor: versioned, opaque, and bound to its query and store, so that a cursor of another query or
 * store is refused with {@link IllegalArgumentException} before the backend sees it.
 *
 * <p><b>What a store must do.</b> Apply each write's {@link Precondition} atomically with the
 * write, counting a row whose expiry is at or before {@link RowWrite#nowMillis()} as absent; return
 * listing rows in a stable order, so that every row that exists for a whole listing is returned
 * exactly once; let its client's exceptions pass (the base class turns them into {@link
 * StoreException}s through {@link #failure(String, RuntimeException)}, which a store overrides to
 * tell a missing table); retry what its backend says to retry with {@link StoreOptions#retry()};
 * never close clients it was given; and name itself in {@link #location()} without addresses or
 * secrets.
 *
 * <pre>{@code
 * public final class MyRepository extends AbstractReferenceRepository {
 *   protected Optional<StoredRow> read(ReferenceKey key) { ... }
 *   protected WriteResult write(RowWrite row, Precondition precondition) { ... }
 *   protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) { ... }
 *   protected ScanResult scan(Scan scan) { ... }
 *   protected long purge(long nowMillis) { ... }
 *   protected String location() { return "table " + table; }
 * }
 * }</pre>
 *
 * <p>Subclasses must be thread-safe; this class is.
 */
public abstract class AbstractReferenceRepository implements PurgeableRepository {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final StoreOptions options;
  private volatile @Nullable String identity;

  /**
   * Sets the options every operation honours.
   *
   * @param options TTL and clock
   */
  protected AbstractReferenceRepository(StoreOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * The options this repository honours.
   *
   * @return TTL and clock
   */
  protected final StoreOptions options() {
    return options;
  }

  // ------------------------------------------------------------------ the primitives

  /**
   * Reads the row of a key: one round trip.
   *
   * @param key the key; its {@link ReferenceKey#hash()} is how stores key rows
   * @return the row as stored (expired or not: the base class checks), or empty when there is none
   * @throws StoreException when the backend fails
   */
  protected abstract Optional<StoredRow> read(ReferenceKey key);

  /**
   * Writes a row if its precondition holds, atomically: one round trip.
   *
   * @param row the row
   * @param precondition what must hold of the stored row; an expired row is absent
   * @return {@link WriteResult#ok()}, or a refusal (with the live row's version if the backend told
   *     it)
   * @throws StoreException when the backend fails; nothing was written
   */
  protected abstract WriteResult write(RowWrite row, Precondition precondition);

  /**
   * Removes the row of a key if its precondition ({@link Precondition#any()} or {@link
   * Precondition#version(String)}) holds, atomically: one round trip.
   *
   * @param key the key
   * @param precondition what must hold of the stored row
   * @param nowMillis the time by the repository's clock: a row expired at or before it is absent
   *     (it may be removed, but the result is a refusal without a version)
   * @return applied when a live row was removed, else a refusal: without a version when no live row
   *     is stored, with the live row's version when it is another one
   * @throws StoreException when the backend fails; nothing was removed
   */
  protected abstract WriteResult remove(
      ReferenceKey key, Precondition precondition, long nowMillis);

  /**
   * Reads one page of rows from a position: one round trip.
   *
   * @param scan where to start, how many rows at most, and the filters to apply where the backend
   *     can
   * @return the rows and the position of the next page
   * @throws StoreException when the backend fails
   * @throws IllegalArgumentException when the position is not one this store produced ({@link
   *     StoreErrors#badCursor(String)})
   */
  protected abstract ScanResult scan(Scan scan);

  /**
   * Removes the rows expired at or before a time, in batches.
   *
   * @param nowMillis the time by the repository's clock
   * @return how many rows were removed
   * @throws StoreException when the backend fails
   */
  protected abstract long purge(long nowMillis);

  /**
   * Where this store keeps its rows, for {@link #toString()}, messages and the cursor's binding:
   * for example {@code table beckon_references}. Never an address, a user name or a secret.
   *
   * @return a short, stable description
   */
  protected abstract String location();

  /**
   * How many {@link #scan}s one page of a listing may take: 1 (the default) makes the page what one
   * scan returned. A store whose scan can come back short with more to read (a channel spread over
   * partitions read one per round trip, filters applied after the backend's limit) returns more;
   * the base class then scans on from the position returned, for the rest of the page, until the
   * page is full, the listing ends or this many scans were made.
   *
   * @return at least 1
   */
  protected int scansPerPage() {
    return 1;
  }

  /**
   * How many rows {@link #writeBatch} takes at once; 1 (the default) when the backend has no batch
   * write.
   *
   * @return at least 1
   */
  protected int batchSize() {
    return 1;
  }

  /**
   * Writes rows unconditionally, as {@link #write} with {@link Precondition#any()} would, in as few
   * round trips as the backend allows. The default writes them one by one; override it when the
   * backend has a batch write.
   *
   * @param rows at most {@link #batchSize()} rows of distinct keys
   * @throws StoreException when the backend fails; some of the rows may be written
   */
  protected void writeBatch(List<RowWrite> rows) {
    for (RowWrite row : rows) {
      if (!write(row, Precondition.any()).applied()) {
        throw refusedUnconditional();
      }
    }
  }

  /**
   * Sends items with a backend call that answers with those it left unprocessed (throttled), and
   * sends those again, waiting by {@link StoreOptions#retry()} as after a throttle, until none is
   * left: the one batch retry loop, for a {@link #writeBatch} over a partial batch write
   * (DynamoDB's {@code BatchWriteItem}, Cosmos DB's bulk operations).
   *
   * @param <T> the backend's item
   * @param call the backend call, for the message, e.g. {@code BatchWriteItem}
   * @param retryName the operation the retry listener hears, e.g. {@code dynamodb.saveAll}
   * @param items the items
   * @param attempt sends items in one round trip and returns those left unprocessed (empty when all
   *     are done)
   * @throws StoreException when items are still left once the retries are spent
   */
  protected final <T> void retryUnprocessed(
      String call, String retryName, List<T> items, UnaryOperator<List<T>> attempt) {
    RetryStrategy.Retry retry = options.retry().start(retryName);
    List<T> pending = attempt.apply(items);
    while (!pending.isEmpty()) {
      if (!retry.await(RetryCause.THROTTLED, null, pending.size() + " unprocessed items")) {
        String detail =
            pending.size()
                + " items were left unprocessed (throttled) after "
                + retry.attempt()
                + " attempts";
        throw StoreErrors.failure(this, call, detail, null);
      }
      pending = attempt.apply(pending);
    }
  }

  /**
   * The exception for a failure of the backend's client that a primitive let escape: a store need
   * not catch its client's exceptions, only override this to tell a missing table ({@link
   * StoreErrors#tableMissing}) or to word a failure whose message may hold a secret. The default is
   * {@link StoreErrors#failure(Object, String, Throwable)}.
   *
   * @param operation the user operation, e.g. {@code save}
   * @param failure what the client raised (not a {@link BeckonException} or {@link
   *     IllegalArgumentException}, which pass as they are)
   * @return the exception to raise
   */
  protected StoreException failure(String operation, RuntimeException failure) {
    return StoreErrors.failure(this, operation, failure);
  }

  // ------------------------------------------------------------------ the user operations

  @Override
  public final StoredReference save(ConversationReference reference) {
    RowWrite row = newRow(reference);
    WriteResult r = guard("save", () -> write(row, Precondition.any()));
    if (!r.applied()) {
      throw refusedUnconditional();
    }
    return new StoredReference(reference, versionOf(row, r));
  }

  @Override
  public final Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    RowWrite row = newRow(reference);
    WriteResult r = guard("insertIfAbsent", () -> write(row, Precondition.absent()));
    return r.applied()
        ? Optional.of(new StoredReference(reference, versionOf(row, r)))
        : Optional.empty();
  }

  @Override
  public final StoredReference replace(ConversationReference reference, String expectedVersion) {
    Precondition expected = Precondition.version(expectedVersion);
    RowWrite row = newRow(reference);
    WriteResult r = guard("replace", () -> write(row, expected));
    if (r.applied()) {
      return new StoredReference(reference, versionOf(row, r));
    }
    ReferenceKey key = row.document().key();
    throw new VersionConflictException(key, expectedVersion, currentVersion(key, r));
  }

  @Override
  public final Optional<StoredReference> find(ReferenceKey key) {
    Objects.requireNonNull(key, "key");
    Optional<StoredRow> found = guard("find", () -> read(key));
    if (found.isEmpty() || options.isExpired(found.get().expiresAtMillis())) {
      return Optional.empty();
    }
    StoredRow row = found.get();
    return Optional.of(ReferenceDocument.read(key, row.json(), row.version()));
  }

  @Override
  public final boolean delete(ReferenceKey key) {
    Objects.requireNonNull(key, "key");
    long now = options.clock().millis();
    return guard("delete", () -> remove(key, Precondition.any(), now)).applied();
  }

  @Override
  public final boolean delete(ReferenceKey key, String expectedVersion) {
    Objects.requireNonNull(key, "key");
    Precondition expected = Precondition.version(expectedVersion);
    long now = options.clock().millis();
    WriteResult r = guard("delete", () -> remove(key, expected, now));
    if (r.applied()) {
      return true;
    }
    String current = currentVersion(key, r);
    if (current == null) {
      return false;
    }
    throw new VersionConflictException(key, expectedVersion, current);
  }

  @Override
  public final Page list(ListQuery query) {
    Objects.requireNonNull(query, "query");
    byte[] binding = ListingCursor.binding(identity(), query);
    String position = query.cursor() == null ? null : ListingCursor.decode(query.cursor(), binding);
    long now = options.clock().millis();
    List<StoredRow> rows = new ArrayList<>();
    int scans = 0;
    do { // one scan, or more while the page is short and the store asks for it (scansPerPage)
      Scan scan =
          new Scan(
              position,
              query.pageSize() - rows.size(),
              query.channelId(),
              query.tenantId(),
              query.segment(),
              now);
      ScanResult result = guard("list", () -> scan(scan));
      rows.addAll(result.rows());
      position = result.nextPosition();
    } while (position != null && rows.size() < query.pageSize() && ++scans < scansPerPage());
    List<StoredReference> items = new ArrayList<>(rows.size());
    List<UnreadableReference> unreadable = new ArrayList<>(0);
    for (StoredRow row : rows) {
      if (options.isExpired(row.expiresAtMillis()) || !fieldsMatch(row, query)) {
        continue;
      }
      StoredReference stored;
      try {
        stored =
            ReferenceDocument.read(
                row.keyHash(), row.channelId(), row.conversationId(), row.json(), row.version());
      } catch (UnreadableReferenceException e) {
        unreadable.add(e.unreadable());
        continue;
      }
      if (matches(stored.reference(), query)) {
        items.add(stored);
      }
    }
    String next = position == null ? null : ListingCursor.encode(binding, position);
    return new Page(items, next, unreadable);
  }

  @Override
  public final List<StoredReference> saveAll(Collection<ConversationReference> references) {
    Objects.requireNonNull(references, "references");
    List<ConversationReference> refs = List.copyOf(references);
    List<RowWrite> rows = new ArrayList<>(refs.size());
    Map<String, Integer> last = new HashMap<>();
    for (ConversationReference reference : refs) {
      RowWrite row = newRow(reference); // every size check before anything is written
      last.put(row.document().keyHash(), rows.size());
      rows.add(row);
    }
    // a key given again later wins, as with saves one by one: it is written once, with the last
    // value, so no round trip is spent on a value that is overwritten at once
    List<RowWrite> writes = new ArrayList<>(last.size());
    for (int i = 0; i < rows.size(); i++) {
      if (Integer.valueOf(i).equals(last.get(rows.get(i).document().keyHash()))) {
        writes.add(rows.get(i));
      }
    }
    String[] versions = new String[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      versions[i] = rows.get(i).version();
    }
    int chunk = Math.max(1, batchSize());
    int saved = 0;
    try {
      for (int from = 0; from < writes.size(); from += chunk) {
        List<RowWrite> part = writes.subList(from, Math.min(writes.size(), from + chunk));
        if (chunk == 1) {
          RowWrite one = part.get(0);
          WriteResult r = guard("saveAll", () -> write(one, Precondition.any()));
          if (!r.applied()) {
            throw refusedUnconditional();
          }
          versions[last.getOrDefault(one.document().keyHash(), 0)] = versionOf(one, r);
        } else {
          guard(
              "saveAll",
              () -> {
                writeBatch(part);
                return part;
              });
        }
        saved += part.size();
      }
    } catch (StoreException e) {
      if (saved == 0) {
        throw e;
      }
      throw StoreErrors.partialBatch(this, saved, writes.size(), e);
    }
    List<StoredReference> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(new StoredReference(refs.get(i), versions[i]));
    }
    return out;
  }

  @Override
  public final long purgeExpired() {
    long now = options.clock().millis();
    return guard("purgeExpired", () -> purge(now));
  }

  /**
   * Names the store and where it keeps its rows, e.g. {@code RedisReferenceRepository[keys
   * {beckon}:*]}; never an address or a secret.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + location() + "]";
  }

  // ------------------------------------------------------------------ helpers

  private RowWrite newRow(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference, options.botField());
    long now = options.clock().millis();
    java.time.Duration ttl = options.ttl();
    long expiresAt = ttl == null ? 0 : now + ttl.toMillis();
    byte[] v = new byte[12];
    RANDOM.nextBytes(v);
    return new RowWrite(doc, HexFormat.of().formatHex(v), expiresAt, now);
  }

  /**
   * Runs a primitive; a backend failure that escaped the store as something else than Beckon's
   * documented exceptions (an {@code UncheckedIOException} of a closed connection, a client's own
   * timeout) becomes a {@link StoreException}, so callers only ever see documented exceptions.
   */
  private <T> T guard(String operation, Supplier<T> primitive) {
    try {
      return primitive.get();
    } catch (BeckonException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(operation, e);
    }
  }

  private static String versionOf(RowWrite row, WriteResult applied) {
    String assigned = applied.version();
    return assigned == null ? row.version() : assigned;
  }

  /** The live version behind a refusal: from the backend's answer, else one more read. */
  private @Nullable String currentVersion(ReferenceKey key, WriteResult refusal) {
    if (refusal.versionKnown()) {
      return refusal.version();
    }
    Optional<StoredRow> row = guard("find", () -> read(key));
    return row.isEmpty() || options.isExpired(row.get().expiresAtMillis())
        ? null
        : row.get().version();
  }

  private String identity() {
    String id = identity;
    if (id == null) {
      id = getClass().getName() + '\u0000' + location();
      identity = id;
    }
    return id;
  }

  private StoreException refusedUnconditional() {
    return StoreErrors.failure(this, "save", "the backend refused an unconditional write", null);
  }

  /**
   * The row's own key fields against the query, before its payload is read: its channel field, and
   * its segment from the key hash (whose first 31 bits are the bucket), so that an unreadable row
   * is reported by the one segment that holds it.
   */
  private static boolean fieldsMatch(StoredRow row, ListQuery query) {
    String channel = query.channelId();
    if (channel != null && row.channelId() != null && !channel.equals(row.channelId())) {
      return false;
    }
    Segment segment = query.segment();
    int bucket = StoreKeys.bucketOf(row.keyHash());
    return segment == null || bucket < 0 || bucket % segment.count() == segment.index();
  }

  /** The reference read back against the query: exact, whatever the backend's collation. */
  private static boolean matches(ConversationReference reference, ListQuery query) {
    Segment segment = query.segment();
    return (query.channelId() == null || query.channelId().equals(reference.channelId()))
        && (query.tenantId() == null
            || query.tenantId().equals(reference.conversation().tenantId()))
        && (segment == null || segment.contains(reference.key()));
  }
}
