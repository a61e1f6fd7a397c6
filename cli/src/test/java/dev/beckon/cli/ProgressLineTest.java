package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.broadcast.BroadcastProgress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The broadcast command's live line: bar, counts, rate, ETA. */
class ProgressLineTest {

  @Test
  void showsTheBarDoneOfTotalOutcomesRateAndEta() {
    BroadcastProgress p =
        new BroadcastProgress(1100, 1020, 20, 10, 0, 16, Duration.ofSeconds(10), 1.0);
    assertThat(ProgressLine.format(p, 3000))
        .isEqualTo(
            "[broadcast] [#######.............]  35%  1,050/3,000  sent 1,020  gone 20  failed 10  105/s  ETA 0:19");
  }

  @Test
  void finishedUncountedAndNotYetStarted() {
    BroadcastProgress done = new BroadcastProgress(10, 10, 0, 0, 0, 0, Duration.ofSeconds(2), 1.0);
    assertThat(ProgressLine.format(done, 10))
        .startsWith("[broadcast] [####################] 100%  10/10")
        .endsWith("ETA 0:00");
    assertThat(ProgressLine.format(done, -1))
        .isEqualTo("[broadcast] 10 done  sent 10  gone 0  failed 0  5/s  0 in flight");
    BroadcastProgress start = new BroadcastProgress(0, 0, 0, 0, 0, 0, Duration.ZERO, 1.0);
    assertThat(ProgressLine.format(start, 5000)).contains("  0%").endsWith("ETA --:--");
    assertThat(ProgressLine.clock(3725)).isEqualTo("1:02:05");
  }
}
