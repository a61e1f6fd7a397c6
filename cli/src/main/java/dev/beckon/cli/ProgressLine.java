package dev.beckon.cli;

import dev.beckon.broadcast.BroadcastProgress;
import java.util.Locale;

/**
 * The live line of {@code beckon broadcast}: a bar, done of total, outcomes, rate and ETA, e.g.
 * {@code [broadcast] [#######.............] 35% 1,050/3,000 sent 1,020 gone 20 failed 10 187/s ETA
 * 0:10}.
 */
final class ProgressLine {

  private static final int WIDTH = 20;

  private ProgressLine() {}

  /**
   * Formats one progress line.
   *
   * @param p the progress
   * @param total references counted before the start, or a negative number when not counted
   * @return the line, without a line break
   */
  static String format(BroadcastProgress p, long total) {
    long done = p.done();
    double rate = p.perSecond();
    String counts =
        String.format(
            Locale.ROOT,
            "sent %,d  gone %,d  failed %,d  %.0f/s",
            p.delivered(),
            p.gone(),
            p.failed(),
            rate);
    if (total < 0) {
      return String.format(
          Locale.ROOT, "[broadcast] %,d done  %s  %d in flight", done, counts, p.inFlight());
    }
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    long remaining = Math.max(0, total - done);
    String eta = rate <= 0 ? "--:--" : clock(Math.round(remaining / rate));
    return String.format(
        Locale.ROOT,
        "[broadcast] [%s] %3d%%  %,d/%,d  %s  ETA %s",
        bar,
        Math.round(fraction * 100),
        done,
        total,
        counts,
        eta);
  }

  /**
   * Formats the live line of {@code beckon worker}, in the broadcast line's words: {@code [worker]
   * delivered 1,020 gone 20 failed 10 unknown 0 dead 0 retried 5 3 in flight 12/s up 0:42}.
   *
   * @param c what the worker did so far
   * @param elapsedMillis how long it has run
   * @return the line, without a line break
   */
  static String worker(CountingQueue.Counts c, long elapsedMillis) {
    double rate = elapsedMillis <= 0 ? 0 : c.delivered() * 1000.0 / elapsedMillis;
    return String.format(
        Locale.ROOT,
        "[worker] delivered %,d  gone %,d  failed %,d  unknown %,d  dead %,d  retried %,d  %d in"
            + " flight  %.0f/s  up %s",
        c.delivered(),
        c.gone(),
        c.failed(),
        c.unknown(),
        c.dead(),
        c.retried(),
        c.inFlight(),
        rate,
        clock(elapsedMillis / 1000));
  }

  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
