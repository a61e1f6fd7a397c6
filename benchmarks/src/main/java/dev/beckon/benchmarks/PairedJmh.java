package dev.beckon.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The in-process suites' harness: JMH runs one benchmark ({@link #cycle}) that calls a suite's
 * operations in turn, each Beckon operation right next to its raw baseline, and times every call
 * (wall clock, and the calling thread's CPU time) into per-operation counters ({@link Timings}, JMH
 * auxiliary counters).
 *
 * <p>Why interleave call by call: these machines are shared. Measured one after the other, even
 * back to back, A and B see different load and their ratio moves by ×2. Interleaved call by call,
 * both see the same load at every instant, so the ratio of their mean times is stable; the CPU time
 * per call, which does not count the time spent waiting for the scheduler or the server, is
 * steadier still. The order of the two in a pair alternates every cycle.
 *
 * <p>Each JMH measurement iteration gives one ratio per pair; the headline is their median, printed
 * with their spread ({@link BenchReport#pairedRatio}). Trials run in this JVM ({@code forks(0)}):
 * the suite builds its clients and data once and sets {@link #ops} through {@link Trial}.
 */
@State(Scope.Benchmark)
public class PairedJmh {

  /** One operation; {@code i} picks the key (the same key for both operations of a pair). */
  @FunctionalInterface
  interface Op {
    /**
     * Runs the operation once.
     *
     * @param i a key index, 0 or more
     * @return anything (consumed by JMH)
     * @throws Exception on failure (fails the run)
     */
    Object run(int i) throws Exception;
  }

  /** A measured subject. */
  record Subject(String metric, String name, Op op) {}

  private record Pair(String ratio, Subject beckon, Subject baseline) {}

  private static final int MAX = 8;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final AtomicInteger THREAD_OFFSET = new AtomicInteger();

  /** The operations of the running trial, in cycle order (pairs first, then singles). */
  static volatile Op[] ops = new Op[0];

  static volatile int pairCount;

  static volatile boolean cpu;

  /** Whether {@link #cpu} reads the whole process's CPU time rather than the calling thread's. */
  static volatile boolean processCpu;

  static volatile int batch = 1;

  static volatile int warmupCount;

  /** Per thread and measured iteration: each pair's median per-cycle throughput ratio. */
  static final Queue<double[]> CYCLE_MEDIANS = new ConcurrentLinkedQueue<>();

  /** Per-operation totals of one thread in one iteration (summed over threads by JMH). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Timings {
    /** Wall-clock nanoseconds per operation index. */
    public long w0, w1, w2, w3, w4, w5, w6, w7;

    /** Thread CPU nanoseconds per operation index. */
    public long c0, c1, c2, c3, c4, c5, c6, c7;

    /** Calls per operation index. */
    public long n0, n1, n2, n3, n4, n5, n6, n7;

    long step;
    final int offset = THREAD_OFFSET.getAndAdd(250);
    private int iteration;
    private final long[] pendingWall = new long[MAX / 2];
    private final double[][] cycleRatios = new double[MAX / 2][1 << 16];
    private final int[] cycleCount = new int[MAX / 2];

    /** Records the first call of a pair in this cycle, or the pair's ratio after the second. */
    void cycle(int k, long wall) {
      int p = k / 2;
      if (pendingWall[p] < 0) {
        pendingWall[p] = wall;
        return;
      }
      long first = pendingWall[p];
      pendingWall[p] = -1;
      // the pair's two calls: index 2p is Beckon, 2p+1 the baseline; throughput ratio = raw /
      // beckon
      boolean beckonNow = (k & 1) == 0;
      double beckon = beckonNow ? wall : first;
      double raw = beckonNow ? first : wall;
      int n = cycleCount[p];
      if (n < cycleRatios[p].length && beckon > 0) {
        cycleRatios[p][n] = raw / beckon;
        cycleCount[p] = n + 1;
      }
    }

    /** Hands this iteration's median per-cycle ratio of each pair to the trial (not warm-ups). */
    @TearDown(Level.Iteration)
    public void medians() {
      iteration++;
      double[] m = new double[pairCount];
      for (int p = 0; p < pairCount; p++) {
        double[] a = Arrays.copyOf(cycleRatios[p], cycleCount[p]);
        Arrays.sort(a);
        m[p] = a.length == 0 ? Double.NaN : a[a.length / 2];
        cycleCount[p] = 0;
        pendingWall[p] = -1;
      }
      if (iteration > warmupCount) {
        CYCLE_MEDIANS.add(m);
      }
    }

    /** Clears the counters before each iteration. */
    @Setup(Level.Iteration)
    public void clear() {
      Arrays.fill(pendingWall, -1);
      w0 = w1 = w2 = w3 = w4 = w5 = w6 = w7 = 0;
      c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = 0;
      n0 = n1 = n2 = n3 = n4 = n5 = n6 = n7 = 0;
    }

    void add(int k, long wall, long cpuNanos) {
      switch (k) {
        case 0 -> {
          w0 += wall;
          c0 += cpuNanos;
          n0++;
        }
        case 1 -> {
          w1 += wall;
          c1 += cpuNanos;
          n1++;
        }
        case 2 -> {
          w2 += wall;
          c2 += cpuNanos;
          n2++;
        }
        case 3 -> {
          w3 += wall;
          c3 += cpuNanos;
          n3++;
        }
        case 4 -> {
          w4 += wall;
          c4 += cpuNanos;
          n4++;
        }
        case 5 -> {
          w5 += wall;
          c5 += cpuNanos;
          n5++;
        }
        case 6 -> {
          w6 += wall;
          c6 += cpuNanos;
          n6++;
        }
        default -> {
          w7 += wall;
          c7 += cpuNanos;
          n7++;
        }
      }
    }
  }

  /** Creates the JMH state. */
  public PairedJmh() {}

  /**
   * One call of the next operation in the cycle, timed.
   *
   * @param t this thread's counters
   * @return the operation's result
   * @throws Exception on failure
   */
  @Benchmark
  public Object cycle(Timings t) throws Exception {
    Op[] o = ops;
    long s = t.step++;
    int k = (int) (s % o.length);
    long round = s / o.length;
    if (k < 2 * pairCount && (round & 1) == 1) {
      k ^= 1; // odd cycles: baseline first
    }
    int key = (int) ((round + t.offset) & 0x7fffffff);
    boolean measureCpu = cpu;
    boolean whole = processCpu;
    long c0 = measureCpu ? cpuNow(whole) : 0;
    long w0 = System.nanoTime();
    Object r = null;
    for (int b = batch; b > 0; b--) {
      r = o[k].run(key);
    }
    long w1 = System.nanoTime();
    long c1 = measureCpu ? cpuNow(whole) : 0;
    t.add(k, w1 - w0, c1 - c0);
    if (k < 2 * pairCount) {
      t.cycle(k, w1 - w0);
    }
    return r;
  }

  private static long cpuNow(boolean wholeProcess) {
    return wholeProcess ? OS.getProcessCpuTime() : THREADS.getCurrentThreadCpuTime();
  }

  /** A suite's pairs and singles at one thread count, run as one JMH trial. */
  static final class Trial {
    private final BenchReport report;
    private final List<Pair> pairs = new ArrayList<>();
    private final List<Subject> singles = new ArrayList<>();
    private int threads = 1;
    private boolean measureCpu = true;
    private boolean wholeProcess;
    private int batchSize = 1;

    Trial(BenchReport report) {
      this.report = report;
    }

    /** Adds a Beckon operation and its baseline; ratio lines {@code <ratio>} and CPU. */
    Trial pair(String ratio, String metric, Op beckon, String baselineName, Op baseline) {
      pairs.add(
          new Pair(
              ratio,
              new Subject(metric, "beckon", beckon),
              new Subject(metric, baselineName, baseline)));
      return this;
    }

    /** Adds an operation measured without a baseline. */
    Trial single(String metric, String name, Op op) {
      singles.add(new Subject(metric, name, op));
      return this;
    }

    /** Sets the thread count (default 1). */
    Trial threads(int value) {
      this.threads = value;
      return this;
    }

    /** Turns the per-call thread CPU time off (for sub-10 µs operations; default on). */
    Trial noCpu() {
      this.measureCpu = false;
      return this;
    }

    /**
     * Measures each call's CPU as the whole process's (one thread only): for a client library that
     * runs part of a call on threads of its own, which the calling thread's CPU time would miss.
     */
    Trial processCpu() {
      this.wholeProcess = true;
      return this;
    }

    /** Times {@code n} calls as one (for operations of a few µs; default 1). */
    Trial batch(int n) {
      this.batchSize = n;
      return this;
    }

    /**
     * Runs: quick 2 × 1 s warm-up and 10 × 1 s measured iterations (at least 5 s per pair), full 5
     * × 1 s warm-up and 10 × 3 s.
     */
    void run() throws RunnerException {
      List<Subject> all = new ArrayList<>();
      for (Pair p : pairs) {
        all.add(p.beckon());
        all.add(p.baseline());
      }
      all.addAll(singles);
      if (all.size() > MAX) {
        throw new IllegalArgumentException("at most " + MAX + " operations per trial");
      }
      ops = all.stream().map(Subject::op).toArray(Op[]::new);
      pairCount = pairs.size();
      cpu = measureCpu;
      processCpu = wholeProcess;
      if (wholeProcess && threads != 1) {
        throw new IllegalArgumentException("process CPU per call needs one thread");
      }
      batch = batchSize;
      int warmups = report.quick() ? 2 : 5;
      warmupCount = warmups;
      CYCLE_MEDIANS.clear();
      Op[] warm = ops;
      int batchNow = batchSize;
      double jitWarmup =
          JitQuiet.warm(
              i -> {
                for (Op op : warm) {
                  for (int b = 0; b < batchNow; b++) {
                    op.run(i);
                  }
                }
              },
              report.quick() ? 30 : 90);
      int iterations = 10;
      TimeValue iteration = report.quick() ? TimeValue.seconds(1) : TimeValue.seconds(3);
      Options o =
          new OptionsBuilder()
              .include("^" + Pattern.quote(PairedJmh.class.getName() + ".cycle") + "$")
              .forks(0)
              .threads(threads)
              .warmupIterations(warmups)
              .warmupTime(TimeValue.seconds(1))
              .measurementIterations(iterations)
              .measurementTime(iteration)
              .mode(Mode.Throughput)
              .timeUnit(TimeUnit.SECONDS)
              .shouldFailOnError(true)
              .verbosity(VerboseMode.SILENT)
              .build();
      // JMH's lock (/tmp/jmh.lock) makes a second JMH process on the machine fail; on a machine
      // shared with other runs the suite would rather measure under that load and say so
      System.setProperty("jmh.ignoreLock", "true");
      RunResult result = new Runner(o).runSingle();
      List<Map<String, Double>> its = new ArrayList<>();
      for (var br : result.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          its.add(scores(ir));
        }
      }
      for (int pi = 0; pi < pairs.size(); pi++) {
        Pair p = pairs.get(pi);
        int a = all.indexOf(p.beckon());
        int b = all.indexOf(p.baseline());
        List<Double> wall = new ArrayList<>();
        for (double[] m : CYCLE_MEDIANS) {
          wall.add(m[pi]);
        }
        List<Double> cpuRatio = new ArrayList<>();
        for (Map<String, Double> it : its) {
          if (measureCpu) {
            cpuRatio.add(perCall(it, "c", a) / perCall(it, "c", b));
          }
        }
        report.pairedRatio(p.ratio(), wall);
        if (measureCpu) {
          report.pairedRatio(p.ratio() + "_cpu_per_op", cpuRatio);
        }
      }
      for (int k = 0; k < all.size(); k++) {
        Subject s = all.get(k);
        for (Map<String, Double> it : its) {
          report.add(s.metric(), s.name(), 1e9 * batchSize / perCall(it, "w", k));
          if (measureCpu) {
            report.add(
                s.metric().replace("ops/s", "client CPU µs/op"),
                s.name(),
                perCall(it, "c", k) / 1e3 / batchSize);
          }
        }
      }
      report.note(
          String.format(
              Locale.ROOT,
              "JMH %s (no fork), %d thread(s): warm-up until the JIT compiler was quiet for 1 s "
                  + "(here %.1f s), then %d × 1 s JMH warm-up, %d × %d s measured; the operations are "
                  + "called in turn (%s), each pair's order alternating every cycle%s; ops/s = 1 / mean wall "
                  + "time per call; throughput ratio per iteration = median over the cycles of the pair's "
                  + "raw/Beckon wall-time ratio (robust to preemptions); headline = median over iterations%s",
              org.openjdk.jmh.util.Version.getPlainVersion(),
              threads,
              jitWarmup,
              warmups,
              iterations,
              iteration.convertTo(TimeUnit.SECONDS),
              String.join(", ", all.stream().map(s -> s.metric() + " " + s.name()).toList()),
              batchSize > 1 ? ", each timed call being " + batchSize + " calls" : "",
              measureCpu
                  ? "; client CPU = "
                      + (wholeProcess
                          ? "the whole process's CPU time per call (every thread of the client)"
                          : "the calling thread's CPU time per call (ThreadMXBean)")
                      + ", *_cpu_per_op = Beckon's mean / baseline's mean"
                  : ""));
    }

    // JMH declares IterationResult.getSecondaryResults() as Map<String, Result>, a raw type
    @SuppressWarnings("rawtypes")
    private static Map<String, Double> scores(IterationResult ir) {
      Map<String, Double> scores = new HashMap<>();
      for (Map.Entry<String, org.openjdk.jmh.results.Result> e :
          ir.getSecondaryResults().entrySet()) {
        scores.put(e.getKey(), e.getValue().getScore());
      }
      return scores;
    }

    private static double perCall(Map<String, Double> it, String kind, int k) {
      double total = it.get(kind + k);
      double n = it.get("n" + k);
      return total / n;
    }
  }
}
