package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.activity.Activity;
import dev.beckon.cli.config.ConfiguredQueue;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code beckon worker} and {@code beckon deliveries}, in process ({@link BeckonCli#execute}) on
 * real queues: in memory (a third party's provider), JDBC on H2, SQLite and PostgreSQL, and Redis.
 */
class DeliveriesCliTest {

  static final ObjectMapper M = new ObjectMapper();

  record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : out.strip().lines().toList();
    }
  }

  static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = BeckonCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  static String unique() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** A queue URI of each backend, with a fresh table or key prefix ({@code DIR} the temp dir). */
  static Stream<String> queues() {
    String u = unique();
    return Stream.of(
        "test-memory:q" + u,
        "jdbc:h2:mem:q" + u + ";DB_CLOSE_DELAY=-1#table=cli_q_" + u + "&create",
        "jdbc:sqlite:DIR/queue.db#table=cli_q_" + u + "&create",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres#table=cli_q_" + u + "&create",
        RedisCliTest.redis("cli-q-" + u));
  }

  @ParameterizedTest
  @MethodSource("queues")
  void lifecycle(String queueUri, @TempDir Path dir) throws Exception {
    String queue = queueUri.replace("DIR", dir.toString());
    String store = "test-memory:refs" + unique();
    InMemoryReferenceRepository refs =
        TestMemoryStoreProvider.REPOSITORIES.computeIfAbsent(
            store.substring("test-memory:".length()), n -> new InMemoryReferenceRepository());
    try (FakeConnector connector = FakeConnector.start();
        ConfiguredQueue opened = ConfiguredQueue.open(queue)) {
      DeliveryQueue q = opened.queue();
      List<ConversationReference> saved = new ArrayList<>();
      for (String k : List.of("a", "b", "c", "later")) {
        ConversationReference r =
            SampleReferences.reference("msteams", "a:conv-" + k, "t1")
                .withServiceUrl(connector.serviceUrl());
        saved.add(r);
        Instant due = k.equals("later") ? Instant.now().plusSeconds(3600) : Instant.now();
        assertThat(q.schedule(r.key(), Activity.message("hello " + k), due, "report-" + k))
            .isTrue();
      }
      refs.saveAll(saved);

      Run all = execute("deliveries", "list", "--queue", queue, "--json");
      assertThat(all.exit()).as(all.toString()).isZero();
      assertThat(all.lines()).hasSize(4);
      for (String line : all.lines()) {
        JsonNode j = M.readTree(line);
        assertThat(j.get("state").asText()).isEqualTo("PENDING");
        assertThat(j.get("channelId").asText()).isEqualTo("msteams");
      }
      assertThat(all.err()).contains("4 delivery(ies)").doesNotContain("--cursor");

      // keyset pages: two of two, the cursor printed on stderr
      Run first = execute("deliveries", "list", "--queue", queue, "--limit", "2");
      assertThat(first.lines()).hasSize(2);
      String cursor = first.err().replaceAll("(?s).*--cursor (\\S+).*", "$1").strip();
      assertThat(cursor).startsWith("d1.");
      Run second =
          execute("deliveries", "list", "--queue", queue, "--limit", "2", "--cursor", cursor);
      Set<String> keys = new HashSet<>();
      for (String l : first.lines()) {
        keys.add(l.substring(0, l.indexOf('\t')));
      }
      for (String l : second.lines()) {
        keys.add(l.substring(0, l.indexOf('\t')));
      }
      assertThat(keys)
          .containsExactlyInAnyOrder("report-a", "report-b", "report-c", "report-later");
      assertThat(execute("deliveries", "list", "--queue", queue, "--limit", "1", "--all").lines())
          .hasSize(4);

      // cancel: pending only
      Run cancelled = execute("deliveries", "cancel", "--queue", queue, "report-later");
      assertThat(cancelled.exit()).as(cancelled.toString()).isZero();
      Run again = execute("deliveries", "cancel", "--queue", queue, "report-later");
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("has ended CANCELLED");
      assertThat(execute("deliveries", "cancel", "--queue", queue, "nosuch").exit()).isEqualTo(3);
      Run byState = execute("deliveries", "list", "--queue", queue, "--state", "cancelled");
      assertThat(byState.lines()).hasSize(1).allMatch(l -> l.startsWith("report-later\tCANCELLED"));

      // the worker: a and b delivered, c's conversation blocked the bot (GONE)
      connector.failNext(
          "a:conv-c", FakeConnector.Fault.teamsError(403, "ConversationBlockedByUser"));
      Run worker = execute("worker", "--store", store, "--queue", queue, "--anonymous", "--drain");
      assertThat(worker.exit()).as(worker.toString()).isZero();
      assertThat(worker.out())
          .contains("claimed 3, delivered 2, gone 1, failed 0, unknown 0, dead 0, retried 0");
      assertThat(worker.err()).contains("[worker] delivered 2  gone 1  failed 0");
      assertThat(connector.activities("a:conv-a"))
          .extracting(Activity::text)
          .containsExactly("hello a");

      Run status = execute("deliveries", "status", "--queue", queue, "report-a", "--json");
      assertThat(status.exit()).as(status.toString()).isZero();
      JsonNode a = M.readTree(status.out());
      assertThat(a.get("state").asText()).isEqualTo("DELIVERED");
      assertThat(a.get("attempts").asInt()).isEqualTo(1);
      assertThat(a.get("activityId").asText()).isNotBlank();
      assertThat(execute("deliveries", "status", "--queue", queue, "report-c").out())
          .contains("state:        GONE");
      assertThat(execute("deliveries", "status", "--queue", queue, "nosuch").exit()).isEqualTo(3);

      // retry: an ended failure only, its attempts reset
      Run notRetried = execute("deliveries", "retry", "--queue", queue, "report-a");
      assertThat(notRetried.exit()).isEqualTo(1);
      assertThat(notRetried.err()).contains("is DELIVERED");
      Run retried = execute("deliveries", "retry", "--queue", queue, "report-c");
      assertThat(retried.exit()).as(retried.toString()).isZero();
      assertThat(retried.out()).contains("attempts reset to 0");
      JsonNode c =
          M.readTree(execute("deliveries", "status", "--queue", queue, "report-c", "--json").out());
      assertThat(c.get("state").asText()).isEqualTo("PENDING");
      assertThat(c.get("attempts").asInt()).isZero();
      assertThat(execute("deliveries", "retry", "--queue", queue, "nosuch").exit()).isEqualTo(3);

      // purge: the ended ones (a, b, later), not the pending c
      Run kept = execute("deliveries", "purge", "--queue", queue, "--older-than", "1h");
      assertThat(kept.out()).contains("purged 0 ");
      Thread.sleep(5); // the ended rows' last change is now strictly before the cut-off
      Run purged = execute("deliveries", "purge", "--queue", queue, "--older-than", "0s");
      assertThat(purged.exit()).as(purged.toString()).isZero();
      assertThat(purged.out()).contains("purged 3 ended delivery(ies)");
      assertThat(execute("deliveries", "list", "--queue", queue).lines())
          .hasSize(1)
          .allMatch(l -> l.startsWith("report-c\tPENDING"));
    }
  }

  @Test
  void workerRunsUntilStoppedAndStopsGracefully() {
    String queue = "test-memory:q" + unique();
    Run r =
        execute(
            "worker",
            "--store",
            "test-memory:refs",
            "--queue",
            queue,
            "--anonymous",
            "--run-for",
            "300ms",
            "--concurrency",
            "4",
            "--name",
            "cli-test");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).contains("[worker] cli-test on test-memory queue", "concurrency 4");
    assertThat(r.out()).contains("worker cli-test stopped: claimed 0");
  }

  /** {@code DIR} is the test's folder. */
  static Stream<Arguments> badUsage() {
    String q = "--queue test-memory:q";
    String w = "worker --store test-memory:s --queue test-memory:q --anonymous ";
    return Stream.of(
        Arguments.of("deliveries list --queue nosuch:x", "scheme"),
        Arguments.of("deliveries list", "--queue"),
        Arguments.of("deliveries list --queue jdbc:", "names no JDBC driver"),
        Arguments.of("deliveries list --queue jdbc:nosuch:x", "no JDBC driver"),
        Arguments.of("deliveries list --queue jdbc:sqlite:DIR/q.db#oops", "oops"),
        Arguments.of("deliveries list --queue jdbc:sqlite:DIR/q.db#table=bad-name", "tableName"),
        Arguments.of("deliveries list --queue redis://127.0.0.1:99999/x", "65535"),
        Arguments.of("deliveries list --queue redis://127.0.0.1/x?colour=blue", "colour"),
        Arguments.of("deliveries list --queue redis://127.0.0.1/bad!prefix", "key prefix"),
        Arguments.of("deliveries list --queue redis://127.0.0.1/x?group=a*b", "group"),
        Arguments.of("deliveries list " + q + " --limit 0", "--limit"),
        Arguments.of("deliveries list " + q + " --limit 1001", "--limit"),
        Arguments.of("deliveries list " + q + " --limit 99999999999999999999", "--limit"),
        Arguments.of("deliveries list " + q + " --state EXPLODED", "--state"),
        Arguments.of("deliveries list " + q + " --cursor garbage", "cursor"),
        Arguments.of("deliveries list " + q + " --cursor d1." + "G".repeat(64), "cursor"),
        Arguments.of("deliveries purge " + q, "--older-than"),
        Arguments.of("deliveries purge " + q + " --older-than 7days", "not a duration"),
        Arguments.of("deliveries purge " + q + " --older-than -1d", "--older-than"),
        Arguments.of("deliveries purge " + q + " --older-than 99999999999999d", "not a duration"),
        Arguments.of("deliveries purge " + q + " --older-than 4000d", "out of range"),
        Arguments.of("deliveries purge " + q + " --older-than P-1D", "out of range"),
        Arguments.of("deliveries purge " + q + " --older-than " + "9".repeat(5000), "duration"),
        Arguments.of("deliveries status " + q + " " + "k".repeat(600), "delivery key"),
        Arguments.of("deliveries cancel " + q + " a\u0001b", "delivery key"),
        Arguments.of("deliveries retry " + q + " k --in lots", "--in"),
        Arguments.of("deliveries status " + q, "KEY"),
        Arguments.of("deliveries", "subcommand"),
        Arguments.of(w + "--concurrency 0", "--concurrency"),
        Arguments.of(w + "--concurrency 1001", "--concurrency"),
        Arguments.of(w + "--lease 0s", "--lease"),
        Arguments.of(w + "--lease 2h", "--lease"),
        Arguments.of(w + "--grace forever", "--grace"),
        Arguments.of(w + "--drain --run-for 1s", "exclude"),
        Arguments.of(w + "--name " + "n".repeat(65), "--name"),
        Arguments.of("worker --queue test-memory:q --anonymous", "--store"),
        Arguments.of("worker --store test-memory:s --queue test-memory:q", "--anonymous"));
  }

  @ParameterizedTest
  @MethodSource("badUsage")
  void badUsageExits2NamingWhatWasWrong(String args, String named, @TempDir Path dir) {
    Run r = execute(args.replace("DIR", dir.toString()).split(" ", -1));
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).contains(named);
    assertThat(r.err().length()).as("one bounded message").isLessThan(3000);
  }

  static final String MARKER = "Sekr3tMarker9";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deliveries list --queue redis://:" + MARKER + "@127.0.0.1:1/x",
        "deliveries list --queue redis://user:" + MARKER + "@127.0.0.1:99999/x",
        "deliveries list --queue jdbc:postgresql://127.0.0.1:5432/nosuchdb?user=nobody&password="
            + MARKER,
        "deliveries status --queue jdbc:postgresql://nobody:" + MARKER + "@127.0.0.1:5432/x k",
        "deliveries list --queue test-memory:q;queueKey=" + MARKER + ";fail",
        "deliveries list --queue test-memory:q;queueKey=" + MARKER + ";oops=1;fail",
        "worker --store test-memory:s;testKey="
            + MARKER
            + " --queue test-memory:q;queueKey="
            + MARKER
            + " --anonymous --drain",
        "worker --store test-memory:s --queue nosuch://u:" + MARKER + "@h/x --anonymous --drain"
      })
  void secretsAreNeverPrinted(String args) {
    Run r = execute(args.split(" ", -1));
    assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(MARKER).isNotBlank();
  }

  @Test
  void helpNamesEveryQueueBackend() {
    Run r = execute("deliveries", "list", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("jdbc:<driver url>")
        .contains("redis://")
        .contains("test-memory:")
        .contains("PENDING, DELIVERED, GONE, FAILED, UNKNOWN, DEAD, CANCELLED");
    Run completion = execute("generate-completion");
    assertThat(completion.out()).contains("worker").contains("deliveries").contains("purge");
  }
}
