package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.testkit.MutableClock;
import dev.beckon.testkit.SampleReferences;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** What is particular to Redis: layout, round trips, cleanup, a restart, heavy concurrency. */
class RedisSpecificTest {

  static final RedisClient CLIENT = RedisServer.client();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  private static String prefix() {
    return "beckon-test-" + UUID.randomUUID().toString().substring(0, 12);
  }

  private static Set<String> keys(RedisClient redis, String tag) {
    Set<String> out = new TreeSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams params =
        new ScanParams().match(tag.replace("{", "\\{").replace("}", "\\}") + "*").count(1000);
    do {
      ScanResult<String> r = redis.scan(cursor, params);
      out.addAll(r.getResult());
      cursor = r.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return out;
  }

  @Test
  void layoutIsAsDocumentedAndDeleteLeavesNothingDangling() {
    String p = prefix();
    RedisReferenceRepository repo = RedisReferenceRepository.builder(CLIENT).keyPrefix(p).build();
    ConversationReference ref = SampleReferences.reference("msteams", "19:abc@thread.tacv2", "t1");
    repo.save(ref);
    String h = ref.key().hash();
    assertThat(keys(CLIENT, "{" + p + "}"))
        .hasSize(4)
        .contains("{" + p + "}:r:" + h, "{" + p + "}:idx", "{" + p + "}:chs")
        .anyMatch(k -> k.startsWith("{" + p + "}:ch:"));
    Map<String, String> value = CLIENT.hgetAll("{" + p + "}:r:" + h);
    assertThat(value).containsOnlyKeys("j", "v", "x", "c", "t", "b", "k");
    assertThat(value.get("j")).startsWith("{\"user\"").contains("\"channelId\":\"msteams\"");
    assertThat(value.get("x")).isEqualTo("0");
    assertThat(CLIENT.ttl("{" + p + "}:r:" + h)).isEqualTo(-1);
    assertThat(repo.delete(ref.key())).isTrue();
    assertThat(keys(CLIENT, "{" + p + "}")).containsExactly("{" + p + "}:chs");
    RedisServer.deletePrefix(CLIENT, "{" + p + "}");
  }

  @Test
  void anUnreadableRowWrittenBeforeTheConversationIdFieldNamesItsKeyWhenItsJsonAllowsIt() {
    String p = prefix();
    RedisReferenceRepository repo = RedisReferenceRepository.builder(CLIENT).keyPrefix(p).build();
    ConversationReference refused = SampleReferences.reference("msteams", "refused", null);
    ConversationReference garbage = SampleReferences.reference("msteams", "garbage", null);
    repo.save(refused);
    repo.save(garbage);
    String h1 = "{" + p + "}:r:" + refused.key().hash();
    String h2 = "{" + p + "}:r:" + garbage.key().hash();
    assertThat(CLIENT.hget(h1, "k")).isEqualTo("refused");
    // rows as an earlier build wrote them: no "k"
    CLIENT.hdel(h1, "k");
    CLIENT.hdel(h2, "k");
    CLIENT.hset(
        h1,
        "j",
        dev.beckon.codec.ReferenceJson.write(refused)
            .replaceFirst("\"serviceUrl\":\"[^\"]*\"", "\"serviceUrl\":42"));
    CLIENT.hset(h2, "j", "{{{");
    dev.beckon.store.Page page = repo.list(ListQuery.all());
    assertThat(page.items()).isEmpty();
    Map<String, dev.beckon.store.UnreadableReference> byHash = new HashMap<>();
    page.unreadable().forEach(u -> byHash.put(u.keyHash(), u));
    assertThat(byHash).containsOnlyKeys(refused.key().hash(), garbage.key().hash());
    assertThat(byHash.get(refused.key().hash()).key())
        .as("recovered from the JSON")
        .isEqualTo(refused.key());
    assertThat(byHash.get(garbage.key().hash()).key()).as("nothing to recover it from").isNull();
    assertThat(byHash.get(garbage.key().hash()).describe()).contains(garbage.key().hash());
    assertThatThrownBy(() -> repo.find(garbage.key()))
        .isInstanceOf(dev.beckon.store.UnreadableReferenceException.class);
    RedisServer.deletePrefix(CLIENT, "{" + p + "}");
  }

  @Test
  void withTtlTheKeyExpiresNativelyAndPurgeCleansIndexes() {
    String p = prefix();
    MutableClock clock = MutableClock.now();
    RedisReferenceRepository repo =
        RedisReferenceRepository.builder(CLIENT)
            .keyPrefix(p)
            .options(StoreOptions.defaults().withTtl(Duration.ofHours(1)).withClock(clock))
            .build();
    ConversationReference a = SampleReferences.reference("msteams", "a", null);
    ConversationReference b = SampleReferences.reference("msteams", "b", null);
    repo.save(a);
    repo.save(b);
    long ttl = CLIENT.pttl("{" + p + "}:r:" + a.key().hash());
    assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    // b vanishes natively (as Redis would at its expiry): the listing skips and unindexes it
    CLIENT.del("{" + p + "}:r:" + b.key().hash());
    assertThat(repo.list(ListQuery.channel("msteams")).items())
        .extracting(StoredReference::key)
        .containsExactly(a.key());
    assertThat(CLIENT.zcard("{" + p + "}:idx"))
        .as("all-index still has b until a purge")
        .isEqualTo(2);
    clock.advance(Duration.ofHours(2));
    assertThat(repo.purgeExpired()).isEqualTo(2);
    assertThat(keys(CLIENT, "{" + p + "}")).containsExactly("{" + p + "}:chs");
    RedisServer.deletePrefix(CLIENT, "{" + p + "}");
  }

  @Test
  void badPrefixIsRefused() {
    assertThatThrownBy(() -> RedisReferenceRepository.builder(CLIENT).keyPrefix("a b{c}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix");
  }

  @Test
  @Timeout(600)
  void eightThreadsTimesAThousandWritersLoseNoAcknowledgedWrite() throws Exception {
    String p = prefix();
    RedisReferenceRepository repo = RedisReferenceRepository.builder(CLIENT).keyPrefix(p).build();
    Map<String, Set<String>> acked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      fs.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  String id = "k" + (i % 100);
                  StoredReference s =
                      repo.save(SampleReferences.reference("msteams", id, "t" + thread));
                  acked.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(s.version());
                  repo.save(SampleReferences.reference("msteams", "own-" + thread + "-" + i, null));
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    for (int i = 0; i < 100; i++) {
      String id = "k" + i;
      assertThat(acked.get(id))
          .contains(repo.find(ReferenceKey.of("msteams", id)).orElseThrow().version());
    }
    long listed = repo.stream(ListQuery.channel("msteams").withPageSize(1000)).count();
    assertThat(listed).isEqualTo(8 * 1000 + 100);
    RedisServer.deletePrefix(CLIENT, "{" + p + "}");
  }

  @Test
  void saveAndFindAreOneCommandEach(@TempDir Path dir) throws Exception {
    try (PrivateRedis server = PrivateRedis.start(dir);
        RedisClient client = RedisClient.create("127.0.0.1", server.port)) {
      RedisReferenceRepository repo = RedisReferenceRepository.builder(client).build();
      ConversationReference ref = SampleReferences.reference("msteams", "rt", null);
      repo.save(ref); // loads the script (NOSCRIPT, then EVAL)
      Map<String, Long> before = commandCalls(client);
      repo.save(ref);
      repo.find(ref.key());
      Map<String, Long> after = commandCalls(client);
      Map<String, Long> delta = new HashMap<>();
      after.forEach(
          (k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0 && !k.equals("info")) {
              delta.put(k, d);
            }
          });
      // commandstats also counts what the script runs inside Redis; the client sent two commands
      assertThat(delta).containsEntry("evalsha", 1L).containsEntry("hmget", 1L);
      assertThat(delta.keySet())
          .isSubsetOf("evalsha", "hmget", "hset", "zadd", "sadd", "pexpireat", "persist");
    }
  }

  @Test
  @Timeout(120)
  void aRestartGivesClearErrorsThenRecovers(@TempDir Path dir) throws Exception {
    PrivateRedis server = PrivateRedis.start(dir);
    try (RedisClient client = RedisClient.builder().hostAndPort("127.0.0.1", server.port).build()) {
      RedisReferenceRepository repo = RedisReferenceRepository.builder(client).build();
      ConversationReference ref = SampleReferences.reference("msteams", "restart", null);
      repo.save(ref);
      server.close();
      assertThatThrownBy(() -> repo.save(ref))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("RedisReferenceRepository[keys {beckon}:*] save failed")
          .hasMessageContaining("{beckon}");
      assertThatThrownBy(() -> repo.find(ref.key()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("RedisReferenceRepository[keys {beckon}:*] find failed");
      server = PrivateRedis.start(dir, server.port);
      // the new server has no data and no scripts: EVALSHA gets NOSCRIPT, EVAL reloads it
      StoredReference back = null;
      for (int i = 0; i < 50 && back == null; i++) {
        try {
          back = repo.save(ref);
        } catch (StoreException e) {
          Thread.sleep(100); // the pool may hand out a connection to the old server once
        }
      }
      assertThat(back).isNotNull();
      assertThat(repo.find(ref.key())).contains(back);
    } finally {
      server.close();
    }
  }

  private static Map<String, Long> commandCalls(RedisClient client) {
    Map<String, Long> out = new HashMap<>();
    for (String line : client.info("commandstats").split("\r?\n", -1)) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        String calls =
            line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
        out.put(name, Long.parseLong(calls));
      }
    }
    return out;
  }

  /** A redis-server of the test's own, on a free port, so restarting it disturbs nobody. */
  static final class PrivateRedis implements AutoCloseable {
    final int port;
    private final Process process;

    private PrivateRedis(int port, Process process) {
      this.port = port;
      this.process = process;
    }

    static PrivateRedis start(Path dir) throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      return start(dir, port);
    }

    static PrivateRedis start(Path dir, int port) throws Exception {
      String binary =
          Files.isExecutable(Path.of("/usr/bin/redis-server"))
              ? "/usr/bin/redis-server"
              : "redis-server";
      File log = dir.resolve("redis-" + port + ".log").toFile();
      Process p =
          new ProcessBuilder(
                  binary,
                  "--bind",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(log)
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        try {
          new Socket(InetAddress.getLoopbackAddress(), port).close();
          return new PrivateRedis(port, p);
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      p.destroyForcibly();
      throw new AssertionError(
          "private redis-server did not start on port "
              + port
              + ": "
              + Files.readString(log.toPath()));
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
