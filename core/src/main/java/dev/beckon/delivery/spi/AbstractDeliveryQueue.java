package dev.beckon.delivery.spi;

import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryCounts;
import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every delivery queue: it builds {@link DeliveryQueue} from five primitives that a
 * backend implements, each one atomic step, and owns what every queue must do alike.
 *
 * <table>
 *   <caption>Operations and the primitives they use</caption>
 *   <tr><th>operation</th><th>primitive</th></tr>
 *   <tr><td>{@code schedule}</td><td>{@code insert(row)} if absent</td></tr>
 *   <tr><td>{@code status}</td><td>{@code read(keyHash)}</td></tr>
 *   <tr><td>{@code claim}</td><td>{@code claimRows(claim)}</td></tr>
 *   <tr><td>{@code complete}, {@code reschedule}, {@code release}, {@code cancel}, {@code
 *       retry}</td><td>{@code update(change)}: conditional on the claim token or the state</td></tr>
 *   <tr><td>{@code purge}</td><td>{@code purgeRows(before, limit)}</td></tr>
 *   <tr><td>{@code list}</td><td>{@code listRows(state, afterKeyHash, limit)}</td></tr>
 * </table>
 *
 * <p><b>What the base class owns.</b> Delivery keys (validated, stored as given and keyed by their
 * SHA-256); the stored activity document (its canonical JSON, at most {@value #MAX_ACTIVITY_CHARS}
 * characters) and the conversation key; claim tokens (random, 24 hex characters) and leases; every
 * state transition and its condition; outcome texts (bounded to {@value #MAX_OUTCOME_CHARS}
 * characters); and unreadable rows: a row read back with a bad state, key, id or activity is never
 * handed to a worker, it is settled {@link DeliveryState#FAILED} with the reason, and the claim
 * goes on with the other rows.
 *
 * <p><b>What a backend must do.</b> Apply each primitive atomically; never give one row to two live
 * claims; raise {@link StoreException} (through {@link StoreErrors}) when the backend fails; never
 * close clients it was given; name itself in {@link #location()} without addresses or secrets.
 *
 * <pre>{@code
 * public final class MyQueue extends AbstractDeliveryQueue {
 *   protected boolean insert(QueueRow row) { ... }
 *   protected Optional<QueueRow> read(String keyHash) { ... }
 *   protected List<ClaimedRow> claimRows(Claim claim) { ... }
 *   protected boolean update(RowUpdate change) { ... }
 *   protected int purgeRows(long beforeMillis, int limit) { ... }
 *   protected RowPage listRows(String state, String afterKeyHash, int limit) { ... }
 *   protected String location() { return "table " + table; }
 * }
 * }</pre>
 *
 * <p>Subclasses must be thread-safe; this class is.
 */
public abstract class AbstractDeliveryQueue implements DeliveryQueue {

  /** The longest delivery key, in UTF-16 characters. */
  public static final int MAX_KEY_LENGTH = 512;

  /** The longest stored activity JSON, in characters (256 Ki). */
  public static final int MAX_ACTIVITY_CHARS = 256 * 1024;

  /** The longest outcome text kept. */
  public static final int MAX_OUTCOME_CHARS = 500;

  /** The most deliveries one claim takes. */
  public static final int MAX_CLAIM = 1000;

  /**
   * The largest attempt count a stored row reads as (an edited row's larger count would overflow a
   * worker's next attempt).
   */
  public static final int MAX_ATTEMPTS = 1_000_000;

  /** How many rows one {@code purgeRows} call removes at most. */
  public static final int PURGE_BATCH = 1000;

  /** The most deliveries one {@link #list} page holds. */
  public static final int MAX_LIST = 1000;

  /** How a listing cursor starts: the cursor is this and the last key hash examined. */
  private static final String CURSOR_PREFIX = "d1.";

  /** How many {@code listRows} calls one {@link #list} page makes at most. */
  private static final int LIST_ROUNDS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(AbstractDeliveryQueue.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Duration MAX_LEASE = Duration.ofHours(1);
  private static final List<String> PENDING = List.of(DeliveryState.PENDING.name());
  private static final List<String> RETRYABLE =
      List.of(
          DeliveryState.FAILED.name(),
          DeliveryState.UNKNOWN.name(),
          DeliveryState.DEAD.name(),
          DeliveryState.GONE.name());

  private final Clock clock;

  /**
   * Sets the clock every operation reads.
   *
   * @param clock the queue's time (due times, leases)
   */
  protected AbstractDeliveryQueue(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ------------------------------------------------------------------ the primitives

  /**
   * Inserts a row unless a row of its key exists (in any state): one atomic step.
   *
   * @param row the new row
   * @return true when inserted, false when the key existed
   * @throws StoreException when the backend fails
   */
  protected abstract boolean insert(QueueRow row);

  /**
   * Reads a row.
   *
   * @param keyHash the row's key
   * @return the row as stored, or empty
   * @throws StoreException when the backend fails
   */
  protected abstract Optional<QueueRow> read(String keyHash);

  /**
   * Claims due rows, as {@link Claim} describes.
   *
   * @param claim what to claim
   * @return the claimed rows, at most {@code claim.limit()}
   * @throws StoreException when the backend fails; nothing was claimed
   */
  protected abstract List<ClaimedRow> claimRows(Claim claim);

  /**
   * Changes a row if its condition holds, atomically, as {@link RowUpdate} describes.
   *
   * @param change the change and its condition
   * @return true when applied
   * @throws StoreException when the backend fails; nothing changed
   */
  protected abstract boolean update(RowUpdate change);

  /**
   * Removes up to {@code limit} rows in a final state (any state but {@code PENDING}) last updated
   * before a time.
   *
   * @param beforeMillis the cut-off, epoch ms
   * @param limit at most this many
   * @return how many were removed
   * @throws StoreException when the backend fails
   */
  protected abstract int purgeRows(long beforeMillis, int limit);

  /**
   * Reads up to {@code limit} rows after a key hash, in the backend's listing order: the order of
   * the key hashes (lexicographic), or another order that is stable while rows come and go (a
   * DynamoDB scan's) where the backend has no ordered index. Every row that exists for the whole
   * listing is found once by a listing that goes on from each page's {@link RowPage#after()}. A
   * backend may examine fewer rows than exist (to bound one call's work) and return fewer than
   * {@code limit} rows; it returns {@code after == null} only at the end.
   *
   * @param state only rows in this state (a {@link DeliveryState} name), or {@code null} for all
   * @param afterKeyHash list the rows after this key hash (exclusive), or {@code null} from the
   *     start; a hash the listing returned as {@link RowPage#after()} (64 lowercase hex characters)
   * @param limit at most this many rows, 1 to {@value #MAX_LIST}
   * @return the rows and where to go on
   * @throws StoreException when the backend fails
   */
  protected abstract RowPage listRows(
      @Nullable String state, @Nullable String afterKeyHash, int limit);

  /**
   * Where this queue keeps its rows, for {@link #toString()} and messages: for example {@code table
   * beckon_deliveries}. Never an address, a user name or a secret.
   *
   * @return a short, stable description
   */
  protected abstract String location();

  /**
   * Counts rows for {@link #counts()}: rows {@code PENDING}, rows {@code DEAD}, and the smallest
   * {@code notBefore} of the pending rows due at {@code nowMillis} and not held by a live lease.
   * Backends that cannot count cheaply keep this default.
   *
   * @param nowMillis the queue's now, epoch ms
   * @return the counts, or empty when not supported
   * @throws StoreException when the backend fails
   */
  protected Optional<RowCounts> countRows(long nowMillis) {
    return Optional.empty();
  }

  // ------------------------------------------------------------------ for subclasses

  /**
   * The row {@link #schedule} inserts, validated: for a backend's own scheduling path (a JDBC
   * queue's schedule inside the caller's transaction).
   *
   * @param to the conversation
   * @param what the activity
   * @param notBefore the earliest time to send it
   * @param deliveryKey the key
   * @return the row to insert
   * @throws IllegalArgumentException when the key or the activity breaks a limit
   */
  protected final QueueRow newRow(
      ReferenceKey to, Activity what, Instant notBefore, String deliveryKey) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(notBefore, "notBefore");
    String hash = keyHash(deliveryKey);
    String json = ActivityJson.write(what);
    if (json.length() > MAX_ACTIVITY_CHARS) {
      throw new IllegalArgumentException(
          "the activity's JSON has "
              + json.length()
              + " characters, more than the "
              + MAX_ACTIVITY_CHARS
              + " a delivery keeps");
    }
    long now = clock.millis();
    long due = millis(notBefore);
    return new QueueRow(
        hash,
        deliveryKey,
        to.channelId(),
        to.conversationId(),
        json,
        DeliveryState.PENDING.name(),
        0,
        due,
        due,
        now,
        now,
        null,
        0,
        null,
        null);
  }

  /**
   * The row key of a delivery key: the lowercase hex SHA-256 of its UTF-8 bytes.
   *
   * @param deliveryKey the key
   * @return 64 hex characters
   * @throws IllegalArgumentException when the key is null, empty, longer than {@value
   *     #MAX_KEY_LENGTH}, has a control character or is not well-formed UTF-16
   */
  protected static String keyHash(String deliveryKey) {
    requireKey(deliveryKey);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(deliveryKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The queue's clock.
   *
   * @return the clock
   */
  protected final Clock clock() {
    return clock;
  }

  // ------------------------------------------------------------------ the operations

  @Override
  public final boolean schedule(
      ReferenceKey to, Activity what, Instant notBefore, String deliveryKey) {
    QueueRow row = newRow(to, what, notBefore, deliveryKey);
    return guard("schedule", () -> insert(row));
  }

  @Override
  public final boolean cancel(String deliveryKey) {
    String hash = keyHash(deliveryKey);
    long now = clock.millis();
    return guard(
        "cancel",
        () ->
            update(
                new RowUpdate(
                    hash,
                    null,
                    PENDING,
                    now,
                    DeliveryState.CANCELLED.name(),
                    RowUpdate.KEEP_ATTEMPTS,
                    now,
                    "cancelled",
                    null)));
  }

  @Override
  public final Optional<DeliveryStatus> status(String deliveryKey) {
    String hash = keyHash(deliveryKey);
    Optional<QueueRow> row = guard("status", () -> read(hash));
    if (row.isEmpty()) {
      return Optional.empty();
    }
    QueueRow r = row.get();
    try {
      return Optional.of(statusOf(r, hash, clock.millis()));
    } catch (IllegalArgumentException e) {
      throw StoreErrors.failure(
          this, "status", "the row of key hash " + hash + " is unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public final Optional<Activity> activity(String deliveryKey) {
    String hash = keyHash(deliveryKey);
    Optional<QueueRow> row = guard("activity", () -> read(hash));
    if (row.isEmpty()) {
      return Optional.empty();
    }
    QueueRow r = row.get();
    try {
      if (!hash.equals(r.keyHash())) {
        throw new IllegalArgumentException("its key hash is not the one asked for");
      }
      if (r.payload().length() > MAX_ACTIVITY_CHARS) {
        throw new IllegalArgumentException("its activity is longer than " + MAX_ACTIVITY_CHARS);
      }
      return Optional.of(ActivityJson.read(r.payload()));
    } catch (RuntimeException e) {
      throw StoreErrors.failure(
          this,
          "activity",
          "the row of key hash "
              + hash
              + " is unreadable: "
              + bounded(String.valueOf(e.getMessage())),
          new IllegalArgumentException("unreadable row", e));
    }
  }

  @Override
  public final boolean retry(String deliveryKey, Instant notBefore) {
    Objects.requireNonNull(notBefore, "notBefore");
    String hash = keyHash(deliveryKey);
    long now = clock.millis();
    return guard(
        "retry",
        () ->
            update(
                new RowUpdate(
                    hash,
                    null,
                    RETRYABLE,
                    now,
                    DeliveryState.PENDING.name(),
                    0,
                    millis(notBefore),
                    "retry requested",
                    null)));
  }

  @Override
  public final DeliveryPage list(
      @Nullable DeliveryState state, @Nullable String cursor, int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIST + " but was " + limit);
    }
    String after = cursor == null ? null : cursorPosition(cursor);
    String stateName = state == null ? null : state.name();
    long now = clock.millis();
    List<DeliveryStatus> items = new ArrayList<>();
    int unreadable = 0;
    for (int round = 0; round < LIST_ROUNDS && items.size() < limit; round++) {
      String from = after;
      int want = limit - items.size();
      RowPage page = guard("list", () -> listRows(stateName, from, want));
      int taken = 0;
      for (QueueRow r : page.rows()) {
        if (taken++ == want) {
          break; // more than asked: the rest is listed again from the last one kept
        }
        after = r.keyHash();
        try {
          DeliveryStatus st = statusOf(r, keyHash(r.deliveryKey()), now);
          if (state == null || st.state() == state) {
            items.add(st);
          }
        } catch (IllegalArgumentException e) {
          unreadable++;
          LOG.warn(
              "{}: a listed delivery row is unreadable: {}",
              this,
              bounded(String.valueOf(e.getMessage())));
        }
      }
      if (taken <= want) {
        after = page.after();
      }
      if (after == null) {
        return new DeliveryPage(items, unreadable, null);
      }
      if (!KEY_HASH.matcher(after).matches()) {
        throw StoreErrors.failure(
            this, "list", "the backend returned a bad listing position", null);
      }
    }
    return new DeliveryPage(items, unreadable, CURSOR_PREFIX + after);
  }

  /** The key hash a cursor of {@link #list} holds. */
  private static String cursorPosition(String cursor) {
    if (cursor.length() != CURSOR_PREFIX.length() + 64 || !cursor.startsWith(CURSOR_PREFIX)) {
      throw new IllegalArgumentException(
          "the cursor was not produced by a delivery listing (it is "
              + CURSOR_PREFIX
              + " and 64 hex characters)");
    }
    String hash = cursor.substring(CURSOR_PREFIX.length());
    if (!KEY_HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException(
          "the cursor was not produced by a delivery listing (it is "
              + CURSOR_PREFIX
              + " and 64 lowercase hex characters)");
    }
    return hash;
  }

  @Override
  public final long purge(Instant finishedBefore) {
    long before = millis(finishedBefore);
    long total = 0;
    while (true) {
      int n = guard("purge", () -> purgeRows(before, PURGE_BATCH));
      total += n;
      if (n < PURGE_BATCH) {
        return total;
      }
    }
  }

  @Override
  public final List<Delivery> claim(String worker, int max, Duration lease) {
    Objects.requireNonNull(worker, "worker");
    if (max < 1 || max > MAX_CLAIM) {
      throw new IllegalArgumentException(
          "max must be between 1 and " + MAX_CLAIM + " but was " + max);
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(MAX_LEASE) > 0) {
      throw new IllegalArgumentException("lease must be 1 s to 1 h but was " + lease);
    }
    long now = clock.millis();
    long until = now + lease.toMillis();
    Claim claim = new Claim(now, max, until, newToken());
    List<ClaimedRow> rows = guard("claim", () -> claimRows(claim));
    List<Delivery> out = new ArrayList<>(rows.size());
    for (ClaimedRow c : rows) {
      if (out.size() == max) {
        LOG.warn("{} claimed more rows than asked; the rest expire unsettled", this);
        break;
      }
      try {
        out.add(delivery(c, now, until));
      } catch (RuntimeException unreadable) {
        failUnreadable(c, now, unreadable);
      }
    }
    return out;
  }

  private Delivery delivery(ClaimedRow c, long now, long until) {
    QueueRow r = c.row();
    if (!KEY_HASH.matcher(r.keyHash()).matches()) {
      throw new IllegalArgumentException("its key hash is not 64 hex characters");
    }
    requireKey(r.deliveryKey());
    if (!keyHash(r.deliveryKey()).equals(r.keyHash())) {
      throw new IllegalArgumentException("its delivery key does not match its key hash");
    }
    if (!DeliveryState.PENDING.name().equals(r.state())) {
      throw new IllegalArgumentException("it is not pending");
    }
    if (r.payload().length() > MAX_ACTIVITY_CHARS) {
      throw new IllegalArgumentException("its activity is longer than " + MAX_ACTIVITY_CHARS);
    }
    ReferenceKey to = ReferenceKey.of(r.channelId(), r.conversationId());
    Activity activity = ActivityJson.read(r.payload());
    return new Delivery(
        r.deliveryKey(),
        to,
        activity,
        attemptsOf(r.attempts()),
        Instant.ofEpochMilli(r.firstDue()),
        Instant.ofEpochMilli(now),
        Instant.ofEpochMilli(until),
        c.interrupted(),
        c.token());
  }

  private void failUnreadable(ClaimedRow c, long now, RuntimeException why) {
    String reason = bounded("UnreadableRow: " + why.getMessage());
    LOG.warn(
        "{}: the delivery row of key hash {} is unreadable: {}", this, c.row().keyHash(), reason);
    try {
      update(
          new RowUpdate(
              c.row().keyHash(),
              c.token(),
              List.of(),
              now,
              DeliveryState.FAILED.name(),
              attemptsOf(c.row().attempts()),
              now,
              reason,
              null));
    } catch (RuntimeException e) {
      LOG.warn("{}: could not mark key hash {} failed: {}", this, c.row().keyHash(), e.toString());
    }
  }

  @Override
  public final boolean complete(
      Delivery claim,
      DeliveryState state,
      int attempts,
      String outcome,
      @Nullable String activityId) {
    Objects.requireNonNull(state, "state");
    if (!state.terminal()) {
      throw new IllegalArgumentException("complete takes a final state, not " + state);
    }
    long now = clock.millis();
    return settle(
        "complete",
        claim,
        state,
        attempts,
        claim.firstDue().toEpochMilli(),
        outcome,
        activityId == null ? null : bounded(activityId),
        now);
  }

  @Override
  public final boolean reschedule(Delivery claim, Duration delay, int attempts, String outcome) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative but was " + delay);
    }
    long now = clock.millis();
    long due = now + Math.min(delay.toMillis(), Duration.ofDays(3650).toMillis());
    return settle("reschedule", claim, DeliveryState.PENDING, attempts, due, outcome, null, now);
  }

  @Override
  public final boolean release(Delivery claim) {
    long now = clock.millis();
    return settle(
        "release", claim, DeliveryState.PENDING, claim.attempts(), now, "released", null, now);
  }

  private boolean settle(
      String operation,
      Delivery claim,
      DeliveryState state,
      int attempts,
      long notBefore,
      String outcome,
      @Nullable String activityId,
      long now) {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(outcome, "outcome");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative but was " + attempts);
    }
    String hash = keyHash(claim.deliveryKey());
    RowUpdate change =
        new RowUpdate(
            hash,
            claim.claimToken(),
            List.of(),
            now,
            state.name(),
            attempts,
            notBefore,
            bounded(outcome),
            activityId);
    return guard(operation, () -> update(change));
  }

  // ------------------------------------------------------------------ helpers

  private DeliveryStatus statusOf(QueueRow r, String hash, long now) {
    if (!hash.equals(r.keyHash())) {
      throw new IllegalArgumentException("its key hash is not the one asked for");
    }
    DeliveryState state;
    try {
      state = DeliveryState.valueOf(r.state());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "its state is not one of " + List.of(DeliveryState.values()));
    }
    return new DeliveryStatus(
        r.deliveryKey(),
        ReferenceKey.of(r.channelId(), r.conversationId()),
        state,
        attemptsOf(r.attempts()),
        Instant.ofEpochMilli(state.terminal() ? r.firstDue() : r.notBefore()),
        state == DeliveryState.PENDING && r.leaseToken() != null && r.leaseUntil() > now,
        r.lastOutcome() == null ? null : bounded(r.lastOutcome()),
        r.activityId() == null ? null : bounded(r.activityId()),
        Instant.ofEpochMilli(r.createdAt()),
        Instant.ofEpochMilli(r.updatedAt()));
  }

  private static void requireKey(@Nullable String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("deliveryKey must not be null or empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "deliveryKey has " + key.length() + " characters, more than " + MAX_KEY_LENGTH);
    }
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (Character.isISOControl(ch)) {
        throw new IllegalArgumentException("deliveryKey has a control character at " + i);
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 == key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          throw new IllegalArgumentException("deliveryKey is not well-formed UTF-16 at " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(ch)) {
        throw new IllegalArgumentException("deliveryKey is not well-formed UTF-16 at " + i);
      }
    }
  }

  /** A stored attempt count, read back: negative reads as 0, huge as {@value #MAX_ATTEMPTS}. */
  private static int attemptsOf(int stored) {
    return Math.max(0, Math.min(stored, MAX_ATTEMPTS));
  }

  private static String bounded(String text) {
    String t = text.length() > MAX_OUTCOME_CHARS ? text.substring(0, MAX_OUTCOME_CHARS) : text;
    if (t.length() > 0 && Character.isHighSurrogate(t.charAt(t.length() - 1))) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  /**
   * Epoch ms, clamped: an instant beyond the epoch-ms range never raises an ArithmeticException.
   */
  private static long millis(Instant t) {
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static String newToken() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Runs a primitive; an undocumented exception of a backend becomes a {@link StoreException}. */
  @Override
  public final Optional<DeliveryCounts> counts() {
    long now = clock.millis();
    Optional<RowCounts> c = guard("counts", () -> countRows(now));
    return c.map(
        n ->
            new DeliveryCounts(
                Math.max(0, n.pending()),
                Math.max(0, n.dead()),
                n.oldestDueMillis() >= now
                    ? Duration.ZERO
                    : Duration.ofMillis(now - n.oldestDueMillis())));
  }

  private <T> T guard(String operation, Supplier<T> work) {
    try {
      return work.get();
    } catch (StoreException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw StoreErrors.failure(this, operation, e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + location() + "]";
  }
}
