package dev.beckon.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Interleaved A/B rounds for the suites that JMH does not fit (a subject is a pass over a store or
 * a queue, not one call): in each round the subjects run passes in turn, the order rotating every
 * cycle (A B, B A, A B, ...), until each has been measured for at least the round's time, so all of
 * them see the same load at every moment. Each round gives one rate per subject (its count over the
 * time spent in its own passes), hence one ratio per pair: the suite reports their median and
 * spread ({@link BenchReport#pairedRatio}). The rotation carries over from one round to the next. A
 * meter (e.g. {@link ProcessCpu#nanosWithoutJit}) read around every pass gives each subject's cost
 * per unit counted as well, which a loaded machine disturbs less than the rate.
 */
final class InterleavedRounds {

  /** One pass of a subject. */
  @FunctionalInterface
  interface Pass {
    /**
     * Runs one pass.
     *
     * @return what it counted (sends, deliveries)
     * @throws Exception on failure (fails the suite)
     */
    long run() throws Exception;
  }

  /**
   * One round's figures per subject.
   *
   * @param perSecond count per second over the subject's passes
   * @param meterPerUnit meter units (e.g. CPU ns) per count, NaN without a meter
   */
  record Rates(List<Double> perSecond, List<Double> meterPerUnit) {}

  private int cycle;

  /**
   * Runs one round.
   *
   * @param subjects the subjects, each a pass
   * @param nanosEach the least time each subject is measured for in this round
   * @return each subject's count per second over its passes in this round
   * @throws Exception when a pass fails
   */
  double[] round(Pass[] subjects, long nanosEach) throws Exception {
    return round(subjects, nanosEach, null).perSecond().stream().mapToDouble(d -> d).toArray();
  }

  /**
   * Runs one round, reading a meter around every pass.
   *
   * @param subjects the subjects, each a pass
   * @param nanosEach the least time each subject is measured for in this round
   * @param meter read before and after each pass, or null
   * @return each subject's rate and metered cost per unit in this round
   * @throws Exception when a pass fails
   */
  Rates round(Pass[] subjects, long nanosEach, @Nullable LongSupplier meter) throws Exception {
    long[] nanos = new long[subjects.length];
    long[] counts = new long[subjects.length];
    long[] metered = new long[subjects.length];
    while (Arrays.stream(nanos).min().getAsLong() < nanosEach) {
      for (int k = 0; k < subjects.length; k++) {
        int s = (k + cycle) % subjects.length; // rotate who goes first
        long m0 = meter == null ? 0 : meter.getAsLong();
        long t0 = System.nanoTime();
        counts[s] += subjects[s].run();
        nanos[s] += System.nanoTime() - t0;
        metered[s] += meter == null ? 0 : meter.getAsLong() - m0;
      }
      cycle++;
    }
    double[] rate = new double[subjects.length];
    double[] cost = new double[subjects.length];
    for (int s = 0; s < subjects.length; s++) {
      rate[s] = counts[s] / (nanos[s] / 1e9);
      cost[s] = meter == null ? Double.NaN : (double) metered[s] / counts[s];
    }
    return new Rates(Arrays.stream(rate).boxed().toList(), Arrays.stream(cost).boxed().toList());
  }
}
