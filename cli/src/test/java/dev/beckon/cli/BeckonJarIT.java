package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/beckon.jar}, run with {@code java -jar} as an operator would: its
 * manifest, and every store's client working from the one shaded jar (service loaders of the JDBC
 * drivers, the Azure and AWS SDKs).
 */
class BeckonJarIT {

  @Test
  void helpListsEveryCommandAndTheExitCodes() throws Exception {
    CliProcess.Result r = CliProcess.runJar(null, "--help");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Usage: beckon").contains("refs").contains("import").contains("export")
        .contains("migrate").contains("send").contains("broadcast").contains("Exit codes:");
    CliProcess.Result v = CliProcess.runJar(null, "--version");
    assertThat(v.out()).contains("beckon 0.1.0");
  }

  @Test
  void oneJarCarriesReferencesThroughAllFourStores(@TempDir Path dir) throws Exception {
    String n = Long.toString(System.nanoTime() % 1_000_000);
    String sqlite = "jdbc:sqlite:" + dir.resolve("jar.db") + "#create";
    String redis = "redis://" + System.getProperty("beckon.redis.host", "127.0.0.1") + ":"
        + System.getProperty("beckon.redis.port", "6379") + "/jar-it-" + n;
    String azure = AzureTableCliTest.azure("jarit" + n, true);
    String dynamo = DynamoDbCliTest.store("jar_it_" + n, true);

    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      lines.append(DynamoDbCliTest.V4.replace("messageid=1", "messageid=" + i)).append('\n');
    }
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, lines.toString());
    CliProcess.Result imp = CliProcess.runJar(null, "import", "--store", sqlite, in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();

    String[][] hops = {{sqlite, redis}, {redis, azure}, {azure, dynamo}};
    for (String[] hop : hops) {
      CliProcess.Result m = CliProcess.runJar(null, "migrate", "--from", hop[0], "--to", hop[1]);
      assertThat(m.exit()).as(m.toString()).isZero();
      assertThat(m.out()).contains("migrated 12 reference(s)");
    }
    CliProcess.Result list = CliProcess.runJar(null, "refs", "list", "--store", DynamoDbCliTest.store("jar_it_" + n, false),
        "--limit", "0");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.err()).contains("12 reference(s)");
  }
}
