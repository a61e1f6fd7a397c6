package dev.beckon.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.delivery.DeliveryPage;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
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
 * XDEL} per entry). Each at 1, 2 and 4 workers (threads of this process, 16 sends in flight each).
 *
 * <p>An instrument, not a single shot: a JIT-quiet warm-up, then {@link InterleavedRounds}. A pass
 * of a subject runs its workers for a fixed slice (0.3 s quick, 1 s full) on a queue that holds
 * more due deliveries than they can take in it; each round interleaves passes of Beckon and raw
 * (order rotating) until each was measured for 0.6 s (quick, 5 rounds: 3 s per subject and worker
 * count) or 2 s (full, 10 rounds). The headline per worker count is the median of the per-round
 * ratios, with their spread. The queues are topped up between rounds, untimed, through the fastest
 * path each API has (the outbox {@code schedule(Connection, …)} in one transaction per 1000 on
 * PostgreSQL, 4 threads on Redis; one multi-row {@code INSERT} / a pipeline of {@code XADD}s raw).
 *
 * <p>Then memory: the worker's extra heap while it sends a fixed batch of due deliveries with 5k
 * and 50k (quick) or 10k, 100k and 1M deliveries pending behind them on PostgreSQL (it should not
 * grow with the queue), and the batch's rate at each size. The pending rows are copies of one row
 * scheduled through the API, made by the server ({@code INSERT … SELECT … generate_series}, the
 * primary key rewritten), then {@code ANALYZE}.
 *
 * <p>Arguments: {@code --quick}; {@code --only postgresql|redis}. Servers: PostgreSQL and Redis on
 * 127.0.0.1 ({@code -Dbeckon.postgres.url/.user/.password}, {@code -Dbeckon.redis.host/port}).
 */
public final class DeliveryBenchmark {

  static final int PER_WORKER = 16;
  static final int[] WORKERS = {1, 2, 4};
  static final int REFERENCES = 1000;
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BECKON = "Beckon DeliveryWorker";
  static final String RAW = "raw claim/ack loop";

  private DeliveryBenchmark() {}

  /** A raw queue of one engine: fill it, claim, ack. */
  interface Raw extends AutoCloseable {
    /** Appends one message per key, in one round trip or pipeline (untimed). */
    void fill(List<ReferenceKey> to) throws Exception;

    /** One worker's claim: up to {@code max}, returns the claimed (id, conversation). */
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

    /** Schedules one delivery per key, due now, keys {@code prefix + i} (untimed). */
    void schedule(DeliveryQueue q, List<ReferenceKey> to, Activity a, String prefix)
        throws Exception;

    /** A fresh raw queue. */
    Raw raw() throws Exception;

    @Override
    void close() throws SQLException;
  }

  /** One worker's step: claims, sends, settles; returns how many it claimed. */
  @FunctionalInterface
  interface Step {
    int run() throws Exception;
  }

  /** Where the suite's wall time went (seconds), for the notes. */
  static final class Phases {
    double warm;
    double seed;
    double measure;
    double memory;
    double memorySeed;
  }

  /**
   * One subject on one engine: a queue kept fuller than its workers can empty in a round, and the
   * workers' steps.
   */
  abstract static class Side {
    final List<ReferenceKey> keys;
    final ExecutorService pool;
    final Phases phases;
    long seeded;
    long claimed;
    double best = 100; // deliveries/s: the fastest seen, to size the top-ups
    boolean dry;
    int batches;

    Side(List<ReferenceKey> keys, ExecutorService pool, Phases phases) {
      this.keys = keys;
      this.pool = pool;
      this.phases = phases;
    }

    abstract void add(List<ReferenceKey> to) throws Exception;

    abstract Step step(int worker);

    /** Tops the queue up to hold what {@code workers} can take in {@code seconds}, twice over. */
    void topUp(int workers, double seconds) throws Exception {
      long need = (long) (best * seconds * 2.5) + 4L * PER_WORKER * workers + 200;
      long pending = seeded - claimed;
      if (pending >= need) {
        return;
      }
      long t0 = System.nanoTime();
      List<ReferenceKey> to = new ArrayList<>();
      for (long i = pending; i < need; i++) {
        to.add(keys.get((int) ((seeded + to.size()) % keys.size())));
      }
      add(to);
      seeded += to.size();
      phases.seed += (System.nanoTime() - t0) / 1e9;
    }

    /** Runs {@code workers} workers for the slice; returns what they claimed. */
    long pass(int workers, long sliceNanos) throws Exception {
      long deadline = System.nanoTime() + sliceNanos;
      List<Future<Long>> fs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        Step s = step(i);
        fs.add(
            pool.submit(
                () -> {
                  long n = 0;
                  while (System.nanoTime() < deadline) {
                    int got = s.run();
                    if (got == 0) {
                      dry = true;
                      break;
                    }
                    n += got;
                  }
                  return n;
                }));
      }
      long total = 0;
      for (Future<Long> f : fs) {
        total += f.get();
      }
      claimed += total;
      return total;
    }
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
    long slice = report.quick() ? 300_000_000L : 1_000_000_000L;
    long perRound = 2 * slice;
    Phases phases = new Phases();
    int maxWorkers = WORKERS[WORKERS.length - 1];
    try (LoopbackConnector server = LoopbackConnector.start();
        BotConnectorSender sender = BenchSenders.withoutRetries(PER_WORKER * maxWorkers)) {
      InMemoryReferenceRepository refs = new InMemoryReferenceRepository();
      List<ReferenceKey> keys = new ArrayList<>();
      for (int i = 0; i < REFERENCES; i++) {
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
      double warmed = 0;
      for (Engine e : engines) {
        try (e) {
          warmed += throughput(report, e, refs, sender, keys, hello, slice, perRound, phases);
        }
      }
      if (only == null || only.equals("postgresql")) {
        long t0 = System.nanoTime();
        memory(report, refs, sender, keys, hello, phases);
        phases.memory = (System.nanoTime() - t0) / 1e9 - phases.memorySeed;
      }
      report.note(
          String.format(
              Locale.ROOT,
              "workers are threads of this process, %d sends in flight each (DeliveryWorker.runOnce"
                  + " in a loop; the raw loop claims %d, sends them at once, acks each); both look"
                  + " the reference up in the same in-memory store (%d references) and send with the"
                  + " same BotConnectorSender (no retries) to the loopback FakeConnector in its own"
                  + " process; a pass = the workers running for %.1f s on a queue fuller than they"
                  + " can empty; %d rounds per worker count, each interleaving passes of Beckon and"
                  + " raw (order rotating) until each was measured for %.1f s; deliveries/s ="
                  + " claimed / time in that subject's passes; ratio per round = Beckon / raw;"
                  + " headline = median over rounds",
              PER_WORKER,
              PER_WORKER,
              REFERENCES,
              slice / 1e9,
              report.rounds(),
              perRound / 1e9));
      report.note(
          "client CPU µs/delivery = CPU time of this JVM (every thread but the JIT compiler's:"
              + " workers, HTTP client, GC) during a subject's passes / deliveries claimed; the"
              + " servers' CPU is not in it; steadier than deliveries/s on a loaded machine");
      report.note(
          "scaling_4_vs_1_workers = median deliveries/s at 4 workers / median at 1 (Beckon;"
              + " raw_scaling the same for the raw loop); on a 2-core machine the workers share"
              + " the cores with the server and the connector");
      String memoryTime =
          phases.memory == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  ", memory runs %.1f s (+ %.1f s filling their queues)",
                  phases.memory,
                  phases.memorySeed);
      report.note(
          String.format(
              Locale.ROOT,
              "wall time: warm-up %.1f s (until the JIT compiler was quiet for 1 s), measuring %.1f"
                  + " s, topping the queues up %.1f s (untimed)%s",
              warmed,
              phases.measure,
              phases.seed,
              memoryTime));
      report.print();
    }
  }

  // ------------------------------------------------------------------ the two subjects

  private static double throughput(
      BenchReport report,
      Engine e,
      InMemoryReferenceRepository refs,
      BotConnectorSender sender,
      List<ReferenceKey> keys,
      Activity a,
      long slice,
      long perRound,
      Phases phases)
      throws Exception {
    int maxWorkers = WORKERS[WORKERS.length - 1];
    ExecutorService pool = Executors.newFixedThreadPool(maxWorkers);
    DeliveryQueue q = e.queue();
    List<DeliveryWorker> ws = new ArrayList<>();
    try (Raw raw = e.raw()) {
      for (int i = 0; i < maxWorkers; i++) {
        ws.add(
            DeliveryWorker.builder(q, refs, sender)
                .name("bench-" + i)
                .concurrency(PER_WORKER)
                .lease(Duration.ofMinutes(5))
                .build());
      }
      Side beckon =
          new Side(keys, pool, phases) {
            @Override
            void add(List<ReferenceKey> to) throws Exception {
              e.schedule(q, to, a, "b" + batches++ + "-");
            }

            @Override
            Step step(int worker) {
              return ws.get(worker)::runOnce;
            }
          };
      AtomicLong rawDelivered = new AtomicLong();
      Side rawSide =
          new Side(keys, pool, phases) {
            @Override
            void add(List<ReferenceKey> to) throws Exception {
              raw.fill(to);
            }

            @Override
            Step step(int worker) {
              return () -> {
                List<String[]> got = raw.claim(PER_WORKER);
                List<CompletableFuture<SendOutcome>> sends = new ArrayList<>();
                for (String[] g : got) {
                  ConversationReference ref =
                      refs.find(ReferenceKey.of("msteams", g[1])).orElseThrow().reference();
                  sends.add(sender.sendAsync(ref, a));
                }
                for (int k = 0; k < got.size(); k++) {
                  if (sends.get(k).join().delivered()) {
                    rawDelivered.incrementAndGet();
                  }
                  raw.ack(got.get(k)[0]);
                }
                return got.size();
              };
            }
          };
      Side[] sides = {beckon, rawSide};
      double warm =
          JitQuiet.warm(
              i -> {
                for (Side s : sides) {
                  s.topUp(2, slice / 1e9);
                  s.dry = false;
                  long t0 = System.nanoTime();
                  long n = s.pass(2, slice);
                  s.best = Math.max(s.best, n / ((System.nanoTime() - t0) / 1e9));
                }
              },
              report.quick() ? 5 : 30);
      InterleavedRounds rounds = new InterleavedRounds();
      for (int w : WORKERS) {
        String metric = e.name() + " deliveries/s, " + w + " worker" + (w == 1 ? "" : "s");
        String cpuMetric =
            e.name() + " client CPU µs/delivery, " + w + " worker" + (w == 1 ? "" : "s");
        List<Double> perRoundRatio = new ArrayList<>();
        List<Double> cpuRatio = new ArrayList<>();
        InterleavedRounds.Pass[] passes = {
          () -> beckon.pass(w, slice), () -> rawSide.pass(w, slice)
        };
        for (int round = 0; round < report.rounds(); round++) {
          InterleavedRounds.Rates rate = null;
          for (int attempt = 0; rate == null; attempt++) {
            for (Side s : sides) {
              s.topUp(w, perRound / 1e9 * (attempt + 1.5));
              s.dry = false;
            }
            long t0 = System.nanoTime();
            InterleavedRounds.Rates r = rounds.round(passes, perRound, ProcessCpu::nanosWithoutJit);
            phases.measure += (System.nanoTime() - t0) / 1e9;
            beckon.best = Math.max(beckon.best, r.perSecond().get(0));
            rawSide.best = Math.max(rawSide.best, r.perSecond().get(1));
            if (!beckon.dry && !rawSide.dry) {
              rate = r;
            } else if (attempt == 3) {
              throw new IllegalStateException(
                  e.name() + ": a queue ran dry in a pass 4 times at " + w + " workers");
            }
          }
          double[] perSecond = rate.perSecond().stream().mapToDouble(d -> d).toArray();
          double[] cpu = rate.meterPerUnit().stream().mapToDouble(d -> d).toArray();
          report.add(metric, BECKON, perSecond[0]);
          report.add(metric, RAW, perSecond[1]);
          report.add(cpuMetric, BECKON, cpu[0] / 1000);
          report.add(cpuMetric, RAW, cpu[1] / 1000);
          perRoundRatio.add(perSecond[0] / perSecond[1]);
          cpuRatio.add(cpu[0] / cpu[1]);
        }
        report.pairedRatio(e.name() + ".w" + w + ".throughput_vs_raw", perRoundRatio);
        report.pairedRatio(e.name() + ".w" + w + ".cpu_per_delivery_vs_raw", cpuRatio);
      }
      report.ratioValue(
          e.name() + ".scaling_4_vs_1_workers",
          report.median(e.name() + " deliveries/s, 4 workers", BECKON)
              / report.median(e.name() + " deliveries/s, 1 worker", BECKON));
      report.ratioValue(
          e.name() + ".raw_scaling_4_vs_1_workers",
          report.median(e.name() + " deliveries/s, 4 workers", RAW)
              / report.median(e.name() + " deliveries/s, 1 worker", RAW));
      // every claimed delivery was sent and settled DELIVERED
      long delivered = count(q, DeliveryState.DELIVERED);
      if (delivered != beckon.claimed) {
        throw new IllegalStateException(
            e.name() + ": " + delivered + " DELIVERED of " + beckon.claimed + " claimed");
      }
      if (rawDelivered.get() != rawSide.claimed) {
        throw new IllegalStateException(
            e.name() + " raw delivered " + rawDelivered + " of " + rawSide.claimed);
      }
      return warm;
    } finally {
      for (DeliveryWorker w : ws) {
        w.stop(Duration.ofSeconds(5));
      }
      pool.shutdownNow();
    }
  }

  /** The deliveries in a state, by listing them (untimed). */
  private static long count(DeliveryQueue q, DeliveryState state) {
    long n = 0;
    String cursor = null;
    do {
      DeliveryPage page = q.list(state, cursor, 500);
      n += page.items().size();
      cursor = page.next();
    } while (cursor != null);
    return n;
  }

  /** Runs steps until one claims nothing; returns the total claimed. */
  private static long drain(Step step) throws Exception {
    long total = 0;
    while (true) {
      int got = step.run();
      if (got == 0) {
        return total;
      }
      total += got;
    }
  }

  // ------------------------------------------------------------------ memory in the queue length

  private static void memory(
      BenchReport report,
      InMemoryReferenceRepository refs,
      BotConnectorSender sender,
      List<ReferenceKey> keys,
      Activity a,
      Phases phases)
      throws Exception {
    int[] sizes =
        report.quick() ? new int[] {5_000, 50_000} : new int[] {10_000, 100_000, 1_000_000};
    int batch = report.size(200, 2000);
    double first = Double.NaN;
    double last = 0;
    try (Postgres pg = new Postgres()) {
      for (int size : sizes) {
        long t0 = System.nanoTime();
        JdbcDeliveryQueue q = (JdbcDeliveryQueue) pg.queue();
        pg.fillLater(q, keys.get(0), a, size - batch);
        List<ReferenceKey> to = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          to.add(keys.get(i % keys.size()));
        }
        pg.schedule(q, to, a, "now-");
        phases.memorySeed += (System.nanoTime() - t0) / 1e9;
        DeliveryWorker w =
            DeliveryWorker.builder(q, refs, sender).name("mem").concurrency(PER_WORKER).build();
        long[] claimed = new long[1];
        long t1 = System.nanoTime();
        long extra = ExtraHeap.peak(() -> claimed[0] = drain(w::runOnce));
        double rate = claimed[0] / ((System.nanoTime() - t1) / 1e9);
        w.stop(Duration.ofSeconds(5));
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
        String.format(
            Locale.ROOT,
            "memory: a batch of %d due deliveries sent by one worker with the rest of the queue"
                + " pending (due in 1 h) on PostgreSQL, queue lengths %s%s; the pending rows are"
                + " server-made copies of one row scheduled through the API (primary key"
                + " rewritten), then ANALYZE; extra heap = live heap after GC (sampled every 250"
                + " ms) during the batch minus before; heap_growth = KiB per 1000 pending between"
                + " the smallest and the largest queue (flat ~ 0)",
            batch,
            Arrays.toString(sizes),
            report.quick()
                ? " (quick: smaller queues; the full run measures 10k, 100k and 1M)"
                : ""));
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

    @Override
    public void schedule(DeliveryQueue q, List<ReferenceKey> to, Activity a, String prefix)
        throws SQLException {
      scheduleAt((JdbcDeliveryQueue) q, to, a, prefix, Instant.now().minusSeconds(1));
    }

    /** The outbox path: the store's own insert, 1000 to a transaction. */
    private void scheduleAt(
        JdbcDeliveryQueue q, List<ReferenceKey> to, Activity a, String prefix, Instant due)
        throws SQLException {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        for (int i = 0; i < to.size(); i++) {
          q.schedule(c, to.get(i), a, due, prefix + i);
          if (i % 1000 == 999) {
            c.commit();
          }
        }
        c.commit();
        c.setAutoCommit(true);
      }
    }

    /**
     * Adds {@code count} deliveries due in an hour: one scheduled through the API, the rest copies
     * of its row made by the server, each with a primary key of its own, then ANALYZE (as
     * autovacuum would after such a load).
     */
    void fillLater(JdbcDeliveryQueue q, ReferenceKey to, Activity a, int count)
        throws SQLException {
      String table = q.tableName();
      scheduleAt(q, List.of(to), a, "later-", Instant.now().plus(Duration.ofHours(1)));
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        String pk;
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, null, table)) {
          if (!rs.next()) {
            throw new IllegalStateException("no primary key found on " + table);
          }
          pk = rs.getString("COLUMN_NAME");
        }
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            columns.add(rs.getMetaData().getColumnName(i));
          }
        }
        List<String> values = new ArrayList<>();
        for (String col : columns) {
          values.add(
              col.equals(pk)
                  ? "left(md5("
                      + pk
                      + " || '-' || g) || md5(g || '-' || "
                      + pk
                      + "), length("
                      + pk
                      + "))"
                  : col);
        }
        String template;
        try (ResultSet rs = s.executeQuery("SELECT " + pk + " FROM " + table)) {
          rs.next();
          template = rs.getString(1); // the only row so far
        }
        // copies of the template row only (never of the copies): chunks of 200,000
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + table
                    + " ("
                    + String.join(", ", columns)
                    + ") SELECT "
                    + String.join(", ", values)
                    + " FROM "
                    + table
                    + ", generate_series(?, ?) AS g WHERE "
                    + pk
                    + " = ?")) {
          for (int from = 1; from < count; from += 200_000) {
            ps.setInt(1, from);
            ps.setInt(2, Math.min(count - 1, from + 199_999));
            ps.setString(3, template);
            ps.executeUpdate();
          }
        }
        s.execute("ANALYZE " + table);
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          if (rs.getLong(1) != count) {
            throw new IllegalStateException(table + " holds " + rs.getLong(1) + ", not " + count);
          }
        }
      }
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
                  c.prepareStatement(
                      "INSERT INTO "
                          + table
                          + " (conv, payload) SELECT conv, ? FROM unnest(?::text[]) WITH ORDINALITY AS u(conv, ord)"
                          + " ORDER BY ord")) {
            ps.setString(1, payload);
            ps.setArray(
                2,
                c.createArrayOf("text", to.stream().map(ReferenceKey::conversationId).toArray()));
            ps.executeUpdate();
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
    public void schedule(DeliveryQueue q, List<ReferenceKey> to, Activity a, String prefix)
        throws Exception {
      // one EVALSHA per delivery (the API has no batch): 4 threads at once
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> fs = new ArrayList<>();
        Instant due = Instant.now().minusSeconds(1);
        for (int t = 0; t < 4; t++) {
          int first = t;
          fs.add(
              pool.submit(
                  () -> {
                    for (int i = first; i < to.size(); i += 4) {
                      q.schedule(to.get(i), a, due, prefix + i);
                    }
                  }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Override
    public Raw raw() {
      String stream = "bench-raw-" + RUN + "-" + next++;
      String payload = ActivityJson.write(Activity.message("Your report is ready"));
      redis.xgroupCreate(stream, "g", new StreamEntryID(), true);
      return new Raw() {
        @Override
        public void fill(List<ReferenceKey> to) {
          try (AbstractPipeline p = redis.pipelined()) {
            for (ReferenceKey k : to) {
              p.xadd(
                  stream, XAddParams.xAddParams(), Map.of("c", k.conversationId(), "p", payload));
            }
            p.sync();
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
