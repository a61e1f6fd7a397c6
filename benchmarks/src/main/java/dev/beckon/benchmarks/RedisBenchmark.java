package dev.beckon.benchmarks;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.redis.RedisReferenceRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.testkit.SampleReferences;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis store ({@code 127.0.0.1:6379}, or {@code -Dbeckon.redis.host/port}) on JMH: {@code
 * RedisReferenceRepository.save}/{@code find} vs raw Jedis doing the same round trip on the same
 * {@code RedisClient}: {@code EVALSHA} of the store's own {@code write.lua} with the same keys and
 * arguments (pre-built: no JSON encoding, no hashing, a counter for the version), and {@code HMGET}
 * of the same three fields. Raw writes under a prefix of its own, laid out like the store's.
 */
public final class RedisBenchmark {

  private static final int KEYS = 1000;
  private static final AtomicLong VERSION = new AtomicLong();

  private RedisBenchmark() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("redis", args);
    String host = System.getProperty("beckon.redis.host", "127.0.0.1");
    int port = Integer.getInteger("beckon.redis.port", 6379);
    String prefix = "beckon-bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (RedisClient redis = RedisClient.create(host, port)) {
      Fixture fx = fixture(redis, prefix);
      for (int threads : report.quick() ? new int[] {1} : new int[] {1, 8}) {
        new PairedJmh.Trial(report)
            .threads(threads)
            .pair(
                "t" + threads + ".save_vs_raw_evalsha",
                "save ops/s t" + threads,
                i -> fx.repo().save(fx.refs().get(i % KEYS)),
                "raw jedis EVALSHA",
                i -> rawSave(fx, i % KEYS))
            .pair(
                "t" + threads + ".find_vs_raw_hmget",
                "find ops/s t" + threads,
                i -> fx.repo().find(fx.keys().get(i % KEYS)).orElseThrow(),
                "raw jedis HMGET",
                i -> rawFind(fx, i % KEYS))
            .run();
      }
      report.note(
          "save = one EVALSHA of the store's write.lua (value hash + 2 index entries, atomic) for both; "
              + "find = one HMGET of the same 3 fields for both; same RedisClient; raw arguments pre-built "
              + "(Beckon's calls include canonical JSON write/parse, key hashing, SHA-1 of the channel, a "
              + "SecureRandom version and the argument lists)");
      report.print();
      cleanup(redis, "{" + prefix + "}");
      cleanup(redis, "{" + prefix + "-raw}");
    }
  }

  /** The shared client and data. */
  record Fixture(
      RedisClient redis,
      RedisReferenceRepository repo,
      List<ConversationReference> refs,
      List<ReferenceKey> keys,
      List<List<String>> rawKeys,
      List<List<String>> rawArgs,
      List<String> rawValueKeys,
      String writeSha) {}

  private static Object rawSave(Fixture fx, int i) {
    List<String> args = new ArrayList<>(fx.rawArgs().get(i));
    args.set(2, Long.toString(System.currentTimeMillis()));
    args.set(4, Long.toHexString(VERSION.incrementAndGet()));
    return fx.redis().evalsha(fx.writeSha(), fx.rawKeys().get(i), args);
  }

  private static Object rawFind(Fixture fx, int i) {
    List<String> f = fx.redis().hmget(fx.rawValueKeys().get(i), "j", "v", "x");
    if (f.get(0) == null) {
      throw new IllegalStateException("missing");
    }
    return f;
  }

  private static Fixture fixture(RedisClient redis, String prefix) throws Exception {
    RedisReferenceRepository repo =
        RedisReferenceRepository.builder(redis).keyPrefix(prefix).build();
    String rawTag = "{" + prefix + "-raw}";
    List<ConversationReference> refs = new ArrayList<>();
    List<ReferenceKey> keys = new ArrayList<>();
    List<List<String>> rawKeys = new ArrayList<>();
    List<List<String>> rawArgs = new ArrayList<>();
    List<String> rawValueKeys = new ArrayList<>();
    String script = script();
    String sha = redis.scriptLoad(script);
    for (int i = 0; i < KEYS; i++) {
      ConversationReference r =
          SampleReferences.reference("msteams", "19:bench-" + i + "@thread.tacv2", "tenant-1");
      refs.add(r);
      keys.add(r.key());
      ReferenceDocument d = ReferenceDocument.of(r);
      String valueKey = rawTag + ":r:" + d.keyHash();
      rawValueKeys.add(valueKey);
      rawKeys.add(
          List.of(
              valueKey,
              rawTag + ":idx",
              rawTag + ":ch:" + sha1Hex(d.key().channelId()),
              rawTag + ":chs"));
      rawArgs.add(
          List.of(
              "save",
              "",
              "0",
              d.json(),
              "0",
              "0",
              d.key().channelId(),
              d.tenantId() == null ? "" : d.tenantId(),
              Integer.toString(d.bucket()),
              d.keyHash(),
              d.key().conversationId()));
      repo.save(r);
    }
    Fixture f = new Fixture(redis, repo, refs, keys, rawKeys, rawArgs, rawValueKeys, sha);
    for (int i = 0; i < KEYS; i++) {
      rawSave(f, i);
    }
    return f;
  }

  /** The store's own write script, read from its module's resources. */
  private static String script() {
    try (InputStream in =
        RedisReferenceRepository.class.getResourceAsStream("/dev/beckon/storage/redis/write.lua")) {
      if (in == null) {
        throw new IllegalStateException("write.lua not found next to RedisReferenceRepository");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1Hex(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-1")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static void cleanup(RedisClient redis, String tag) {
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams params =
        new ScanParams().match(tag.replace("{", "\\{").replace("}", "\\}") + "*").count(1000);
    do {
      ScanResult<String> r = redis.scan(cursor, params);
      if (!r.getResult().isEmpty()) {
        redis.del(r.getResult().toArray(new String[0]));
      }
      cursor = r.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }
}
