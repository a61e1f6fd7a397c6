package dev.beckon.benchmarks.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws the README's performance charts from a results file of {@code scripts/bench.sh}: {@code
 * <name>-sender.png} (throughput vs concurrency for Beckon, raw HttpClient 5, botbuilder-java and
 * the Agents SDK JS; medians, with the min–max of the rounds as error bars) and {@code
 * <name>-broadcast-heap.png} (extra live heap of a broadcast vs the number of references).
 *
 * <p>Usage: {@code BenchCharts benchmarks/results/<date>-<machine>.md} (writes the PNGs next to
 * it).
 */
public final class BenchCharts {

  private static final Pattern CONCURRENCY = Pattern.compile("^sends/s c(\\d+)$");
  private static final Pattern HEAP_N = Pattern.compile("^N=(\\d+)$");
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)
  };

  private BenchCharts() {}

  /**
   * Draws both charts.
   *
   * @param args the results file
   * @throws IOException when the file cannot be read or a chart written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BenchCharts <results.md>");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    Path results = Path.of(args[0]);
    ResultsFile file = ResultsFile.read(results);
    String base = results.getFileName().toString().replaceFirst("\\.md$", "");
    Path dir = results.toAbsolutePath().getParent();
    List<Path> written = new java.util.ArrayList<>();
    if (!file.suite("sender").isEmpty()) {
      Path out = dir.resolve(base + "-sender.png");
      ChartUtils.saveChartAsPNG(out.toFile(), senderChart(file), 900, 520);
      written.add(out);
    }
    if (!file.suite("broadcast").isEmpty()) {
      Path out = dir.resolve(base + "-broadcast-heap.png");
      ChartUtils.saveChartAsPNG(out.toFile(), heapChart(file), 900, 520);
      written.add(out);
    }
    if (written.isEmpty()) {
      System.err.println("no sender or broadcast rows in " + results);
      System.exit(1);
    }
    written.forEach(p -> System.out.println("chart written to " + p));
  }

  static JFreeChart senderChart(ResultsFile file) {
    Map<String, YIntervalSeries> bySubject = new LinkedHashMap<>();
    for (ResultsFile.Row r : file.suite("sender")) {
      Matcher m = CONCURRENCY.matcher(r.metric());
      if (m.matches()) {
        bySubject
            .computeIfAbsent(r.subject(), YIntervalSeries::new)
            .add(Integer.parseInt(m.group(1)), r.median(), r.min(), r.max());
      }
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    bySubject.values().forEach(data::addSeries);
    LogAxis x = new LogAxis("concurrent sends in flight");
    x.setBase(2);
    x.setTickUnit(new NumberTickUnit(2));
    x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    NumberAxis y = new NumberAxis("messages per second (median; bars: min–max of the rounds)");
    return chart("Sender throughput vs concurrency — FakeConnector on loopback", data, x, y);
  }

  static JFreeChart heapChart(ResultsFile file) {
    YIntervalSeries s = new YIntervalSeries("Beckon broadcast: extra live heap");
    for (ResultsFile.Row r : file.suite("broadcast")) {
      Matcher m = HEAP_N.matcher(r.subject());
      if (r.metric().startsWith("broadcast extra heap") && m.matches()) {
        s.add((double) Long.parseLong(m.group(1)), r.median(), r.min(), r.max());
      }
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(s);
    LogAxis x = new LogAxis("references in the store (log scale)");
    x.setBase(10);
    x.setTickUnit(new NumberTickUnit(1));
    x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
    NumberAxis y = new NumberAxis("MB of live heap above the filled store");
    y.setAutoRangeIncludesZero(true);
    return chart("Broadcast memory vs number of references", data, x, y);
  }

  private static JFreeChart chart(
      String title,
      YIntervalSeriesCollection data,
      org.jfree.chart.axis.ValueAxis x,
      NumberAxis y) {
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDefaultLinesVisible(true);
    renderer.setDefaultShapesVisible(true);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
