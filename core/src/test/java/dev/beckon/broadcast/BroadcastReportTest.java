package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ReferenceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastReportTest {

  private static List<BroadcastOutcome> failures(int n) {
    List<BroadcastOutcome> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new BroadcastOutcome(
              ReferenceKey.of("msteams", "a:conversation-" + i),
              BroadcastOutcome.Kind.FAILED,
              null,
              "500",
              "service error " + i,
              false));
    }
    return list;
  }

  @Test
  void summaryIsTheOneLineTheCliPrints() {
    BroadcastReport r =
        new BroadcastReport(
            "nightly",
            30,
            0,
            29,
            1,
            1,
            0,
            0,
            List.of(
                new BroadcastOutcome(
                    ReferenceKey.of("msteams", "a:gone"),
                    BroadcastOutcome.Kind.GONE,
                    null,
                    "404",
                    "gone",
                    true)),
            false,
            Duration.ofMillis(1234),
            false);

    assertThat(r.summary())
        .isEqualTo(
            "listed 30: delivered 29, gone 1 (removed 1), failed 0, skipped 0, already done 0, in 1.2 s");
  }

  @Test
  void summarySaysWhenTheRunWasCancelled() {
    BroadcastReport r =
        new BroadcastReport(
            "b", 10, 2, 3, 0, 0, 0, 5, failures(0), false, Duration.ofSeconds(2), true);

    assertThat(r.summary())
        .isEqualTo(
            "listed 10: delivered 3, gone 0 (removed 0), failed 0, skipped 5, already done 2, in 2.0 s, cancelled");
  }

  @Test
  void toStringCountsTheOutcomesWithoutListingThem() {
    BroadcastReport r =
        new BroadcastReport(
            "nightly",
            1000,
            0,
            0,
            0,
            0,
            1000,
            0,
            failures(1000),
            true,
            Duration.ofSeconds(60),
            false);

    String s = r.toString();
    assertThat(s)
        .isEqualTo(
            "BroadcastReport[nightly: listed 1000: delivered 0, gone 0 (removed 0), failed 1000, "
                + "skipped 0, already done 0, in 60.0 s; 1000 not delivered listed, truncated]");
    assertThat(s)
        .doesNotContain("conversation-")
        .doesNotContain("service error")
        .hasSizeLessThan(200);
  }
}
