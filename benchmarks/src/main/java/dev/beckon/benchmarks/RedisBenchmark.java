package dev.beckon.benchmarks;

import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.redis.RedisReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis store ({@code 127.0.0.1:6379}, or {@code -Dbeckon.redis.host/port}): {@code
 * RedisReferenceRepository.save}/{@code find} vs raw Jedis {@code SET}/{@code GET} of the same JSON
 * bytes, same {@code RedisClient}, alternating within each round, 1 and 8 threads.
 */
public final class RedisBenchmark {

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
      RedisReferenceRepository repo =
          RedisReferenceRepository.builder(redis).keyPrefix(prefix).build();
      int keys = 1000;
      List<ConversationReference> refs = new ArrayList<>();
      List<String> json = new ArrayList<>();
      List<ReferenceKey> refKeys = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        ConversationReference r =
            SampleReferences.reference("msteams", "19:bench-" + i + "@thread.tacv2", "tenant-1");
        refs.add(r);
        json.add(ReferenceJson.write(r));
        refKeys.add(r.key());
      }
      String rawPrefix = "{" + prefix + "}:raw:";
      int ops = report.size(4000, 20000);
      for (int threads : new int[] {1, 8}) {
        IntConsumer beckonSave = i -> repo.save(refs.get(i % keys));
        IntConsumer rawSave =
            i -> redis.set(rawPrefix + refKeys.get(i % keys).hash(), json.get(i % keys));
        IntConsumer beckonFind = i -> repo.find(refKeys.get(i % keys));
        IntConsumer rawFind = i -> redis.get(rawPrefix + refKeys.get(i % keys).hash());
        run(beckonSave, ops / 4, threads);
        run(rawSave, ops / 4, threads);
        for (int round = 0; round < report.rounds(); round++) {
          report.add("save ops/s t" + threads, "beckon", run(beckonSave, ops, threads));
          report.add("save ops/s t" + threads, "raw jedis SET", run(rawSave, ops, threads));
          report.add("find ops/s t" + threads, "beckon", run(beckonFind, ops, threads));
          report.add("find ops/s t" + threads, "raw jedis GET", run(rawFind, ops, threads));
        }
        report.ratio(
            "t" + threads + ".save_vs_raw_jedis",
            "save ops/s t" + threads,
            "beckon",
            "raw jedis SET");
        report.ratio(
            "t" + threads + ".find_vs_raw_jedis",
            "find ops/s t" + threads,
            "beckon",
            "raw jedis GET");
      }
      report.note(
          "save = one EVALSHA (value hash + 2 index entries, atomic); find = one HMGET; raw = SET/GET of the same JSON");
      report.print();
      cleanup(redis, "{" + prefix + "}");
    }
  }

  private static double run(IntConsumer op, int n, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = offset; i < n; i += threads) {
                    op.accept(i);
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      return n / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
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
