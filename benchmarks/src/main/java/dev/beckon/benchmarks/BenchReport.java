package dev.beckon.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects rounds of measurements for one suite and prints the markdown table (min / median / max
 * per row) and the machine-readable {@code ratio <suite>.<metric> <value>} lines.
 *
 * <pre>{@code
 * BenchReport r = new BenchReport("redis", args);
 * for (int round = 0; round < r.rounds(); round++) {
 *   r.add("save ops/s", "beckon", measureBeckon());
 *   r.add("save ops/s", "raw jedis", measureRaw());
 * }
 * r.ratio("save_vs_raw_jedis", "save ops/s", "beckon", "raw jedis");
 * r.print();
 * }</pre>
 */
public final class BenchReport {
  private final String suite;
  private final boolean quick;
  private final Map<String, Map<String, List<Double>>> rows = new LinkedHashMap<>();
  private final List<String> ratios = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> spreads = new ArrayList<>();

  /**
   * Creates a report.
   *
   * @param suite the suite name, e.g. {@code redis}
   * @param args the command-line arguments; {@code --quick} selects the quick variant
   */
  public BenchReport(String suite, String[] args) {
    this.suite = suite;
    this.quick = Arrays.asList(args).contains("--quick");
  }

  /** Returns true for the quick (under a minute) variant. */
  public boolean quick() {
    return quick;
  }

  /** Returns the interleaved A/B rounds to run: 5 quick, 10 full. */
  public int rounds() {
    return quick ? 5 : 10;
  }

  /**
   * Picks a size for the variant.
   *
   * @param quickValue value for --quick
   * @param fullValue value for the full run
   * @return the value
   */
  public int size(int quickValue, int fullValue) {
    return quick ? quickValue : fullValue;
  }

  /**
   * Records one round's value.
   *
   * @param metric the row, e.g. {@code save ops/s c16}
   * @param subject the column group, e.g. {@code beckon}
   * @param value the measured value
   */
  public void add(String metric, String subject, double value) {
    rows.computeIfAbsent(metric, k -> new LinkedHashMap<>())
        .computeIfAbsent(subject, k -> new ArrayList<>())
        .add(value);
  }

  /**
   * Median of the recorded rounds.
   *
   * @param metric the row
   * @param subject the subject
   * @return the median
   */
  public double median(String metric, String subject) {
    List<Double> v = rows.getOrDefault(metric, Map.of()).getOrDefault(subject, List.of());
    if (v.isEmpty()) {
      throw new IllegalStateException("no values for " + metric + " / " + subject);
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /**
   * Adds a headline ratio: median(subject) / median(baseline) of one metric.
   *
   * @param name the metric name in the ratio line
   * @param metric the row
   * @param subject numerator subject
   * @param baseline denominator subject
   */
  public void ratio(String name, String metric, String subject, String baseline) {
    ratios.add(
        String.format(
            Locale.ROOT,
            "ratio %s.%s %.3f",
            suite,
            name,
            median(metric, subject) / median(metric, baseline)));
  }

  /**
   * Adds a headline ratio measured in pairs: each round measured the subject and its baseline back
   * to back (order alternating), so each round gives one ratio; the headline is their median, and
   * the table under the measurements shows their spread.
   *
   * @param name the metric name in the ratio line
   * @param perRound one subject/baseline ratio per round
   */
  public void pairedRatio(String name, List<Double> perRound) {
    if (perRound.isEmpty()) {
      throw new IllegalStateException("no rounds for " + name);
    }
    double[] a = perRound.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median =
        a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    double dev = Math.max(a[a.length - 1] / median - 1, 1 - a[0] / median) * 100;
    spreads.add(
        String.format(
            Locale.ROOT,
            "| %s.%s | %d | %.3f | %.3f–%.3f | ±%.1f%% |",
            suite,
            name,
            a.length,
            median,
            a[0],
            a[a.length - 1],
            dev));
    ratios.add(String.format(Locale.ROOT, "ratio %s.%s %.3f", suite, name, median));
  }

  /**
   * Adds a headline figure that is not a quotient of two rows (e.g. a heap ratio).
   *
   * @param name the metric name
   * @param value the value
   */
  public void ratioValue(String name, double value) {
    ratios.add(String.format(Locale.ROOT, "ratio %s.%s %.3f", suite, name, value));
  }

  /**
   * Adds a free-text note printed under the table.
   *
   * @param note the note
   */
  public void note(String note) {
    notes.add(note);
  }

  /** Prints the table, the notes and the ratio lines to standard output. */
  public void print() {
    print(System.out);
  }

  /**
   * Prints the table, notes and ratio lines.
   *
   * @param out where to
   */
  public void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%n### %s (%s, %d rounds, %s, %d cores)%n%n",
        suite,
        quick ? "quick" : "full",
        rounds(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    out.println("| metric | subject | min | median | max |");
    out.println("|---|---|---:|---:|---:|");
    rows.forEach(
        (metric, subjects) ->
            subjects.forEach(
                (subject, values) -> {
                  double[] a = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                  out.printf(
                      Locale.ROOT,
                      "| %s | %s | %.1f | %.1f | %.1f |%n",
                      metric,
                      subject,
                      a[0],
                      median(metric, subject),
                      a[a.length - 1]);
                }));
    out.println();
    if (!spreads.isEmpty()) {
      out.println("| paired ratio | rounds | median | min–max | max deviation from median |");
      out.println("|---|---:|---:|---|---:|");
      spreads.forEach(out::println);
      out.println();
    }
    notes.forEach(n -> out.println("- " + n));
    out.println();
    ratios.forEach(out::println);
  }
}
