package dev.beckon.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.storage.redis.RedisDeliveryQueue;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Delivery: end-to-end deliveries per second through {@link DeliveryWorker}s on a durable queue
 * (claim, reference lookup, send to the loopback connector, settle) against the engine's own raw
 * claim/ack loop on the same server, doing the same lookup and the same send with the same sender:
 * PostgreSQL ({@code UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}, then a
 * {@code DELETE} per message) and Redis Streams ({@code XREADGROUP}, then {@code XACK} + {@code
 * XDEL} per entry). Each at 1, 2 and 4 workers (threads of this process, 16 sends in flight each),
 * in interleaved rounds (Beckon and raw back to back, order alternating): the headline per worker
 * count is the median of the per-round ratios. Then memory: the worker's extra heap while it sends
 * a fixed batch of due deliveries with 5k and 20k (quick) or 10k, 100k and 1M deliveries pending
 * behind them on PostgreSQL (it should not grow with the queue), and the batch's rate at each size.
 *
 * <p>Arguments: {@code --quick}; {@code --only postgresql|redis}. Servers: PostgreSQL and Redis on
 * 127.0.0.1 ({@code -Dbeckon.postgres.url/.user/.password}, {@code -Dbeckon.redis.host/port}).
 */
public final class DeliveryBenchmark {

  static final int PER_WORKER = 16;
  static final int[] WORKERS = {1, 2, 4};
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private DeliveryBenchmark() {}

  /** A raw queue of one engine: fill it, then claim/send/ack until it is empty. */
  interface Raw extends AutoCloseable {
    void fill(List<ReferenceKey> to) throws Exception;

    /** One worker's round: claims up to {@code max}, returns the claimed (id, conversation). */
    List<String[]> claim(int max) throws Exception;

    void ack(String id) throws Exception;

    @Override
    void close() throws SQLException;
  }

  /** One engine under test. */
  interface Engine extends AutoCloseable {
    String name();

    /** A fresh Beckon queue (its rows removed on close). */
    DeliveryQueue queue() throws Exception;

    /** A fresh raw queue. */
    Raw raw() throws Exception;

    @Override
    void close() throws SQLException;
  }

  /**
   * Runs the suite.
   *
   * @param args {@code --quick}, {@code --only <engine>}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("delivery", args);
    String only = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--only")) {
        only = args[i + 1];
      }
    }
    int n = report.size(600, 5000);
    int rounds = report.quick() ? 2 : 5;
    int maxWorkers = WORKERS[WORKERS.length - 1];
    try (LoopbackConnector server = LoopbackConnector.start();
        BotConnectorSender sender = BenchSenders.withoutRetries(PER_WORKER * maxWorkers)) {
      InMemoryReferenceRepository refs = new InMemoryReferenceRepository();
      List<ReferenceKey> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ConversationReference r =
            SampleReferences.reference("msteams", "a:delivery-" + i, "tenant-" + (i % 5))
                .withServiceUrl(server.serviceUrl());
        keys.add(refs.save(r).key());
      }
      Activity hello = Activity.message("Your report is ready");
      List<Engine> engines = new ArrayList<>();
      if (only == null || only.equals("postgresql")) {
        engines.add(new Postgres());
      }
      if (only == null || only.equals("redis")) {
        engines.add(new Redis());
      }
      for (Engine e : engines) {
        try (e) {
          // warm-up: one untimed run of each
          beckon(e, refs, sender, keys, hello, 1);
          raw(e, refs, sender, keys, hello, 1);
          for (int w : WORKERS) {
            String metric = e.name() + " deliveries/s, " + w + " worker" + (w == 1 ? "" : "s");
            List<Double> perRound = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
              double b;
              double r;
              if (round % 2 == 0) {
                b = beckon(e, refs, sender, keys, hello, w);
                r = raw(e, refs, sender, keys, hello, w);
              } else {
                r = raw(e, refs, sender, keys, hello, w);
                b = beckon(e, refs, sender, keys, hello, w);
              }
              report.add(metric, "Beckon DeliveryWorker", b);
              report.add(metric, "raw claim/ack loop", r);
              perRound.add(b / r);
            }
            report.pairedRatio(e.name() + ".w" + w + ".throughput_vs_raw", perRound);
          }
          report.ratioValue(
              e.name() + ".scaling_4_vs_1_workers",
              report.median(e.name() + " deliveries/s, 4 workers", "Beckon DeliveryWorker")
                  / report.median(e.name() + " deliveries/s, 1 worker", "Beckon DeliveryWorker"));
          report.ratioValue(
              e.name() + ".raw_scaling_4_vs_1_workers",
              report.median(e.name() + " deliveries/s, 4 workers", "raw claim/ack loop")
                  / report.median(e.name() + " deliveries/s, 1 worker", "raw claim/ack loop"));
        }
      }
      if (only == null || only.equals("postgresql")) {
        memory(report, refs, sender, keys, hello);
      }
      report.note(
          String.format(
              Locale.ROOT,
              "%d deliveries per run, all due; workers are threads of this process, %d sends in"
                  + " flight each (DeliveryWorker.runOnce in a loop, and the raw loop claims %d,"
                  + " sends them at once, acks each); both look the reference up in the same"
                  + " in-memory store and send with the same BotConnectorSender (no retries) to"
                  + " the loopback FakeConnector in its own process; %d rounds, Beckon and raw back"
                  + " to back, order alternating; ratio = Beckon / raw per round, median",
              n,
              PER_WORKER,
              PER_WORKER,
              rounds));
      report.note(
          "scaling_4_vs_1_workers = median deliveries/s at 4 workers / median at 1 (Beckon); on a"
              + " 2-core machine the workers share the cores with the server and the connector");
      report.print();
    }
  }

  // ------------------------------------------------------------------ the two subjects

  private static double beckon(
      Engine e,
      InMemoryReferenceRepository refs,
      BotConnectorSender sender,
      List<ReferenceKey> keys,
      Activity a,
      int workers)
      throws Exception {
    DeliveryQueue q = e.queue();
    String prefix = "b" + UUID.randomUUID().toString().substring(0, 6) + "-";
    Instant now = Instant.now().minusSeconds(1);
    for (int i = 0; i < keys.size(); i++) {
      q.schedule(keys.get(i), a, now, prefix + i);
    }
    List<DeliveryWorker> ws = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      ws.add(
          DeliveryWorker.builder(q, refs, sender)
              .name("bench-" + i)
              .concurrency(PER_WORKER)
              .lease(Duration.ofMinutes(5))
              .build());
    }
    long t0 = System.nanoTime();
    long claimed = inThreads(ws.size(), i -> drain(ws.get(i)::runOnce));
    double rate = claimed / ((System.nanoTime() - t0) / 1e9);
    if (claimed != keys.size()) {
      throw new IllegalStateException("claimed " + claimed + " of " + keys.size());
    }
    if (q.status(prefix + (keys.size() - 1)).orElseThrow().state() != DeliveryState.DELIVERED) {
      throw new IllegalStateException("not delivered: " + q.status(prefix + (keys.size() - 1)));
    }
    return rate;
  }

  private static double raw(
      Engine e,
      InMemoryReferenceRepository refs,
      BotConnectorSender sender,
      List<ReferenceKey> keys,
      Activity a,
      int workers)
      throws Exception {
    try (Raw raw = e.raw()) {
      raw.fill(keys);
      AtomicLong delivered = new AtomicLong();
      long t0 = System.nanoTime();
      long claimed =
          inThreads(
              workers,
              i ->
                  drain(
                      () -> {
                        List<String[]> got = raw.claim(PER_WORKER);
                        List<CompletableFuture<SendOutcome>> sends = new ArrayList<>();
                        for (String[] g : got) {
                          ConversationReference ref =
                              refs.find(ReferenceKey.of("msteams", g[1])).orElseThrow().reference();
                          sends.add(sender.sendAsync(ref, a));
                        }
                        for (int k = 0; k < got.size(); k++) {
                          if (sends.get(k).join().delivered()) {
                            delivered.incrementAndGet();
                          }
                          raw.ack(got.get(k)[0]);
                        }
                        return got.size();
                      }));
      double rate = claimed / ((System.nanoTime() - t0) / 1e9);
      if (delivered.get() != keys.size()) {
        throw new IllegalStateException("raw delivered " + delivered + " of " + keys.size());
      }
      return rate;
    }
  }

  @FunctionalInterface
  interface Round {
    int run() throws Exception;
  }

  @FunctionalInterface
  interface PerThread {
    long run(int index) throws Exception;
  }

  /** Runs rounds until one claims nothing; returns the total claimed. */
  private static long drain(Round round) throws Exception {
    long total = 0;
    while (true) {
      int got = round.run();
      if (got == 0) {
        return total;
      }
      total += got;
    }
  }

  private static long inThreads(int n, PerThread work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Long>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        fs.add(pool.submit(() -> work.run(index)));
      }
      long total = 0;
      for (Future<Long> f : fs) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ memory in the queue length

  private static void memory(
      BenchReport report,
      InMemoryReferenceRepository refs,
      BotConnectorSender sender,
      List<ReferenceKey> keys,
      Activity a)
      throws Exception {
    int[] sizes =
        report.quick() ? new int[] {5_000, 20_000} : new int[] {10_000, 100_000, 1_000_000};
    int batch = keys.size();
    double first = Double.NaN;
    double last = 0;
    try (Postgres pg = new Postgres()) {
      for (int size : sizes) {
        JdbcDeliveryQueue q = (JdbcDeliveryQueue) pg.queue();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        try (Connection c = pg.pool.getConnection()) {
          c.setAutoCommit(false);
          for (int i = 0; i < size - batch; i++) {
            q.schedule(c, keys.get(i % keys.size()), a, later, "later-" + i);
            if (i % 1000 == 999) {
              c.commit();
            }
          }
          c.commit();
        }
        Instant now = Instant.now().minusSeconds(1);
        for (int i = 0; i < batch; i++) {
          q.schedule(keys.get(i), a, now, "now-" + i);
        }
        DeliveryWorker w =
            DeliveryWorker.builder(q, refs, sender).name("mem").concurrency(PER_WORKER).build();
        long[] claimed = new long[1];
        long t0 = System.nanoTime();
        long extra = peakExtraHeap(() -> claimed[0] = drain(w::runOnce));
        double rate = claimed[0] / ((System.nanoTime() - t0) / 1e9);
        if (claimed[0] != batch) {
          throw new IllegalStateException("memory run claimed " + claimed[0] + " of " + batch);
        }
        double mb = extra / 1048576.0;
        report.add("worker extra heap MB", "pending=" + size, mb);
        report.add("postgresql deliveries/s, 1 worker, by queue length", "pending=" + size, rate);
        if (Double.isNaN(first)) {
          first = mb;
        }
        last = mb;
        pg.dropQueues();
      }
    }
    report.ratioValue(
        "heap_growth_kib_per_1k_pending",
        (last - first) * 1024 / ((sizes[sizes.length - 1] - sizes[0]) / 1000.0));
    report.note(
        "memory: a batch of "
            + batch
            + " due deliveries sent by one worker with the rest of the queue pending (due in 1 h)"
            + " on PostgreSQL; extra heap = live heap after GC (sampled every 250 ms) during the"
            + " batch minus before; heap_growth = KiB per 1000 pending between the smallest and"
            + " the largest queue (flat ~ 0)");
  }

  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  private static long peakExtraHeap(Work work) throws Exception {
    System.gc();
    System.gc();
    long base = used();
    AtomicLong peak = new AtomicLong(base);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                peak.accumulateAndGet(used(), Math::max);
                try {
                  Thread.sleep(250);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    try {
      work.run();
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    return Math.max(0, peak.get() - base);
  }

  private static long used() {
    long u = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        u += p.getUsage().getUsed();
      }
    }
    return u;
  }

  // ------------------------------------------------------------------ engines

  static final class Postgres implements Engine {
    final HikariDataSource pool;
    private final List<String> tables = new ArrayList<>();
    private int next;

    Postgres() {
      HikariConfig config = new HikariConfig();
      config.setPoolName("bench-delivery-pg");
      config.setMaximumPoolSize(8);
      config.setJdbcUrl(
          System.getProperty("beckon.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"));
      config.setUsername(System.getProperty("beckon.postgres.user", "postgres"));
      config.setPassword(System.getProperty("beckon.postgres.password", ""));
      pool = new HikariDataSource(config);
    }

    @Override
    public String name() {
      return "postgresql";
    }

    @Override
    public DeliveryQueue queue() {
      String table = "bench_dq_" + RUN.replace("-", "") + "_" + next++;
      tables.add(table);
      JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(pool).tableName(table).build();
      q.createSchema();
      return q;
    }

    void dropQueues() throws SQLException {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        for (String t : tables) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
      }
      tables.clear();
    }

    @Override
    public Raw raw() throws SQLException {
      String table = "bench_raw_" + RUN.replace("-", "") + "_" + next++;
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE "
                + table
                + " (id BIGSERIAL PRIMARY KEY, conv TEXT NOT NULL, payload TEXT NOT NULL,"
                + " state INT NOT NULL DEFAULT 0)");
      }
      String claim =
          "UPDATE "
              + table
              + " SET state = 1 WHERE id IN (SELECT id FROM "
              + table
              + " WHERE state = 0 ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
              + " RETURNING id, conv";
      String ack = "DELETE FROM " + table + " WHERE id = ?";
      String payload = ActivityJson.write(Activity.message("Your report is ready"));
      return new Raw() {
        @Override
        public void fill(List<ReferenceKey> to) throws SQLException {
          try (Connection c = pool.getConnection();
              PreparedStatement ps =
                  c.prepareStatement("INSERT INTO " + table + " (conv, payload) VALUES (?, ?)")) {
            for (ReferenceKey k : to) {
              ps.setString(1, k.conversationId());
              ps.setString(2, payload);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }

        @Override
        public List<String[]> claim(int max) throws SQLException {
          List<String[]> out = new ArrayList<>();
          try (Connection c = pool.getConnection();
              PreparedStatement ps = c.prepareStatement(claim)) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new String[] {Long.toString(rs.getLong(1)), rs.getString(2)});
              }
            }
          }
          return out;
        }

        @Override
        public void ack(String id) throws SQLException {
          try (Connection c = pool.getConnection();
              PreparedStatement ps = c.prepareStatement(ack)) {
            ps.setLong(1, Long.parseLong(id));
            ps.executeUpdate();
          }
        }

        @Override
        public void close() throws SQLException {
          try (Connection c = pool.getConnection();
              Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
          }
        }
      };
    }

    @Override
    public void close() throws SQLException {
      dropQueues();
      pool.close();
    }
  }

  static final class Redis implements Engine {
    final RedisClient redis;
    private final List<String> prefixes = new ArrayList<>();
    private int next;

    Redis() {
      redis =
          RedisClient.create(
              System.getProperty("beckon.redis.host", "127.0.0.1"),
              Integer.getInteger("beckon.redis.port", 6379));
    }

    @Override
    public String name() {
      return "redis";
    }

    @Override
    public DeliveryQueue queue() {
      String prefix = "bench-dq-" + RUN + "-" + next++;
      prefixes.add(prefix);
      return RedisDeliveryQueue.builder(redis).keyPrefix(prefix).build();
    }

    @Override
    public Raw raw() {
      String stream = "bench-raw-" + RUN + "-" + next++;
      String payload = ActivityJson.write(Activity.message("Your report is ready"));
      redis.xgroupCreate(stream, "g", new StreamEntryID(), true);
      return new Raw() {
        @Override
        public void fill(List<ReferenceKey> to) {
          for (ReferenceKey k : to) {
            redis.xadd(
                stream, XAddParams.xAddParams(), Map.of("c", k.conversationId(), "p", payload));
          }
        }

        @Override
        public List<String[]> claim(int max) {
          List<Map.Entry<String, List<StreamEntry>>> got =
              redis.xreadGroup(
                  "g",
                  "c-" + Thread.currentThread().getName(),
                  XReadGroupParams.xReadGroupParams().count(max),
                  Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
          List<String[]> out = new ArrayList<>();
          if (got != null) {
            for (Map.Entry<String, List<StreamEntry>> e : got) {
              for (StreamEntry s : e.getValue()) {
                out.add(new String[] {s.getID().toString(), s.getFields().get("c")});
              }
            }
          }
          return out;
        }

        @Override
        public void ack(String id) {
          StreamEntryID e = new StreamEntryID(id);
          redis.xack(stream, "g", e);
          redis.xdel(stream, e);
        }

        @Override
        public void close() {
          redis.del(stream);
        }
      };
    }

    @Override
    public void close() {
      for (String p : prefixes) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          ScanResult<String> r =
              redis.scan(cursor, new ScanParams().match("{" + p + "}*").count(1000));
          if (!r.getResult().isEmpty()) {
            redis.del(r.getResult().toArray(String[]::new));
          }
          cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      }
      redis.close();
    }
  }
}
