package dev.beckon.benchmarks;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Broadcast: throughput to the loopback connector vs the single-send path (the same sender, the
 * same references, the same concurrency, a plain loop), unpaced and through the per-tenant pacer
 * with the Teams profile's shape at rates that never bind (its bookkeeping, not its waits); and the
 * broadcast's extra heap at 10k and 25k (quick) or 10k, 100k and 1M references in the in-memory
 * store (it should not grow with N).
 *
 * <p>An instrument, not a single shot: a JIT-quiet warm-up, then interleaved rounds. In each round
 * the three subjects run short passes in turn (order rotating every cycle) until each has been
 * measured for at least 1.2 s (3 s full), so all three see the same load at every moment; each
 * round gives one ratio per pair and the headline is their median with its spread. Quick: 5 rounds
 * (6 s per subject), full: 10 rounds (30 s per subject). References are spread over 5 tenants.
 */
public final class BroadcastBenchmark {

  static final int TENANTS = 5;

  private BroadcastBenchmark() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("broadcast", args);
    int concurrency = 64;
    try (LoopbackConnector server = LoopbackConnector.start();
        BotConnectorSender sender = BenchSenders.withoutRetries(concurrency)) {
      Activity hello = Activity.message("Maintenance tonight");
      int n = 2000; // one pass: ~0.2-1 s, so a round interleaves several passes of each subject
      InMemoryReferenceRepository repo = fill(n, server.serviceUrl());
      RateProfile unpaced = RateProfile.unpaced(concurrency);
      RateProfile paced =
          RateProfile.teams()
              .withPerTenant(RateLimit.of(1_000_000, Duration.ofSeconds(1)))
              .withMaxConcurrency(concurrency);
      String metric = "sends/s c" + concurrency;
      String[] names = {"broadcast (unpaced)", "broadcast (per-tenant pacer)", "single-send loop"};
      InterleavedRounds.Pass[] subjects = {
        () -> broadcast(repo, sender, hello, unpaced).delivered(),
        () -> broadcast(repo, sender, hello, paced).delivered(),
        () -> singleSends(repo, sender, hello, concurrency)
      };
      double warm =
          JitQuiet.warm(
              i -> {
                for (InterleavedRounds.Pass p : subjects) {
                  p.run();
                }
              },
              report.quick() ? 10 : 60);
      long perRound = report.quick() ? 1_200_000_000L : 3_000_000_000L;
      List<Double> unpacedRatio = new ArrayList<>();
      List<Double> pacedRatio = new ArrayList<>();
      InterleavedRounds rounds = new InterleavedRounds();
      for (int round = 0; round < report.rounds(); round++) {
        double[] rate = rounds.round(subjects, perRound);
        for (int s = 0; s < subjects.length; s++) {
          report.add(metric, names[s], rate[s]);
        }
        unpacedRatio.add(rate[0] / rate[2]);
        pacedRatio.add(rate[1] / rate[2]);
      }
      report.pairedRatio("throughput_vs_single_send", unpacedRatio);
      report.pairedRatio("paced_throughput_vs_single_send", pacedRatio);
      report.note(
          String.format(
              Locale.ROOT,
              "warm-up until the JIT compiler was quiet for 1 s (here %.1f s); %d rounds, each "
                  + "interleaving passes of %d references of every subject (order rotating) until "
                  + "each was measured for %.1f s; sends/s = delivered / time in that subject's "
                  + "passes; ratio per round = broadcast / single-send loop; headline = median "
                  + "over rounds",
              warm,
              unpacedRatio.size(),
              n,
              perRound / 1e9));
      report.note(
          "per-tenant pacer: RateProfile.teams() with 1,000,000/s per tenant (never binds), "
              + "references over "
              + TENANTS
              + " tenants; the Teams rates themselves are a schedule, not a throughput "
              + "(PacerTest, BroadcastStormTest)");

      int[] sizes =
          report.quick() ? new int[] {10_000, 25_000} : new int[] {10_000, 100_000, 1_000_000};
      double first = Double.NaN;
      double last = 0;
      for (int size : sizes) {
        InMemoryReferenceRepository big = fill(size, server.serviceUrl());
        long extra = ExtraHeap.peak(() -> broadcast(big, sender, hello, unpaced));
        double mb = extra / 1048576.0;
        report.add("broadcast extra heap MB", "N=" + size, mb);
        if (Double.isNaN(first)) {
          first = mb;
        }
        last = mb;
      }
      // a slope, not a quotient: the smallest run's extra heap can be ~0 MB, and a ratio to it is
      // noise; a broadcast whose memory does not grow with N gives ~0 KiB per 1000 references
      report.ratioValue(
          "heap_growth_kib_per_1k_references",
          (last - first) * 1024 / ((sizes[sizes.length - 1] - sizes[0]) / 1000.0));
      report.note(
          "extra heap = live heap (after GC, sampled every 250 ms) during the broadcast minus live heap with the store filled");
      report.note("server: FakeConnector in its own process on 127.0.0.1");
      report.print();
    }
  }

  private static InMemoryReferenceRepository fill(int n, String serviceUrl) {
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    List<ConversationReference> batch = new ArrayList<>(1000);
    for (int i = 0; i < n; i++) {
      batch.add(
          SampleReferences.reference("msteams", "a:bench-" + i, "tenant-" + (i % TENANTS))
              .withServiceUrl(serviceUrl));
      if (batch.size() == 1000) {
        repo.saveAll(batch);
        batch.clear();
      }
    }
    repo.saveAll(batch);
    return repo;
  }

  private static BroadcastReport broadcast(
      InMemoryReferenceRepository repo, BotConnectorSender sender, Activity a, RateProfile p) {
    BroadcastReport r =
        Broadcast.builder(repo, sender)
            .query(ListQuery.all().withPageSize(500))
            .message(a)
            .profile(p)
            .notDeliveredCap(10)
            .build()
            .start()
            .join();
    if (r.delivered() != r.listed()) {
      throw new IllegalStateException("not all delivered: " + r);
    }
    return r;
  }

  private static long singleSends(
      InMemoryReferenceRepository repo, BotConnectorSender sender, Activity a, int c)
      throws InterruptedException {
    Semaphore slots = new Semaphore(c);
    AtomicLong delivered = new AtomicLong();
    for (StoredReference s :
        (Iterable<StoredReference>) repo.stream(ListQuery.all().withPageSize(500))::iterator) {
      slots.acquire();
      var unused =
          sender
              .sendAsync(s.reference(), a)
              .whenComplete(
                  (o, e) -> {
                    if (o != null && o.delivered()) {
                      delivered.incrementAndGet();
                    }
                    slots.release();
                  });
    }
    slots.acquire(c);
    return delivered.get();
  }
}
