package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ConversationReference;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** {@code beckon send} and {@code beckon broadcast} as real processes against the FakeConnector. */
class SendAndBroadcastCliTest {

  @Test
  void sendAndBroadcast(@TempDir Path dir) throws Exception {
    try (FakeConnector connector = FakeConnector.start()) {
      Path db = dir.resolve("refs.db");
      SQLiteDataSource ds = new SQLiteDataSource();
      ds.setUrl("jdbc:sqlite:" + db);
      JdbcReferenceRepository repo = JdbcReferenceRepository.builder(ds).build();
      repo.createSchema();
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        refs.add(
            SampleReferences.reference("msteams", "a:cli-" + i, "t1")
                .withServiceUrl(connector.serviceUrl()));
      }
      repo.saveAll(refs);
      String store = "jdbc:sqlite:" + db;

      CliProcess.Result sent =
          CliProcess.run(
              null,
              "send",
              "--store",
              store,
              "--channel",
              "msteams",
              "--conversation",
              "a:cli-0",
              "--text",
              "hello from the CLI",
              "--anonymous");
      assertThat(sent.exit()).as(sent.toString()).isZero();
      assertThat(sent.out()).contains("delivered (activity");
      assertThat(connector.activities("a:cli-0"))
          .extracting(a -> a.text())
          .containsExactly("hello from the CLI");

      Path card = dir.resolve("card.json");
      Files.writeString(
          card,
          "{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"Build failed\"}]}");
      CliProcess.Result cardSent =
          CliProcess.run(
              null,
              "send",
              "--store",
              store,
              "--channel",
              "msteams",
              "--conversation",
              "a:cli-1",
              "--card",
              card.toString(),
              "--anonymous");
      assertThat(cardSent.exit()).as(cardSent.toString()).isZero();
      assertThat(connector.requests().get(1).body())
          .contains("application/vnd.microsoft.card.adaptive")
          .contains("Build failed");

      CliProcess.Result missing =
          CliProcess.run(
              null,
              "send",
              "--store",
              store,
              "--channel",
              "msteams",
              "--conversation",
              "nobody",
              "--text",
              "x",
              "--anonymous");
      assertThat(missing.exit()).isEqualTo(3);
      CliProcess.Result noAuth =
          CliProcess.run(
              null,
              "send",
              "--store",
              store,
              "--channel",
              "msteams",
              "--conversation",
              "a:cli-0",
              "--text",
              "x");
      assertThat(noAuth.exit()).isEqualTo(2);
      assertThat(noAuth.err()).contains("--anonymous");

      connector.failNext(
          "a:cli-5", FakeConnector.Fault.teamsError(403, "ConversationBlockedByUser"));
      CliProcess.Result b =
          CliProcess.run(
              null,
              "broadcast",
              "--store",
              store,
              "--channel",
              "msteams",
              "--text",
              "maintenance tonight",
              "--anonymous",
              "--rate",
              "200",
              "--remove-gone");
      assertThat(b.exit()).as(b.toString()).isZero();
      assertThat(b.out()).contains("listed 30: delivered 29, gone 1 (removed 1), failed 0");
      assertThat(b.err())
          .as("the live line: bar, done of the 30 counted first, ETA")
          .contains("[broadcast] [")
          .contains("/30  sent ")
          .contains("ETA ");
      assertThat(repo.find(dev.beckon.reference.ReferenceKey.of("msteams", "a:cli-5"))).isEmpty();
    }
  }
}
