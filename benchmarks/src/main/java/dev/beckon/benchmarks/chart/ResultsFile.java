package dev.beckon.benchmarks.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of a results file written by {@code scripts/bench.sh}: each suite's {@code | metric |
 * subject | min | median | max |} table rows, in file order.
 *
 * @param rows every table row
 */
record ResultsFile(List<Row> rows) {

  /**
   * One table row.
   *
   * @param suite the suite heading the row is under
   * @param metric e.g. {@code sends/s c16}
   * @param subject e.g. {@code beckon}
   * @param min smallest round
   * @param median median round
   * @param max largest round
   */
  record Row(String suite, String metric, String subject, double min, double median, double max) {}

  private static final Pattern SUITE = Pattern.compile("^## suite: (\\S+)");
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| ([^|]+?) \\| ([^|]+?) \\| (-?[0-9.]+) \\| (-?[0-9.]+) \\| (-?[0-9.]+) \\|$");

  static ResultsFile read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    String suite = "";
    for (String line : Files.readAllLines(file)) {
      Matcher s = SUITE.matcher(line);
      if (s.find()) {
        suite = s.group(1);
        continue;
      }
      Matcher m = ROW.matcher(line.strip());
      if (m.matches()) {
        rows.add(
            new Row(
                suite,
                m.group(1),
                m.group(2),
                Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5))));
      }
    }
    return new ResultsFile(List.copyOf(rows));
  }

  Optional<Row> find(String suite, String metric, String subject) {
    return rows.stream()
        .filter(
            r ->
                r.suite().equals(suite) && r.metric().equals(metric) && r.subject().equals(subject))
        .findFirst();
  }

  List<Row> suite(String suite) {
    return rows.stream().filter(r -> r.suite().equals(suite)).toList();
  }
}
