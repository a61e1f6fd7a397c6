package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real DynamoDB API (dynalite, started by scripts/test.sh), as child processes.
 */
class DynamoDbCliTest {

  static String endpoint() {
    String p =
        System.getProperty("beckon.dynamodb.endpoint", System.getenv("BECKON_DYNAMODB_ENDPOINT"));
    return p == null || p.isBlank() ? "http://127.0.0.1:4567" : p;
  }

  static String store(String table, boolean create) {
    return "dynamodb:"
        + table
        + "?region=us-east-1&endpoint="
        + endpoint()
        + (create ? "&create=true" : "");
  }

  static final String V3 =
      "{\"address\":{\"botId\":\"b\",\"channelId\":\"emulator\",\"userId\":\"u1\","
          + "\"conversationId\":\"conv-1|livechat\",\"serviceUrl\":\"http://localhost:8546\"},\"userName\":\"User\","
          + "\"isTrustedServiceUrl\":true,\"isGroup\":false}";
  static final String V4 =
      "{\"conversation\":{\"id\":\"19:abc@thread.tacv2;messageid=1\",\"isGroup\":true,"
          + "\"tenantId\":\"t1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\"}";

  @Test
  void importListShowExportDeleteRoundTrip(@TempDir Path dir) throws Exception {
    String table = "cli_" + UUID.randomUUID().toString().substring(0, 8);
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, V3 + "\n\n" + V4 + "\n");

    CliProcess.Result imp =
        CliProcess.run(null, "import", "--store", store(table, true), in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();
    assertThat(imp.out()).contains("imported 2 reference(s): 1 from v3 cookies, 1 v4 references");

    CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", store(table, false));
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out())
        .contains("emulator\tconv-1|livechat\tu1\thttp://localhost:8546")
        .contains(
            "msteams\t19:abc@thread.tacv2;messageid=1\t-\thttps://smba.trafficmanager.net/amer/");
    assertThat(list.err()).contains("2 reference(s)");

    CliProcess.Result show =
        CliProcess.run(
            null,
            "refs",
            "show",
            "--store",
            store(table, false),
            "--channel",
            "msteams",
            "--conversation",
            "19:abc@thread.tacv2;messageid=1");
    assertThat(show.exit()).as(show.toString()).isZero();
    assertThat(show.out()).contains("\"tenantId\" : \"t1\"");

    Path export = dir.resolve("out.jsonl");
    CliProcess.Result exp =
        CliProcess.run(null, "export", "--store", store(table, false), "-o", export.toString());
    assertThat(exp.exit()).as(exp.toString()).isZero();
    assertThat(Files.readAllLines(export)).hasSize(2);

    CliProcess.Result del =
        CliProcess.run(
            null,
            "refs",
            "delete",
            "--store",
            store(table, false),
            "--channel",
            "emulator",
            "--conversation",
            "conv-1|livechat");
    assertThat(del.exit()).as(del.toString()).isZero();
    CliProcess.Result again =
        CliProcess.run(
            null,
            "refs",
            "delete",
            "--store",
            store(table, false),
            "--channel",
            "emulator",
            "--conversation",
            "conv-1|livechat");
    assertThat(again.exit()).as(again.toString()).isEqualTo(3);
    assertThat(again.err()).startsWith("beckon: no reference for channel 'emulator'");
  }

  @Test
  void aBadLineImportsNothing(@TempDir Path dir) throws Exception {
    String table = "cli_" + UUID.randomUUID().toString().substring(0, 8);
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, V4 + "\n" + "{\"address\":{\"channelId\":\"emulator\"}}\n");
    CliProcess.Result imp =
        CliProcess.run(null, "import", "--store", store(table, true), in.toString());
    assertThat(imp.exit()).as(imp.toString()).isEqualTo(2);
    assertThat(imp.err().strip())
        .contains("line 2")
        .contains("address.conversationId")
        .contains("nothing was imported")
        .doesNotContain("\n");
    CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", store(table, true));
    assertThat(list.err()).contains("0 reference(s)");
  }

  @Test
  void migrateCopiesEverythingAndResumes(@TempDir Path dir) throws Exception {
    String from = "cli_from_" + UUID.randomUUID().toString().substring(0, 8);
    String to = "cli_to_" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      lines.append(V4.replace("messageid=1", "messageid=" + i)).append('\n');
    }
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, lines);
    assertThat(CliProcess.run(null, "import", "--store", store(from, true), in.toString()).exit())
        .isZero();
    Path cp = dir.resolve("migrate.checkpoint");
    CliProcess.Result m =
        CliProcess.run(
            null,
            "migrate",
            "--from",
            store(from, false),
            "--to",
            store(to, true),
            "--page-size",
            "50",
            "--checkpoint",
            cp.toString());
    assertThat(m.exit()).as(m.toString()).isZero();
    assertThat(m.out()).contains("migrated 120 reference(s)");
    assertThat(Files.readString(cp)).isEqualTo("done");
    CliProcess.Result again =
        CliProcess.run(
            null,
            "migrate",
            "--from",
            store(from, false),
            "--to",
            store(to, false),
            "--checkpoint",
            cp.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("already finished");
    CliProcess.Result list =
        CliProcess.run(null, "refs", "list", "--store", store(to, false), "--limit", "0");
    assertThat(list.err()).contains("120 reference(s)");
  }

  @Test
  void usageErrorsAreOneLineAndExit2() throws Exception {
    CliProcess.Result r = CliProcess.run(null, "refs", "list", "--store", "ftp://nowhere");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("beckon: unknown store URI scheme");
    CliProcess.Result help = CliProcess.run(null, "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Exit codes:").contains("migrate");
    for (String cmd : new String[] {"refs", "import", "export", "migrate"}) {
      CliProcess.Result h = CliProcess.run(null, cmd, "--help");
      assertThat(h.exit()).as(cmd).isZero();
      assertThat(h.out()).as(cmd).contains("Usage: beckon " + cmd);
    }
  }
}
