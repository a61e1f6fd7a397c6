package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.cli.config.Redactor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No secret of a store URI reaches standard output, standard error or a log line, on any error
 * path: each bad URI carries a marker password and runs as a real {@code beckon} process against
 * the real servers (MariaDB, PostgreSQL, Redis, Azurite, dynalite) or none at all.
 */
class CliSecretsTest {

  static final String MARKER = "S3cr3tMarker";

  private static final String AZURITE = "http://127.0.0.1:10002/devstoreaccount1";

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // MariaDB used to report the password as a port: "Incorrect port value : PW@127.0.0.1"
        "jdbc:mariadb://test:" + MARKER + "@127.0.0.1:3306/test",
        "jdbc:mariadb://127.0.0.1:3306/test?user=test&password=" + MARKER,
        "jdbc:mariadb://test:" + MARKER + "@127.0.0.1:3306/test#oops",
        "jdbc:postgresql://postgres:" + MARKER + "@127.0.0.1:5432/nosuchdb",
        "jdbc:postgresql://127.0.0.1:5432/nosuchdb?user=nobody&password=" + MARKER,
        "jdbc:postgresql://127.0.0.1:99999/test?password=" + MARKER,
        // HikariCP used to print its jdbcUrl= line
        "jdbc:nosuch://u:" + MARKER + "@127.0.0.1/x",
        "jdbc:h2:mem:x;PASSWORD=" + MARKER + ";NOSUCHSETTING=1",
        "jdbc:sqlite:/nonexistent-folder/refs.db?password=" + MARKER,
        // the whole URI used to be printed
        "redis://:" + MARKER + "@127.0.0.1:6379/bad prefix",
        "redis://user:" + MARKER + "^x@127.0.0.1:6379/p",
        "redis://user:" + MARKER + "@127.0.0.1:6379/p",
        "redis://:" + MARKER + "@127.0.0.1:99999/p",
        "rediss://user:" + MARKER + "@127.0.0.1:6379/p",
        "redis://user:" + MARKER + "@/p",
        "azure-table:DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
            + MARKER
            + ";TableEndpoint="
            + AZURITE,
        "azure-table:DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;SharedAccessSignature=sv=2020-08-04&sig="
            + MARKER
            + ";TableEndpoint="
            + AZURITE,
        "azure-table:AccountName=devstoreaccount1;AccountKey=" + MARKER,
        "azure-table:DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
            + MARKER
            + ";TableEndpoint=http://127.0.0.1:1/devstoreaccount1",
        "dynamodb:t?endpoint=http://u:" + MARKER + "@127.0.0.1:4567",
        "dynamodb:t?endpoint=http://127.0.0.1:4567&aws_secret_access_key=" + MARKER,
        "nosuch://u:" + MARKER + "@127.0.0.1/x",
      })
  void noErrorPathPrintsThePassword(String uri, @TempDir Path dir) throws Exception {
    CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", uri);
    assertThat(list.exit()).as(list.toString()).isIn(1, 2);
    assertThat(list.out() + list.err())
        .as(list.toString())
        .doesNotContain(MARKER)
        .contains("beckon: ");

    // a write: import validates the file, then opens the store and writes
    java.nio.file.Files.writeString(dir.resolve("in.jsonl"), DynamoDbCliTest.V4 + "\n");
    CliProcess.Result write =
        CliProcess.run(null, "import", "--store", uri, dir.resolve("in.jsonl").toString());
    assertThat(write.exit()).as(write.toString()).isIn(1, 2);
    assertThat(write.out() + write.err())
        .as(write.toString())
        .doesNotContain(MARKER)
        .contains("beckon: ");
  }

  @Test
  void aMistypedOptionThatEchoesTheUriHidesThePasswordToo() throws Exception {
    CliProcess.Result r =
        CliProcess.run(
            null,
            "refs",
            "list",
            "--store",
            "jdbc:sqlite:x.db",
            "redis://u:" + MARKER + "@127.0.0.1:6379/p");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(MARKER).contains("***");
  }

  @Test
  void theRedactorHidesPatternsAndTheValuesItFoundWhereverTheyReappear() {
    Redactor r = Redactor.of(List.of("jdbc:mariadb://test:" + MARKER + "@127.0.0.1:3306/test"));
    assertThat(r.redact("Incorrect port value : " + MARKER + "@127.0.0.1"))
        .isEqualTo("Incorrect port value : ***@127.0.0.1");
    Redactor none = Redactor.patterns();
    assertThat(none.redact("redis://u:p@ss@h:1/x")).isEqualTo("redis://u:***@h:1/x");
    assertThat(none.redact("AccountName=a;AccountKey=abc+/=;TableEndpoint=x"))
        .isEqualTo("AccountName=a;AccountKey=***;TableEndpoint=x");
    assertThat(none.redact("?user=u&password=pw&x=1")).isEqualTo("?user=u&password=***&x=1");
    assertThat(none.redact("a pwd = secret1; b")).isEqualTo("a pwd = ***; b");
    assertThat(none.redact("x?sv=1&sig=abc%2F&se=2")).isEqualTo("x?sv=1&sig=***&se=2");
    assertThat(none.redact("jdbc:m://h/db?password=pw: failed"))
        .isEqualTo("jdbc:m://h/db?password=***: failed");
    assertThat(none.redact("design=ok nosig=x"))
        .as("only whole names")
        .isEqualTo("design=ok nosig=x");
    assertThat(Redactor.of(List.of("redis://u:p%40ss%2Fword@h")).redact("p@ss/word"))
        .isEqualTo("***");
    assertThat(ConfiguredStore.redact("redis://:" + MARKER + "@h:1/bad prefix"))
        .doesNotContain(MARKER);
  }
}
