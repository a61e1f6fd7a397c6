package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --table} and {@code --create-table} on every store type, run as real {@code beckon}
 * processes: the table they name is the one the URI syntax names ({@code #table=}, the Redis key
 * prefix, {@code ;Table=}, {@code dynamodb:<table>}), a URI that says otherwise is a usage error,
 * and the enum {@code --format} is checked and offered for completion.
 */
class StoreTableOptionsTest {

  private static final String N = Long.toString(System.nanoTime() % 1_000_000);

  /**
   * Imports one reference with the options, then counts what the URI alone (its own syntax) sees.
   */
  private static void importsIntoTheNamedTable(Path dir, String[] store, String sameTableByUri)
      throws Exception {
    Path in = dir.resolve("one.jsonl");
    Files.writeString(in, DynamoDbCliTest.V4 + "\n");
    String[] args = new String[store.length + 2];
    args[0] = "import";
    System.arraycopy(store, 0, args, 1, store.length);
    args[args.length - 1] = in.toString();
    CliProcess.Result imp = CliProcess.run(null, args);
    assertThat(imp.exit()).as(imp.toString()).isZero();
    assertThat(imp.out()).contains("imported 1 reference(s)");
    CliProcess.Result list =
        CliProcess.run(null, "refs", "list", "--store", sameTableByUri, "--limit", "0");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.err()).contains("1 reference(s)");
  }

  @Test
  void jdbcTableIsTheHashTableOption(@TempDir Path dir) throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("t.db");
    importsIntoTheNamedTable(
        dir, new String[] {"--store", db, "--table", "mine", "--create-table"}, db + "#table=mine");
    CliProcess.Result other =
        CliProcess.run(null, "refs", "list", "--store", db, "--create-table", "--limit", "0");
    assertThat(other.exit()).as(other.toString()).isZero();
    assertThat(other.err()).as("the default table is another one").contains("0 reference(s)");
    CliProcess.Result same =
        CliProcess.run(
            null,
            "refs",
            "list",
            "--store",
            db + "#table=mine&create",
            "--table",
            "mine",
            "--create-table",
            "--limit",
            "0");
    assertThat(same.exit()).as("the same table and creation, said twice: " + same).isZero();
  }

  @Test
  void redisTableIsTheKeyPrefix(@TempDir Path dir) throws Exception {
    String redis =
        "redis://"
            + System.getProperty("beckon.redis.host", "127.0.0.1")
            + ":"
            + System.getProperty("beckon.redis.port", "6379");
    String prefix = "cli-table-" + N;
    importsIntoTheNamedTable(
        dir,
        new String[] {"--store", redis, "--table", prefix, "--create-table"},
        redis + "/" + prefix);
  }

  @Test
  void azureTableIsTheTableKeyOfTheConnectionString(@TempDir Path dir) throws Exception {
    String account = AzureTableCliTest.azure("", false).replace("Table=", "");
    String table = "clitable" + N;
    importsIntoTheNamedTable(
        dir,
        new String[] {"--store", account, "--table", table, "--create-table"},
        AzureTableCliTest.azure(table, false));
  }

  @Test
  void dynamoDbTableMayBeLeftOutOfTheUri(@TempDir Path dir) throws Exception {
    String table = "cli_table_" + N;
    String noTable = DynamoDbCliTest.store("", false);
    assertThat(noTable).startsWith("dynamodb:?");
    importsIntoTheNamedTable(
        dir,
        new String[] {"--store", noTable, "--table", table, "--create-table"},
        DynamoDbCliTest.store(table, false));
  }

  @Test
  void aUriThatNamesAnotherTableIsAUsageError(@TempDir Path dir) throws Exception {
    String redis = "redis://127.0.0.1:6379";
    String[][] conflicts = {
      {"jdbc:sqlite:" + dir.resolve("c.db") + "#table=a&create", "b"},
      {redis + "/a", "b"},
      {AzureTableCliTest.azure("a", false), "b"},
      {DynamoDbCliTest.store("a", false), "b"},
    };
    for (String[] c : conflicts) {
      CliProcess.Result r = CliProcess.run(null, "refs", "list", "--store", c[0], "--table", c[1]);
      assertThat(r.exit()).as(r.toString()).isEqualTo(BeckonCli.BAD_INPUT);
      assertThat(r.err())
          .contains("--table: table b conflicts with the table the store URI names")
          .contains("give the table once")
          .doesNotContain("Eby8vdM02xNOcqFl")
          .doesNotContain("Exception");
    }
    CliProcess.Result no =
        CliProcess.run(
            null,
            "refs",
            "list",
            "--store",
            DynamoDbCliTest.store("a", false) + "&create=false",
            "--create-table");
    assertThat(no.exit()).as(no.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(no.err()).contains("--create-table: the store URI says create=false");
    CliProcess.Result bad =
        CliProcess.run(
            null,
            "refs",
            "list",
            "--store",
            "jdbc:sqlite:" + dir.resolve("c.db"),
            "--table",
            "x&create");
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(bad.err()).contains("--table: 'x&create' is not a table name");
  }

  @Test
  void formatIsAnEnumCheckedAndOfferedForCompletion(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("one.jsonl");
    Files.writeString(in, DynamoDbCliTest.V4 + "\n");
    String db = "jdbc:sqlite:" + dir.resolve("f.db");
    CliProcess.Result upper =
        CliProcess.run(
            null,
            "import",
            "--store",
            db,
            "--create-table",
            "--format",
            "REFERENCE",
            in.toString());
    assertThat(upper.exit()).as(upper.toString()).isZero();
    CliProcess.Result bad =
        CliProcess.run(null, "import", "--store", db, "--format", "yaml", in.toString());
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(bad.err()).contains("--format").contains("'yaml'");
    CliProcess.Result help = CliProcess.run(null, "import", "--help");
    assertThat(help.out())
        .contains("One of: auto, v3, reference, compact")
        .contains("--table=NAME")
        .contains("--create-table");
    CliProcess.Result completion = CliProcess.run(null, "generate-completion");
    assertThat(completion.exit()).as(completion.toString()).isZero();
    assertThat(completion.out())
        .contains("(\"auto\" \"v3\" \"reference\" \"compact\" \"agents\")")
        .contains("'--create-table'")
        .contains("--table");
  }

  @Test
  void migrateCopiesBetweenTwoTablesOfOneDatabase(@TempDir Path dir) throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("m.db");
    importsIntoTheNamedTable(
        dir, new String[] {"--store", db, "--table", "old", "--create-table"}, db + "#table=old");
    CliProcess.Result same =
        CliProcess.run(
            null, "migrate", "--from", db, "--from-table", "old", "--to", db + "#table=old");
    assertThat(same.exit()).as(same.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(same.err()).contains("name the same store");
    CliProcess.Result conflict =
        CliProcess.run(null, "migrate", "--from", db, "--to", db + "#table=a", "--to-table", "b");
    assertThat(conflict.exit()).as(conflict.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(conflict.err()).contains("--to-table: table b conflicts");
    CliProcess.Result m =
        CliProcess.run(
            null,
            "migrate",
            "--from",
            db,
            "--from-table",
            "old",
            "--to",
            db,
            "--to-table",
            "new",
            "--create-table");
    assertThat(m.exit()).as(m.toString()).isZero();
    assertThat(m.out()).contains("migrated 1 reference(s)");
    CliProcess.Result list =
        CliProcess.run(null, "refs", "list", "--store", db + "#table=new", "--limit", "0");
    assertThat(list.err()).as(list.toString()).contains("1 reference(s)");
  }
}
