package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code beckon import --format agents} and {@code beckon export --format agents}, in process, over
 * a SQLite store: the Agents SDK fixtures as a FileStorage state.json with other state and hostile
 * items.
 */
class AgentsImportExportCliTest {

  static final ObjectMapper M = new ObjectMapper();
  static final Path FIXTURES =
      Path.of("..", "core", "src", "test", "resources", "fixtures", "agents-js");
  static final String[] NAMES = {
    "01-emulator-message",
    "02-teams-personal-message",
    "03-teams-channel-thread-message",
    "07-directline-conversation-update"
  };

  record Run(int exit, String out, String err) {}

  static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = BeckonCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  static ObjectNode stateJson() throws Exception {
    ObjectNode state = M.createObjectNode();
    state.set("conversation/msteams/x", M.readTree("{\"turn\":1}"));
    for (String n : NAMES) {
      state.setAll(
          (ObjectNode)
              M.readTree(FIXTURES.resolve("proactive-conversation/" + n + ".json").toFile()));
    }
    return state;
  }

  @Test
  void stateJsonImportsAndExportsBack(@TempDir Path dir) throws Exception {
    ObjectNode state = stateJson();
    state.set(
        "proactive/conversations/evil",
        M.readTree(
            "{\"reference\":{\"conversation\":{\"id\":\"other\"},\"channelId\":\"x\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":\"a\"}}"));
    state.set("proactive/conversations/\u001b[2Jnoaud", M.readTree("{\"reference\":{}}"));
    Path in = dir.resolve("state.json");
    Files.writeString(in, state.toPrettyString());
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");

    Run strict =
        execute(
            "import",
            "--store",
            store + "#create",
            "--format",
            "agents",
            "--strict",
            in.toString());
    assertThat(strict.exit()).as(strict.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(strict.err()).contains("nothing was imported");
    Run none = execute("refs", "list", "--store", store + "#create", "--limit", "0");
    assertThat(none.err()).as(none.toString()).contains("0 reference(s)");

    Run r = execute("import", "--store", store + "#create", "--format", "agents", in.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("imported 4 reference(s)")
        .contains("skipped 2")
        .contains("ignored 1 key");
    assertThat(r.err())
        .contains("skipped proactive/conversations/evil: reference.conversation.id")
        .contains("\\u001b[2Jnoaud")
        .doesNotContain("\u001b");

    Path out = dir.resolve("export.json");
    Run e = execute("export", "--store", store, "--format", "agents", "-o", out.toString());
    assertThat(e.exit()).as(e.toString()).isZero();
    assertThat(e.err()).contains("exported 4");
    JsonNode exported = M.readTree(out.toFile());
    for (String n : NAMES) {
      JsonNode fixture =
          M.readTree(FIXTURES.resolve("proactive-conversation/" + n + ".json").toFile());
      String key = fixture.fieldNames().next();
      assertThat(exported.get(key).get("reference"))
          .as(n)
          .isEqualTo(fixture.get(key).get("reference"));
      assertThat(exported.get(key).get("claims")).isEqualTo(fixture.get(key).get("claims"));
    }
    // and the export imports again, as Agents SDK state
    Run again =
        execute(
            "import",
            "--store",
            "jdbc:sqlite:" + dir.resolve("b.db") + "#create",
            "--format",
            "agents",
            out.toString());
    assertThat(again.out()).as(again.toString()).contains("imported 4 reference(s)");
  }

  @Test
  void notJsonIsRefusedAndAReferenceWithoutClaimsNeedsAnAppId(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "not json");
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    Run r = execute("import", "--store", store + "#create", "--format", "agents", bad.toString());
    assertThat(r.exit()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(r.err()).contains("nothing was imported");
    Run missing =
        execute(
            "import",
            "--store",
            store + "#create",
            "--format",
            "agents",
            dir.resolve("nope.json").toString());
    assertThat(missing.exit()).isEqualTo(BeckonCli.BAD_INPUT);

    Path jsonl = dir.resolve("refs.jsonl");
    Files.writeString(
        jsonl,
        M.readTree(
                    FIXTURES
                        .resolve("conversation-reference/02-teams-personal-message.json")
                        .toFile())
                .toString()
            + "\n");
    assertThat(execute("import", "--store", store + "#create", jsonl.toString()).exit()).isZero();
    Run skipped = execute("export", "--store", store, "--format", "agents");
    assertThat(skipped.err()).contains("no app id").contains("exported 0");
    Run withApp = execute("export", "--store", store, "--format", "agents", "--app-id", "app-x");
    JsonNode item = M.readTree(withApp.out()).elements().next();
    assertThat(item.get("claims").get("aud").asText()).isEqualTo("app-x");
    assertThat(item.get("claims").get("tid").asText())
        .isEqualTo("d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70");
    assertThat(item.get("reference").has("agent")).isTrue();
    assertThat(item.get("reference").has("bot")).isFalse();
  }
}
