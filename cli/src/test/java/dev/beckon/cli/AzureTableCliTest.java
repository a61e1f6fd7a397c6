package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud-agnostic story as real processes: Azure Table (Azurite) to DynamoDB (dynalite). */
class AzureTableCliTest {

  static String azure(String table, boolean create) {
    String cs =
        System.getenv()
            .getOrDefault(
                "BECKON_AZURE_CONNECTION_STRING",
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");
    return "azure-table:" + cs + "Table=" + table + (create ? ";Create=true" : "");
  }

  @Test
  void missingTablesNameTheUriOptionThatCreatesThem() throws Exception {
    CliProcess.Result az =
        CliProcess.run(
            null,
            "refs",
            "list",
            "--store",
            azure("nosuch" + System.nanoTime() % 1_000_000, false));
    assertThat(az.exit()).as(az.toString()).isEqualTo(1);
    assertThat(az.err())
        .contains("does not exist")
        .contains("'nosuch")
        .contains(BeckonCli.CREATE_HINT)
        .doesNotContain("AccountKey=Eby8");
    CliProcess.Result dy =
        CliProcess.run(
            null,
            "refs",
            "list",
            "--store",
            DynamoDbCliTest.store("nosuch_" + System.nanoTime() % 1_000_000, false));
    assertThat(dy.exit()).as(dy.toString()).isEqualTo(1);
    assertThat(dy.err()).contains("createTable").contains(BeckonCli.CREATE_HINT);
  }

  @Test
  void migrateFromAzureTableToDynamoDb(@TempDir Path dir) throws Exception {
    String table = "clitest" + System.nanoTime() % 1_000_000;
    String dynamo = "cli_az_" + System.nanoTime() % 1_000_000;
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      lines.append(DynamoDbCliTest.V4.replace("messageid=1", "messageid=" + i)).append('\n');
    }
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, lines.toString());
    CliProcess.Result imp =
        CliProcess.run(null, "import", "--store", azure(table, true), in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();
    CliProcess.Result m =
        CliProcess.run(
            null,
            "migrate",
            "--from",
            azure(table, false),
            "--to",
            DynamoDbCliTest.store(dynamo, true),
            "--page-size",
            "15");
    assertThat(m.exit()).as(m.toString()).isZero();
    assertThat(m.out()).contains("migrated 40 reference(s)");
    CliProcess.Result list =
        CliProcess.run(
            null, "refs", "list", "--store", DynamoDbCliTest.store(dynamo, false), "--limit", "0");
    assertThat(list.err()).contains("40 reference(s)");
    assertThat(list.err()).doesNotContain("AccountKey=Eby8");
  }
}
