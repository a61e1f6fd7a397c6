package dev.beckon.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warm-up that ends when the JIT compiler is quiet, not after a fixed time: on a loaded machine the
 * compiler threads get little CPU, so a fixed warm-up leaves the code interpreted or at C1 and the
 * first measured rounds run it half compiled.
 */
final class JitQuiet {

  /** One step of the warm-up workload. */
  @FunctionalInterface
  interface Step {
    /**
     * Runs one step.
     *
     * @param i the step's index, 0 or more
     * @throws Exception on failure (fails the warm-up)
     */
    void run(int i) throws Exception;
  }

  private JitQuiet() {}

  /**
   * Runs the step repeatedly, for at least 3 s, until the JIT has compiled for under 10 ms in the
   * last second, or until the limit.
   *
   * @param step the workload
   * @param limitSeconds the longest warm-up
   * @return the seconds the warm-up took
   */
  static double warm(Step step, int limitSeconds) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    long windowStart = start;
    long compiledAtWindowStart = jit.getTotalCompilationTime();
    int i = 0;
    try {
      while (System.nanoTime() - start < limitSeconds * 1_000_000_000L) {
        step.run(i++);
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
          long compiled = jit.getTotalCompilationTime();
          if (compiled - compiledAtWindowStart < 10 && now - start >= 3_000_000_000L) {
            break;
          }
          windowStart = now;
          compiledAtWindowStart = compiled;
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("warm-up failed", e);
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
