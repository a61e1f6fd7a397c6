package dev.beckon.benchmarks.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a results file of scripts/bench.sh and drawing its charts. */
class BenchChartsTest {

  private static final String RESULTS =
      """
      # Benchmark results — 2026-11-25, test

      | machine | |
      |---|---|
      | CPU | 2 cores |

      ## suite: sender

      ### sender (full, 5 rounds, OpenJDK 17, 2 cores)

      | metric | subject | min | median | max |
      |---|---:|---:|---:|---:|
      | sends/s c1 | beckon | 4421.2 | 4948.2 | 5418.3 |
      | sends/s c1 | raw httpclient5 | 5067.0 | 5578.6 | 7070.7 |
      | client CPU µs/msg c1 | beckon | 115.5 | 125.0 | 256.0 |
      | sends/s c16 | beckon | 17923.7 | 27369.3 | 28422.3 |
      | sends/s c16 | raw httpclient5 | 22354.0 | 29440.6 | 29960.2 |

      ratio sender.c1.throughput_vs_raw_httpclient5 0.887

      ## suite: broadcast

      | sends/s c64 | broadcast (unpaced) | 12596.0 | 22445.9 | 27179.8 |
      | broadcast extra heap MB | N=10000 | 6.3 | 6.3 | 6.3 |
      | broadcast extra heap MB | N=1000000 | 4.0 | 4.0 | 4.0 |
      """;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void readsEveryTableRowUnderItsSuite(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.md");
    Files.writeString(file, RESULTS);
    ResultsFile r = ResultsFile.read(file);
    assertThat(r.rows()).hasSize(8);
    assertThat(r.find("sender", "sends/s c16", "raw httpclient5"))
        .hasValue(
            new ResultsFile.Row(
                "sender", "sends/s c16", "raw httpclient5", 22354.0, 29440.6, 29960.2));
    assertThat(r.suite("broadcast")).hasSize(3);
    assertThat(r.find("broadcast", "sends/s c16", "beckon")).isEmpty();
  }

  @Test
  void senderChartHasOneSeriesPerSubjectWithItsMedianAndRange(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.md");
    Files.writeString(file, RESULTS);
    JFreeChart chart = BenchCharts.senderChart(ResultsFile.read(file));
    XYPlot plot = chart.getXYPlot();
    assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
    assertThat((Object) plot.getDataset().getSeriesKey(0)).isEqualTo("beckon");
    assertThat(plot.getDataset().getItemCount(0)).isEqualTo(2);
    assertThat(plot.getDataset().getXValue(0, 1)).isEqualTo(16.0);
    assertThat(plot.getDataset().getYValue(0, 1)).isEqualTo(27369.3);
    JFreeChart heap = BenchCharts.heapChart(ResultsFile.read(file));
    assertThat(heap.getXYPlot().getDataset().getItemCount(0)).isEqualTo(2);
    assertThat(heap.getXYPlot().getDataset().getYValue(0, 1)).isEqualTo(4.0);
  }

  @Test
  void mainWritesBothPngsNextToTheResultsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("2026-11-25-test.md");
    Files.writeString(file, RESULTS);
    BenchCharts.main(new String[] {file.toString()});
    for (String name :
        new String[] {"2026-11-25-test-sender.png", "2026-11-25-test-broadcast-heap.png"}) {
      BufferedImage png = ImageIO.read(dir.resolve(name).toFile());
      assertThat(png.getWidth()).as(name).isEqualTo(900);
      assertThat(png.getHeight()).as(name).isEqualTo(520);
    }
  }
}
