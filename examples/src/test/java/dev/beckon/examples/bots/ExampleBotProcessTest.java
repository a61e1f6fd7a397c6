package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.examples.ExampleJvm;
import dev.beckon.testkit.FakeConnector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example bots' {@code main}s as real processes, configured only by environment variables. */
class ExampleBotProcessTest {

  private static ProcessBuilder example(String mainClass, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = ExampleJvm.command(mainClass).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("BECKON_") || k.startsWith("MICROSOFT_APP"));
    pb.environment().putAll(env);
    return pb;
  }

  @Test
  void theReminderBotRunsOnTheStoreItsEnvironmentNamesAndSpeaksFirst(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("bot.db");
    try (FakeConnector channel = FakeConnector.start()) {
      Process p =
          example(
                  "dev.beckon.examples.bots.ReminderBot",
                  Map.of("BECKON_STORE", "jdbc:sqlite:" + db + "#create", "BECKON_PORT", "0"))
              .start();
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
      reader.start();
      try {
        String endpoint = null;
        StringBuilder seen = new StringBuilder();
        while (endpoint == null) {
          String line = lines.poll(60, TimeUnit.SECONDS);
          assertThat(line)
              .as("the bot announces its endpoint; printed so far:\n" + seen)
              .isNotNull();
          seen.append(line).append('\n');
          if (line.startsWith("listening on ")) {
            endpoint = line.substring("listening on ".length());
          }
        }
        assertThat(seen)
            .contains("== Beckon example: reminder bot ==")
            .contains("store: jdbc jdbc:sqlite:")
            .contains("mode: anonymous");
        String activity =
            "{\"type\":\"message\",\"id\":\"m1\",\"channelId\":\"emulator\",\"serviceUrl\":\""
                + channel.serviceUrl()
                + "\",\"from\":{\"id\":\"u1\",\"name\":\"Ada\"},\"recipient\":{\"id\":\"bot\"},"
                + "\"conversation\":{\"id\":\"proc-conv\"},\"text\":\"remind me in 1 second to stand up\"}";
        int status =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(endpoint))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(activity))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (channel.activities("proc-conv").size() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(channel.activities("proc-conv"))
            .extracting(a -> a.text())
            .containsExactly(
                "OK — in 1 second I'll remind you to stand up.", "⏰ Reminder: stand up");
      } finally {
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      }
      assertThat(db).exists();
    }
  }

  @Test
  void aBadConfigurationPrintsOneLineAndExits2() throws Exception {
    Process p =
        example("dev.beckon.examples.bots.ReminderBot", Map.of("BECKON_PORT", "http")).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out.strip())
        .isEqualTo("Beckon example: reminder bot: BECKON_PORT must be a port number, not 'http'");
  }

  @Test
  void theWebhookBotRefusesToStartWithoutASecret(@TempDir Path dir) throws Exception {
    Process p =
        example(
                "dev.beckon.examples.bots.WebhookTriggerBot",
                Map.of(
                    "BECKON_STORE",
                    "jdbc:sqlite:" + dir.resolve("w.db") + "#create",
                    "BECKON_PORT",
                    "0"))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out.strip())
        .endsWith("BECKON_WEBHOOK_SECRET must be set to a secret of at least 16 characters");
  }
}
