package dev.beckon.benchmarks;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Broadcast: unpaced throughput to the loopback connector vs the single-send path (the same sender,
 * the same references, the same concurrency, a plain loop), and the broadcast's extra heap at 10k,
 * 100k and 1M references in the in-memory store (it should not grow with N).
 */
public final class BroadcastBenchmark {

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
      int n = report.size(5000, 20000);
      InMemoryReferenceRepository repo = fill(n, server.serviceUrl());
      broadcast(repo, sender, hello, concurrency); // warm-up
      singleSends(repo, sender, hello, concurrency);
      List<Double> perRound = new ArrayList<>();
      for (int round = 0; round < report.rounds(); round++) {
        double b = 0;
        double single = 0;
        for (int k = 0; k < 2; k++) { // alternate who goes first
          if ((round + k) % 2 == 0) {
            long t0 = System.nanoTime();
            BroadcastReport r = broadcast(repo, sender, hello, concurrency);
            b = r.delivered() / ((System.nanoTime() - t0) / 1e9);
            report.add("sends/s c" + concurrency, "broadcast (unpaced)", b);
          } else {
            long t0 = System.nanoTime();
            long d = singleSends(repo, sender, hello, concurrency);
            single = d / ((System.nanoTime() - t0) / 1e9);
            report.add("sends/s c" + concurrency, "single-send loop", single);
          }
        }
        perRound.add(b / single);
      }
      report.pairedRatio("throughput_vs_single_send", perRound);
      repo = null;

      int[] sizes =
          report.quick() ? new int[] {10_000, 50_000} : new int[] {10_000, 100_000, 1_000_000};
      double first = 0;
      double last = 0;
      for (int size : sizes) {
        InMemoryReferenceRepository big = fill(size, server.serviceUrl());
        long extra = peakExtraHeap(() -> broadcast(big, sender, hello, concurrency));
        double mb = extra / 1048576.0;
        report.add("broadcast extra heap MB", "N=" + size, mb);
        if (first == 0) {
          first = mb;
        }
        last = mb;
      }
      report.ratioValue("heap_largest_vs_smallest", last / first);
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
          SampleReferences.reference("msteams", "a:bench-" + i, "tenant-1")
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
      InMemoryReferenceRepository repo, BotConnectorSender sender, Activity a, int c) {
    BroadcastReport r =
        Broadcast.builder(repo, sender)
            .query(ListQuery.all().withPageSize(500))
            .message(a)
            .profile(RateProfile.unpaced(c))
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

  /**
   * Live heap (sampled after a GC every 250 ms while the work runs) above the live heap before it.
   */
  private static long peakExtraHeap(Runnable work) throws InterruptedException {
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
    work.run();
    sampler.interrupt();
    sampler.join();
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
}
