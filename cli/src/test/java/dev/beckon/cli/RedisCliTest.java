package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real Redis (started by scripts/test.sh), and a migrate between two real stores.
 */
class RedisCliTest {

  static String redis(String prefix) {
    String host = System.getProperty("beckon.redis.host", "127.0.0.1");
    String port = System.getProperty("beckon.redis.port", "6379");
    return "redis://" + host + ":" + port + "/" + prefix;
  }

  @Test
  void migrateFromDynamoDbToRedisAndBack(@TempDir Path dir) throws Exception {
    String table = "cli_mig_" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = "beckon-cli-" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 75; i++) {
      lines.append(DynamoDbCliTest.V4.replace("messageid=1", "messageid=" + i)).append('\n');
    }
    lines.append(DynamoDbCliTest.V3).append('\n');
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, lines.toString());
    assertThat(
            CliProcess.run(
                    null, "import", "--store", DynamoDbCliTest.store(table, true), in.toString())
                .exit())
        .isZero();
    CliProcess.Result m =
        CliProcess.run(
            null,
            "migrate",
            "--from",
            DynamoDbCliTest.store(table, false),
            "--to",
            redis(prefix),
            "--page-size",
            "20");
    assertThat(m.exit()).as(m.toString()).isZero();
    assertThat(m.out()).contains("migrated 76 reference(s)");
    CliProcess.Result exported =
        CliProcess.run(null, "export", "--store", redis(prefix), "--channel", "msteams");
    assertThat(exported.exit()).isZero();
    assertThat(exported.out().lines().count()).isEqualTo(75);
    CliProcess.Result del =
        CliProcess.run(
            null,
            "refs",
            "delete",
            "--store",
            redis(prefix),
            "--channel",
            "emulator",
            "--conversation",
            "conv-1|livechat");
    assertThat(del.exit()).as(del.toString()).isZero();
    CliProcess.Result list =
        CliProcess.run(null, "refs", "list", "--store", redis(prefix), "--limit", "0");
    assertThat(list.err()).contains("75 reference(s)");
  }
}
