package dev.beckon.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The extra heap a piece of work holds: the live heap (after a GC, sampled every 250 ms while it
 * runs) above the live heap before it. For the suites whose memory should not grow with N.
 */
final class ExtraHeap {

  /** The work measured. */
  @FunctionalInterface
  interface Work {
    /**
     * Runs the work.
     *
     * @throws Exception on failure (fails the suite)
     */
    void run() throws Exception;
  }

  private ExtraHeap() {}

  /**
   * Runs the work and returns its peak extra live heap.
   *
   * @param work the work
   * @return bytes, 0 or more
   * @throws Exception when the work fails
   */
  static long peak(Work work) throws Exception {
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
            },
            "extra-heap-sampler");
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
}
