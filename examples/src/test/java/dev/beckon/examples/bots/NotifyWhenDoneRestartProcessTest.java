package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.examples.ExampleJvm;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.testkit.FakeConnector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The seed's flow, for real (issue 19): the notify-when-done bot as a child JVM is killed with
 * SIGKILL right after "Gotcha", started again on the same SQLite file (references and delivery
 * queue), and "Your report is ready" arrives exactly once.
 */
class NotifyWhenDoneRestartProcessTest {

  /** A running bot process and the lines it prints. */
  private record Bot(Process process, BlockingQueue<String> lines, String endpoint) {

    static Bot start(Path db) throws Exception {
      ProcessBuilder pb =
          ExampleJvm.command("dev.beckon.examples.bots.NotifyWhenDoneBot")
              .redirectErrorStream(true);
      pb.environment()
          .keySet()
          .removeIf(k -> k.startsWith("BECKON_") || k.startsWith("MICROSOFT_APP"));
      pb.environment().put("BECKON_STORE", "jdbc:sqlite:" + db + "#create");
      pb.environment().put("BECKON_PORT", "0");
      pb.environment().put("BECKON_JOB_SECONDS", "1.5");
      Process p = pb.start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  r.lines().forEach(lines::add);
                } catch (java.io.IOException e) {
                  lines.add("read failed: " + e);
                }
              });
      reader.setDaemon(true);
      reader.start();
      String line = awaitLine(lines, "listening on ");
      return new Bot(p, lines, line.substring("listening on ".length()));
    }
  }

  private static String awaitLine(BlockingQueue<String> lines, String prefix)
      throws InterruptedException {
    StringBuilder seen = new StringBuilder();
    while (true) {
      String line = lines.poll(60, TimeUnit.SECONDS);
      assertThat(line)
          .as("a line starting with '" + prefix + "'; printed so far:\n" + seen)
          .isNotNull();
      seen.append(line).append('\n');
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  @Test
  void killedAfterGotchaAndStartedAgainTheReportMessageArrivesExactlyOnce(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("notify.db");
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + db);
    String deliveryKey =
        NotifyWhenDoneBot.deliveryKey(ReferenceKey.of("emulator", "restart-conv"), "m-restart");
    try (FakeConnector channel = FakeConnector.start()) {
      Bot first = Bot.start(db);
      try {
        String activity =
            "{\"type\":\"message\",\"id\":\"m-restart\",\"channelId\":\"emulator\",\"serviceUrl\":\""
                + channel.serviceUrl()
                + "\",\"from\":{\"id\":\"u1\",\"name\":\"Ada\"},\"recipient\":{\"id\":\"bot\"},"
                + "\"conversation\":{\"id\":\"restart-conv\"},\"text\":\"prepare my report\"}";
        int status =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(first.endpoint()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(activity))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(200);
        assertThat(channel.activities("restart-conv"))
            .extracting(Activity::text)
            .containsExactly(NotifyWhenDoneBot.GOTCHA);
      } finally {
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);

      JdbcDeliveryQueue queue = JdbcDeliveryQueue.builder(ds).build();
      DeliveryStatus pending = queue.status(deliveryKey).orElseThrow();
      assertThat(pending.state()).isEqualTo(DeliveryState.PENDING);
      assertThat(pending.attempts()).isZero();
      assertThat(channel.activities("restart-conv")).hasSize(1);

      Bot second = Bot.start(db);
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        DeliveryStatus s = pending;
        while (s.state() == DeliveryState.PENDING && System.nanoTime() < deadline) {
          Thread.sleep(50);
          s = queue.status(deliveryKey).orElseThrow();
        }
        assertThat(s.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(s.attempts()).isEqualTo(1);
        List<Activity> got = channel.activities("restart-conv");
        assertThat(got)
            .extracting(Activity::text)
            .containsExactly(NotifyWhenDoneBot.GOTCHA, NotifyWhenDoneBot.READY);
        assertThat(s.activityId()).isNotBlank();
      } finally {
        second.process().destroy();
        assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      }
      // stopped gracefully: nothing more was sent on the way out
      assertThat(channel.activities("restart-conv")).hasSize(2);
    }
  }
}
