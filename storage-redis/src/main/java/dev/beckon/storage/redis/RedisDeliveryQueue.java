package dev.beckon.storage.redis;

import dev.beckon.delivery.spi.AbstractDeliveryQueue;
import dev.beckon.delivery.spi.Claim;
import dev.beckon.delivery.spi.ClaimedRow;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.delivery.spi.RowCounts;
import dev.beckon.delivery.spi.RowPage;
import dev.beckon.delivery.spi.RowUpdate;
import dev.beckon.store.spi.StoreErrors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A durable delivery queue on Redis Streams (Redis 7+, single node or Redis Cluster), over a Jedis
 * {@code UnifiedJedis} you provide ({@code RedisClient}, {@code RedisClusterClient}).
 *
 * <pre>{@code
 * RedisDeliveryQueue queue = RedisDeliveryQueue.builder(redis)
 *     .keyPrefix("mybot-deliveries")   // default "beckon-deliveries"; also the cluster hash tag
 *     .group("workers")                // the consumer group of this worker pool; default "beckon"
 *     .build();
 * }</pre>
 *
 * <p><b>Layout.</b> With prefix {@code P}, every key carries the hash tag {@code {P}}, so one queue
 * lives in one cluster slot and every Lua script is cluster-safe:
 *
 * <ul>
 *   <li>{@code {P}:d:<keyHash>} — a hash per delivery (key, conversation, activity JSON, state,
 *       attempts, due times, the claim token and lease end, the last outcome, the current stream
 *       entry id);
 *   <li>{@code {P}:due} — a sorted set of pending deliveries not in the stream yet (score: due
 *       time);
 *   <li>{@code {P}:stream} — the stream with the consumer group: a claim moves due keys into it and
 *       reads new entries with {@code XREADGROUP}; an entry is acknowledged and deleted when its
 *       claim settles;
 *   <li>{@code {P}:leases} — a sorted set of held deliveries (score: lease end, by the queue's
 *       clock): an ended lease's entry is taken over with {@code XCLAIM}, its delivery count (read
 *       with {@code XPENDING}) grows, and the claim is {@code interrupted};
 *   <li>{@code {P}:all} — a sorted set of every delivery's key hash (score 0, so in lexicographic
 *       order), for listings ({@code ZRANGEBYLEX} from the last key hash listed);
 *   <li>{@code {P}:done} — a sorted set of final deliveries (score: when they became final), for
 *       purging;
 *   <li>{@code {P}:pending} and {@code {P}:deadkeys} — sorted sets of the {@code PENDING}
 *       deliveries (score: due time) and the {@code DEAD} ones (score: when they died), kept by the
 *       same scripts as the states, for {@link #counts()};
 *   <li>{@code {P}:dead} — the dead-letter stream: one entry per delivery settled {@code DEAD} (its
 *       key hash, key, outcome and time), capped at {@link Builder#deadLetterLength(int)}.
 * </ul>
 *
 * <p><b>Leases run on the queue's clock.</b> {@code XAUTOCLAIM} measures idle time on the Redis
 * server's clock; the queue SPI compares leases on the queue's clock (one clock for due times and
 * leases, which tests move). The lease index gives the same hand-over: the entry moves to the new
 * claim and its delivery count grows. A delivery handed out {@code n} times without a settle
 * reports {@code n - 1} more attempts to the worker than the hash holds, so the worker's attempt
 * limit (its retry strategy's {@code maxAttempts}) also ends a delivery whose sends kill their
 * worker, with {@code resendUnknown(true)}.
 *
 * <p>Every claim, settle and insert is one Lua script: atomic on the server. Stored hashes, set
 * members and stream entries are untrusted: one that is missing, edited or not the delivery's
 * current entry is dropped, never handed out, and never stops the others.
 *
 * <p>Thread-safe (as the client is). The queue never closes the client.
 */
public final class RedisDeliveryQueue extends AbstractDeliveryQueue {

  /** The default key prefix. */
  public static final String DEFAULT_PREFIX = "beckon-deliveries";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final String CONSUMER = "claims";
  private static final int MOVE_BATCH = 1000;

  /** The most index members one listing call examines (it blocks the server meanwhile). */
  private static final int LIST_BUDGET = 2000;

  /** The most due members one count examines for the wait: held deliveries are skipped. */
  private static final int COUNT_BUDGET = 1000;

  private final UnifiedJedis redis;
  private final String tag;
  private final String group;
  private final int deadLetterLength;
  private final LuaScript insertScript = LuaScript.load("queue-insert.lua");
  private final LuaScript claimScript = LuaScript.load("queue-claim.lua");
  private final LuaScript updateScript = LuaScript.load("queue-update.lua");
  private final LuaScript purgeScript = LuaScript.load("queue-purge.lua");
  private final LuaScript listScript = LuaScript.load("queue-list.lua");
  private final LuaScript countScript = LuaScript.load("queue-count.lua");

  private RedisDeliveryQueue(Builder b) {
    super(b.clock);
    this.redis = b.redis;
    this.tag = "{" + b.keyPrefix + "}";
    this.group = b.group;
    this.deadLetterLength = b.deadLetterLength;
  }

  /**
   * Starts a builder.
   *
   * @param redis the client (single node or cluster); the queue never closes it
   * @return the builder
   */
  public static Builder builder(UnifiedJedis redis) {
    return new Builder(redis);
  }

  /**
   * The key prefix's hash tag, e.g. {@code {beckon-deliveries}}: every key of the queue starts with
   * it.
   *
   * @return the tag
   */
  public String hashTag() {
    return tag;
  }

  /**
   * The consumer group the workers of this queue read as.
   *
   * @return the group's name
   */
  public String group() {
    return group;
  }

  /**
   * The dead-letter stream's key: an entry per delivery settled {@code DEAD}.
   *
   * @return the key
   */
  public String deadLetterKey() {
    return tag + ":dead";
  }

  /**
   * The stream's key.
   *
   * @return the key
   */
  public String streamKey() {
    return tag + ":stream";
  }

  /**
   * The key of one delivery's hash.
   *
   * @param keyHash the delivery's key hash
   * @return the key
   */
  String deliveryKey(String keyHash) {
    return hashPrefix() + keyHash;
  }

  String dueKey() {
    return tag + ":due";
  }

  String leasesKey() {
    return tag + ":leases";
  }

  String allKey() {
    return tag + ":all";
  }

  String pendingKey() {
    return tag + ":pending";
  }

  String deadKeysKey() {
    return tag + ":deadkeys";
  }

  private String doneKey() {
    return tag + ":done";
  }

  private String hashPrefix() {
    return tag + ":d:";
  }

  @Override
  protected String location() {
    return "keys " + tag + ":*";
  }

  @Override
  protected boolean insert(QueueRow row) {
    List<String> args = new ArrayList<>(32);
    args.add(row.keyHash());
    args.add(Long.toString(row.notBefore()));
    fields(row)
        .forEach(
            (k, v) -> {
              args.add(k);
              args.add(v);
            });
    Object r =
        run(
            insertScript,
            List.of(deliveryKey(row.keyHash()), dueKey(), allKey(), pendingKey()),
            args,
            "schedule");
    return r instanceof Number n && n.longValue() == 1;
  }

  @Override
  protected Optional<QueueRow> read(String keyHash) {
    Map<String, String> f;
    try {
      f = redis.hgetAll(deliveryKey(keyHash));
    } catch (JedisException e) {
      throw StoreErrors.failure(this, "status", e);
    }
    return f == null || f.isEmpty() ? Optional.empty() : Optional.of(parseRow(keyHash, f));
  }

  @Override
  protected List<ClaimedRow> claimRows(Claim claim) {
    List<String> args =
        List.of(
            hashPrefix(),
            Long.toString(claim.nowMillis()),
            Integer.toString(claim.limit()),
            Long.toString(claim.leaseUntilMillis()),
            claim.token(),
            group,
            CONSUMER,
            Integer.toString(Math.max(MOVE_BATCH, claim.limit())));
    Object r =
        run(claimScript, List.of(dueKey(), streamKey(), leasesKey(), pendingKey()), args, "claim");
    List<ClaimedRow> out = new ArrayList<>();
    if (!(r instanceof List<?> rows)) {
      return out;
    }
    for (Object o : rows) {
      if (o instanceof List<?> one && one.size() == 4 && one.get(0) instanceof String h) {
        boolean interrupted = one.get(1) instanceof Number n && n.longValue() == 1;
        long deliveries = one.get(2) instanceof Number n ? n.longValue() : 1;
        QueueRow row = parseRow(h, pairs(one.get(3)));
        out.add(new ClaimedRow(withUnsettled(row, deliveries), claim.token(), interrupted));
      }
    }
    return out;
  }

  @Override
  protected boolean update(RowUpdate change) {
    List<String> args = new ArrayList<>(16);
    args.add(change.keyHash());
    args.add(change.expectedToken() == null ? "" : change.expectedToken());
    args.add(Long.toString(change.nowMillis()));
    args.add(change.state());
    args.add(Integer.toString(change.attempts()));
    args.add(Long.toString(change.notBefore()));
    args.add(change.lastOutcome() == null ? "0" : "1");
    args.add(change.lastOutcome() == null ? "" : change.lastOutcome());
    args.add(change.activityId() == null ? "0" : "1");
    args.add(change.activityId() == null ? "" : change.activityId());
    args.add(group);
    args.add(Integer.toString(deadLetterLength));
    args.addAll(change.expectedStates());
    List<String> keys =
        List.of(
            deliveryKey(change.keyHash()),
            dueKey(),
            streamKey(),
            leasesKey(),
            doneKey(),
            deadLetterKey(),
            pendingKey(),
            deadKeysKey());
    Object r = run(updateScript, keys, args, "update");
    return r instanceof Number n && n.longValue() == 1;
  }

  @Override
  protected int purgeRows(long beforeMillis, int limit) {
    Object r =
        run(
            purgeScript,
            List.of(doneKey(), allKey(), pendingKey(), deadKeysKey()),
            List.of(hashPrefix(), Long.toString(beforeMillis), Integer.toString(limit)),
            "purge");
    return r instanceof Number n ? (int) Math.min(Integer.MAX_VALUE, n.longValue()) : 0;
  }

  /**
   * {@inheritDoc} Here: one script, of bounded cost. The counts are the sizes of two sorted sets
   * the scripts keep with the states (every {@code PENDING} and every {@code DEAD} delivery); the
   * wait is found by reading the due members oldest first, skipping those held by a live lease, at
   * most 1,000 of them (past that many held deliveries it reads as none waiting).
   */
  @Override
  protected Optional<RowCounts> countRows(long nowMillis) {
    Object r =
        run(
            countScript,
            List.of(pendingKey(), deadKeysKey()),
            List.of(hashPrefix(), Long.toString(nowMillis), Integer.toString(COUNT_BUDGET)),
            "counts");
    if (!(r instanceof List<?> c) || c.size() != 3) {
      throw StoreErrors.failure(this, "counts", "the count script answered " + r, null);
    }
    long oldest = c.get(2) instanceof Number n ? n.longValue() : -1;
    return Optional.of(
        new RowCounts(
            c.get(0) instanceof Number n ? n.longValue() : 0,
            c.get(1) instanceof Number n ? n.longValue() : 0,
            oldest < 0 ? Long.MAX_VALUE : oldest));
  }

  @Override
  protected RowPage listRows(@Nullable String state, @Nullable String afterKeyHash, int limit) {
    Object r =
        run(
            listScript,
            List.of(allKey()),
            List.of(
                hashPrefix(),
                afterKeyHash == null ? "" : afterKeyHash,
                Integer.toString(limit),
                state == null ? "" : state,
                Integer.toString(Math.max(LIST_BUDGET, limit))),
            "list");
    List<QueueRow> rows = new ArrayList<>();
    if (!(r instanceof List<?> reply) || reply.size() < 3) {
      return new RowPage(rows, null);
    }
    boolean more = reply.get(1) instanceof Number n && n.longValue() == 1;
    String last = reply.get(0) instanceof String s ? s : null;
    if (reply.get(2) instanceof List<?> found) {
      for (Object o : found) {
        if (o instanceof List<?> one && one.size() == 2 && one.get(0) instanceof String h) {
          rows.add(parseRow(h, pairs(one.get(1))));
        }
      }
    }
    return new RowPage(rows, more ? last : null);
  }

  // ------------------------------------------------------------------ stored hashes

  /** The hash fields of a row (null fields are left out). */
  static Map<String, String> fields(QueueRow r) {
    Map<String, String> f = new HashMap<>();
    f.put("k", r.deliveryKey());
    f.put("ch", r.channelId());
    f.put("cv", r.conversationId());
    f.put("p", r.payload());
    f.put("s", r.state());
    f.put("a", Integer.toString(r.attempts()));
    f.put("nb", Long.toString(r.notBefore()));
    f.put("fd", Long.toString(r.firstDue()));
    f.put("ca", Long.toString(r.createdAt()));
    f.put("ua", Long.toString(r.updatedAt()));
    if (r.leaseToken() != null) {
      f.put("t", r.leaseToken());
      f.put("lu", Long.toString(r.leaseUntil()));
    }
    if (r.lastOutcome() != null) {
      f.put("o", r.lastOutcome());
    }
    if (r.activityId() != null) {
      f.put("ai", r.activityId());
    }
    return f;
  }

  /**
   * Reads a stored hash as a row; never raises: a missing text reads as empty (the base class then
   * fails the row as unreadable), a missing or unparsable number as 0.
   *
   * @param keyHash the key hash the hash was found under
   * @param f its fields, as stored (hostile)
   * @return the row
   */
  static QueueRow parseRow(String keyHash, Map<String, String> f) {
    long attempts = number(f.get("a"));
    return new QueueRow(
        keyHash,
        text(f.get("k")),
        text(f.get("ch")),
        text(f.get("cv")),
        text(f.get("p")),
        text(f.get("s")),
        (int) Math.max(0, Math.min(Integer.MAX_VALUE, attempts)),
        number(f.get("nb")),
        number(f.get("fd")),
        number(f.get("ca")),
        number(f.get("ua")),
        f.get("t"),
        number(f.get("lu")),
        f.get("o"),
        f.get("ai"));
  }

  /** A row handed out {@code deliveries} times since its last settle reports the extra ones. */
  private static QueueRow withUnsettled(QueueRow r, long deliveries) {
    if (deliveries <= 2) {
      return r;
    }
    long attempts = Math.min(Integer.MAX_VALUE, r.attempts() + (deliveries - 2));
    return new QueueRow(
        r.keyHash(),
        r.deliveryKey(),
        r.channelId(),
        r.conversationId(),
        r.payload(),
        r.state(),
        (int) attempts,
        r.notBefore(),
        r.firstDue(),
        r.createdAt(),
        r.updatedAt(),
        r.leaseToken(),
        r.leaseUntil(),
        r.lastOutcome(),
        r.activityId());
  }

  private static Map<String, String> pairs(@Nullable Object flat) {
    Map<String, String> m = new HashMap<>();
    if (flat instanceof List<?> l) {
      for (int i = 0; i + 1 < l.size(); i += 2) {
        if (l.get(i) instanceof String k && l.get(i + 1) instanceof String v) {
          m.put(k, v);
        }
      }
    }
    return m;
  }

  private static String text(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static long number(@Nullable String s) {
    if (s == null || s.isEmpty() || s.length() > 20) {
      return 0;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Object run(LuaScript s, List<String> keys, List<String> args, String op) {
    try {
      return s.run(redis, keys, args);
    } catch (JedisException e) {
      throw StoreErrors.failure(this, op, e);
    }
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final UnifiedJedis redis;
    private String keyPrefix = DEFAULT_PREFIX;
    private String group = "beckon";
    private int deadLetterLength = 10_000;
    private Clock clock = Clock.systemUTC();

    private Builder(UnifiedJedis redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * Sets the key prefix (also the cluster hash tag). A reference store may share it: their keys
     * do not overlap.
     *
     * @param value 1-64 characters of {@code [A-Za-z0-9_.:-]}; default {@value #DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder keyPrefix(String value) {
      this.keyPrefix = name("keyPrefix", value);
      return this;
    }

    /**
     * Sets the consumer group: one per worker pool of this queue.
     *
     * @param value 1-64 characters of {@code [A-Za-z0-9_.:-]}; default {@code beckon}
     * @return this builder
     */
    public Builder group(String value) {
      this.group = name("group", value);
      return this;
    }

    /**
     * Sets about how many entries the dead-letter stream keeps ({@code XADD MAXLEN ~}).
     *
     * @param value 1 to 10,000,000; default 10,000
     * @return this builder
     */
    public Builder deadLetterLength(int value) {
      if (value < 1 || value > 10_000_000) {
        throw new IllegalArgumentException(
            "deadLetterLength must be 1 to 10000000 but was " + value);
      }
      this.deadLetterLength = value;
      return this;
    }

    /**
     * Sets the queue's clock (due times and leases); default the system clock.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the queue; makes no call to Redis (the stream and its group are created by the first
     * claim).
     *
     * @return the queue
     */
    public RedisDeliveryQueue build() {
      return new RedisDeliveryQueue(this);
    }

    /** Checks a name as {@link #keyPrefix} and {@link #group} do. */
    static void check(String what, @Nullable String value) {
      name(what, value);
    }

    private static String name(String what, @Nullable String value) {
      if (value == null || !NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            what + " must be 1-64 characters of [A-Za-z0-9_.:-] but was '" + value + "'");
      }
      return value;
    }
  }
}
