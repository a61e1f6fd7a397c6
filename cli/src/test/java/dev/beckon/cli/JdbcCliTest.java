package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on an embedded SQLite file: import, show, a missing table, migrate to Redis. */
class JdbcCliTest {

  @Test
  void sqliteStoreEndToEnd(@TempDir Path dir) throws Exception {
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, DynamoDbCliTest.V3 + "\n" + DynamoDbCliTest.V4 + "\n");

    CliProcess.Result missing = CliProcess.run(null, "refs", "list", "--store", store);
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.err())
        .contains("beckon_references")
        .contains("createSchema")
        .contains(BeckonCli.CREATE_HINT);

    CliProcess.Result imp =
        CliProcess.run(null, "import", "--store", store + "#create", in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();
    CliProcess.Result show =
        CliProcess.run(
            null,
            "refs",
            "show",
            "--store",
            store,
            "--channel",
            "emulator",
            "--conversation",
            "conv-1|livechat");
    assertThat(show.exit()).as(show.toString()).isZero();
    assertThat(show.out()).contains("\"serviceUrl\" : \"http://localhost:8546\"");
    CliProcess.Result stdin =
        CliProcess.run(
            DynamoDbCliTest.V4.replace("messageid=1", "messageid=2") + "\n",
            "import",
            "--store",
            store,
            "-");
    assertThat(stdin.exit()).as(stdin.toString()).isZero();
    CliProcess.Result list =
        CliProcess.run(null, "refs", "list", "--store", store, "--channel", "msteams", "--json");
    assertThat(list.out().lines().count()).isEqualTo(2);
    CliProcess.Result bad = CliProcess.run(null, "refs", "list", "--store", store + "#oops");
    assertThat(bad.exit()).isEqualTo(2);
  }

  @Test
  void aConversationRepeatedInTheFileIsWrittenOnceAndTheLaterLineWins(@TempDir Path dir)
      throws Exception {
    String store = "jdbc:sqlite:" + dir.resolve("dups.db") + "#create";
    String later =
        DynamoDbCliTest.V4.replace(
            "https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/emea/");
    assertThat(later).isNotEqualTo(DynamoDbCliTest.V4);
    Path in = dir.resolve("dups.jsonl");
    Files.writeString(in, DynamoDbCliTest.V4 + "\n" + DynamoDbCliTest.V3 + "\n" + later + "\n");
    CliProcess.Result imp = CliProcess.run(null, "import", "--store", store, in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();
    assertThat(imp.out().strip())
        .isEqualTo(
            "imported 2 reference(s): 1 from v3 cookies, 2 v4 references; "
                + "1 line(s) repeated an earlier conversation (the later line wins)");
    CliProcess.Result list =
        CliProcess.run(null, "refs", "list", "--store", store, "--channel", "msteams");
    assertThat(list.out()).contains("/emea/").doesNotContain("/amer/");
    assertThat(list.err()).contains("1 reference(s)");
  }

  @Test
  void anUnreadableRowIsReportedWithItsKeyAndSkippedByListExportAndMigrate(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("bad.db");
    String store = "jdbc:sqlite:" + db;
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, DynamoDbCliTest.V3 + "\n" + DynamoDbCliTest.V4 + "\n");
    CliProcess.Result imp =
        CliProcess.run(null, "import", "--store", store + "#create", in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(store);
        java.sql.Statement st = c.createStatement()) {
      assertThat(
              st.executeUpdate(
                  "UPDATE beckon_references SET payload = '{\"truncated' WHERE channel_id = 'emulator'"))
          .isEqualTo(1);
    }
    String warning =
        "warning: skipped an unreadable stored reference (channel 'emulator', conversation 'conv-1|livechat')";

    CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", store);
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out().lines().count()).as(list.toString()).isEqualTo(1);
    assertThat(list.err())
        .contains(warning)
        .contains("1 reference(s), 1 unreadable row(s) skipped");

    Path out = dir.resolve("out.jsonl");
    CliProcess.Result export =
        CliProcess.run(null, "export", "--store", store, "-o", out.toString());
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(1);
    assertThat(export.err())
        .contains(warning)
        .contains("exported 1 reference(s), 1 unreadable row(s) skipped");

    String target = "jdbc:sqlite:" + dir.resolve("target.db") + "#create";
    CliProcess.Result migrate = CliProcess.run(null, "migrate", "--from", store, "--to", target);
    assertThat(migrate.exit()).as(migrate.toString()).isZero();
    assertThat(migrate.err()).contains(warning);
    assertThat(migrate.out())
        .contains("migrated 1 reference(s)")
        .contains("1 unreadable row(s) not copied");

    CliProcess.Result show =
        CliProcess.run(
            null,
            "refs",
            "show",
            "--store",
            store,
            "--channel",
            "emulator",
            "--conversation",
            "conv-1|livechat");
    assertThat(show.exit()).as(show.toString()).isNotZero();
    assertThat(show.err()).contains("unreadable").contains("conv-1|livechat");
  }
}
