package dev.beckon.storage.redis;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.AbstractReferenceRepository;
import dev.beckon.store.spi.Precondition;
import dev.beckon.store.spi.RowWrite;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.store.spi.StoreBuilder;
import dev.beckon.store.spi.StoreKeys;
import dev.beckon.store.spi.StoredRow;
import dev.beckon.store.spi.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link dev.beckon.store.ReferenceRepository} over Redis, through a Jedis 8 {@link UnifiedJedis}
 * that you create and close ({@code RedisClient}, or a cluster client).
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("127.0.0.1", 6379);
 * RedisReferenceRepository repository = RedisReferenceRepository.builder(redis)
 *     .keyPrefix("mybot")                                              // default "beckon"
 *     .options(StoreOptions.defaults().withTtl(Duration.ofDays(90)))   // optional
 *     .build();
 * }</pre>
 *
 * <p><b>Layout.</b> With prefix {@code P}, every key carries the hash tag {@code {P}} so that every
 * script touches a single cluster slot:
 *
 * <ul>
 *   <li>{@code {P}:r:<keyHash>} — a hash per reference: {@code j} canonical JSON, {@code v}
 *       version, {@code x} expiry (epoch ms, 0 = never), {@code c} channel, {@code t} tenant,
 *       {@code b} segment bucket, {@code k} conversation id (so that a row whose JSON cannot be
 *       read still names its key; rows written before it existed recover it from the JSON when they
 *       can). With a TTL the key also expires natively ({@code PEXPIREAT}).
 *   <li>{@code {P}:idx} — a sorted set of every key hash (score 0, lexicographic order): the
 *       listing index and cursor order.
 *   <li>{@code {P}:ch:<sha1(channel)>} — the same per channel; {@code {P}:chs} — the set of channel
 *       indexes.
 * </ul>
 *
 * Writes are single Lua scripts (atomic, one round trip); {@code find} is one {@code HMGET}.
 * Listing walks an index with {@code ZRANGEBYLEX} from the last key hash returned, so every
 * reference that exists for the whole listing is returned exactly once while others write ({@code
 * SCAN} cannot promise that). Index entries whose reference expired natively are removed as
 * listings pass them and by {@link #purgeExpired()}.
 *
 * <p><b>Cluster.</b> One hash tag puts a repository in one slot: it is cluster-safe, and one shard
 * holds it (about 1 KB per reference: a million references is about 1 GB). Use several prefixes to
 * spread several bots. The store never sends admin commands ({@code CONFIG}, {@code KEYS}, {@code
 * FLUSH*}), so managed Redis services accept it.
 *
 * <p>Thread-safe. Never closes the client. Every Jedis failure becomes a {@link StoreException}
 * (the Jedis exception is the cause, {@link AbstractReferenceRepository}); timeouts are the
 * client's.
 */
public final class RedisReferenceRepository extends AbstractReferenceRepository {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final UnifiedJedis redis;
  private final String tag;
  private final String all;
  private final String channels;
  private final LuaScript write = LuaScript.load("write.lua");
  private final LuaScript delete = LuaScript.load("delete.lua");
  private final LuaScript list = LuaScript.load("list.lua");
  private final LuaScript purge = LuaScript.load("purge.lua");

  private RedisReferenceRepository(Builder b) {
    super(b.storeOptions());
    this.redis = b.redis;
    this.tag = "{" + b.keyPrefix + "}";
    this.all = tag + ":idx";
    this.channels = tag + ":chs";
  }

  /**
   * {@return a builder}
   *
   * @param redis the client; the repository never closes it
   */
  public static Builder builder(UnifiedJedis redis) {
    return new Builder(redis);
  }

  /** {@return the key prefix's hash tag, e.g. {@code {beckon}}} */
  public String hashTag() {
    return tag;
  }

  @Override
  protected String location() {
    return "keys " + tag + ":*";
  }

  private String valueKey(String keyHash) {
    return tag + ":r:" + keyHash;
  }

  private String channelIndex(String channelId) {
    return tag + ":ch:" + StoreKeys.hex("SHA-1", channelId);
  }

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    List<String> f = redis.hmget(valueKey(key.hash()), "j", "v", "x");
    if (f == null || (f.get(0) == null && f.get(1) == null)) {
      return Optional.empty();
    }
    return Optional.of(new StoredRow(key.hash(), null, null, f.get(0), f.get(1), expiry(f.get(2))));
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    ReferenceDocument doc = row.document();
    List<String> keys =
        List.of(valueKey(doc.keyHash()), all, channelIndex(doc.key().channelId()), channels);
    List<String> args =
        List.of(
            precondition.kind().name(),
            precondition.version() == null ? "" : precondition.version(),
            Long.toString(row.nowMillis()),
            doc.json(),
            row.version(),
            Long.toString(row.expiresAtMillis()),
            doc.key().channelId(),
            doc.tenantId() == null ? "" : doc.tenantId(),
            Integer.toString(doc.bucket()),
            doc.keyHash(),
            doc.key().conversationId());
    List<?> r = (List<?>) write.run(redis, keys, args);
    if (((Number) r.get(0)).longValue() == 1) {
      return WriteResult.ok();
    }
    return WriteResult.refused(r.size() > 1 && r.get(1) instanceof String s ? s : null);
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    String h = key.hash();
    String expected = precondition.version() == null ? "" : precondition.version();
    List<String> keys = List.of(valueKey(h), all, channelIndex(key.channelId()));
    List<?> r = (List<?>) delete.run(redis, keys, List.of(expected, Long.toString(nowMillis), h));
    long code = ((Number) r.get(0)).longValue();
    if (code == 1) {
      return WriteResult.ok();
    }
    return WriteResult.refused(code == -1 && r.get(1) instanceof String s ? s : null);
  }

  @Override
  protected ScanResult scan(Scan scan) {
    String start = Objects.requireNonNullElse(scan.afterKeyHash(), "");
    String index = scan.channelId() == null ? all : channelIndex(scan.channelId());
    int segCount = scan.segment() == null ? 0 : scan.segment().count();
    int segIndex = scan.segment() == null ? 0 : scan.segment().index();
    List<?> r =
        (List<?>)
            list.run(
                redis,
                List.of(index),
                List.of(
                    start,
                    Integer.toString(scan.limit()),
                    Long.toString(scan.nowMillis()),
                    scan.tenantId() == null ? "" : scan.tenantId(),
                    Integer.toString(segCount),
                    Integer.toString(segIndex),
                    tag + ":r:",
                    Integer.toString(Math.max(1000, scan.limit() * 10))));
    List<StoredRow> rows = new ArrayList<>((r.size() - 2) / 5);
    for (int i = 2; i + 4 < r.size(); i += 5) {
      // expiry was checked by the script, with the same clock
      rows.add(
          new StoredRow(
              (String) r.get(i),
              text(r.get(i + 3)),
              text(r.get(i + 4)),
              text(r.get(i + 1)),
              text(r.get(i + 2)),
              0));
    }
    boolean more = ((Number) r.get(1)).longValue() == 1;
    return new ScanResult(rows, more && r.get(0) instanceof String last ? last : null);
  }

  private static @Nullable String text(@Nullable Object field) {
    return field instanceof String s ? s : null;
  }

  /** The stored expiry field: epoch ms, 0 (or missing or not a number) for never. */
  private static long expiry(@Nullable String x) {
    return x == null || !x.matches("[0-9]{1,18}") ? 0 : Long.parseLong(x);
  }

  // ZRANGEBYLEX is deprecated in Jedis for ZRANGE ... BYLEX, which needs Redis 6.2: kept for older
  // servers
  @SuppressWarnings("deprecation")
  @Override
  protected long purge(long nowMillis) {
    long removed = 0;
    String start = "-";
    while (true) {
      // the next 500 members of the all-references index, in lexical order
      List<String> members = redis.zrangeByLex(all, start, "+", 0, 500);
      if (members.isEmpty()) {
        return removed;
      }
      List<String> args = new ArrayList<>(members.size() + 2);
      args.add(Long.toString(nowMillis));
      args.add(tag + ":r:");
      args.addAll(members);
      removed += ((Number) purge.run(redis, List.of(all, channels), args)).longValue();
      start = "(" + members.get(members.size() - 1);
    }
  }

  /** Builder; not thread-safe. */
  public static final class Builder extends StoreBuilder<Builder> {
    private final UnifiedJedis redis;
    private String keyPrefix = "beckon";

    private Builder(UnifiedJedis redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * Sets the key prefix (also the cluster hash tag).
     *
     * @param value 1-64 characters of {@code [A-Za-z0-9_.:-]}; default {@code beckon}
     * @return this builder
     */
    public Builder keyPrefix(String value) {
      this.keyPrefix =
          requireMatch(value, PREFIX, "keyPrefix", "1-64 characters of [A-Za-z0-9_.:-]");
      return this;
    }

    /** {@return the repository} Makes no call to Redis. */
    public RedisReferenceRepository build() {
      return new RedisReferenceRepository(this);
    }
  }
}
