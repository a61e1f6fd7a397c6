package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ConversationReference;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The CLI speaks CLI: options instead of Java methods, the real cause, what a re-run did. */
class CliMessagesTest {

  private static JdbcReferenceRepository sqlite(Path db) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + db);
    JdbcReferenceRepository repo = JdbcReferenceRepository.builder(ds).build();
    repo.createSchema();
    return repo;
  }

  @Test
  void anUntrustedHostIsExplainedWithTheTrustHostOption(@TempDir Path dir) throws Exception {
    JdbcReferenceRepository repo = sqlite(dir.resolve("refs.db"));
    repo.save(
        SampleReferences.reference("msteams", "a:untrusted", "t1")
            .withServiceUrl("https://bot.example.com/amer/"));
    CliProcess.Result r =
        CliProcess.run(
            null,
            "send",
            "--store",
            "jdbc:sqlite:" + dir.resolve("refs.db"),
            "--channel",
            "msteams",
            "--conversation",
            "a:untrusted",
            "--text",
            "hi",
            "--anonymous");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .as(r.toString())
        .contains("--trust-host")
        .doesNotContain("withTrustedHost")
        .doesNotContain("TrustPolicy");
  }

  @Test
  void coreAdviceIsRewordedAtOnePlace() {
    assertThat(
            BeckonCli.speak(
                "host x.example is not a trusted Bot Framework host; if it is yours, trust it with "
                    + "TrustPolicy.publicCloud().withTrustedHost(\"x.example\")"))
        .endsWith("trust it with --trust-host x.example");
    assertThat(
            BeckonCli.speak(
                "unless the host is trusted explicitly with withTrustedHost(\"localhost\")"))
        .endsWith("with --trust-host localhost");
  }

  @Test
  void wrappersAreUnwrappedAtOnePlace() {
    Throwable wrapped =
        new CompletionException(
            new java.util.concurrent.ExecutionException(
                new IllegalStateException("the real cause\nsecond line")));
    assertThat(BeckonCli.describe(wrapped)).isEqualTo("the real cause");
    assertThat(BeckonCli.exitCode(new CompletionException(new BeckonCli.CliFailure(3, "x"))))
        .isEqualTo(3);
  }

  @Test
  void aBroadcastFailingInsideTheRunnerShowsTheCauseNotCompletionException(@TempDir Path dir)
      throws Exception {
    CliProcess.Result r =
        CliProcess.run(
            null,
            "broadcast",
            "--store",
            "jdbc:sqlite:" + dir.resolve("none.db"),
            "--text",
            "hi",
            "--anonymous",
            "--no-count");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .as(r.toString())
        .doesNotContain("CompletionException")
        .containsPattern(
            "\nbeckon: Broadcast .* stopped: .*beckon_references.*"
                + java.util.regex.Pattern.quote(BeckonCli.CREATE_HINT));
  }

  @Test
  void aReRunOfAFinishedBroadcastIdSaysSo(@TempDir Path dir) throws Exception {
    try (FakeConnector connector = FakeConnector.start()) {
      JdbcReferenceRepository repo = sqlite(dir.resolve("refs.db"));
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        refs.add(
            SampleReferences.reference("msteams", "a:once-" + i, "t1")
                .withServiceUrl(connector.serviceUrl()));
      }
      repo.saveAll(refs);
      String[] args = {
        "broadcast",
        "--store",
        "jdbc:sqlite:" + dir.resolve("refs.db"),
        "--text",
        "once",
        "--anonymous",
        "--id",
        "spring-sale",
        "--checkpoint-dir",
        dir.resolve("cp").toString()
      };
      CliProcess.Result first = CliProcess.run(null, args);
      assertThat(first.exit()).as(first.toString()).isZero();
      assertThat(first.out()).contains("delivered 5").doesNotContain("already finished");
      CliProcess.Result again = CliProcess.run(null, args);
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(again.out())
          .as(again.toString())
          .contains("broadcast spring-sale already finished")
          .contains("nothing was sent again")
          .contains("new --id");
      assertThat(connector.requests()).hasSize(5);
    }
  }

  @Test
  void tableAndCreateCombineInOneFragment(@TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("in.jsonl"), DynamoDbCliTest.V4 + "\n");
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    CliProcess.Result imp =
        CliProcess.run(
            null,
            "import",
            "--store",
            store + "#table=mine&create",
            dir.resolve("in.jsonl").toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();
    CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", store + "#table=mine");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.err()).contains("1 reference(s)");
    CliProcess.Result help = CliProcess.run(null, "refs", "list", "--help");
    assertThat(help.out()).contains("--store");
  }
}
