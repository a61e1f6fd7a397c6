package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exit code 2 means bad usage, configuration or input, with a message naming what was wrong, and
 * nothing written: each case runs as a real {@code beckon} process. (Each used to exit 1, or 0 for
 * {@code --limit -1}.)
 */
class CliExitCodesTest {

  /** {@code STORE} in the arguments is replaced by an SQLite store in the test's folder. */
  static Stream<Arguments> badUsage() {
    return Stream.of(
        Arguments.of(
            "broadcast --store STORE --text hi --anonymous --concurrency 0", "--concurrency"),
        Arguments.of(
            "broadcast --store STORE --text hi --anonymous --concurrency 5000", "--concurrency"),
        Arguments.of("broadcast --store STORE --text hi --anonymous --rate 0", "--rate"),
        Arguments.of("broadcast --store STORE --text hi --anonymous --rate -5", "--rate"),
        Arguments.of("broadcast --store STORE --text hi --anonymous --rate lots", "--rate"),
        Arguments.of(
            "broadcast --store STORE --text hi --anonymous --id bad/id --checkpoint-dir DIR",
            "--id"),
        Arguments.of(
            "broadcast --store STORE --text hi --anonymous --id spring-sale", "--checkpoint-dir"),
        Arguments.of(
            "migrate --from STORE --to jdbc:sqlite:DIR/other.db --checkpoint DIR/garbage.txt",
            "checkpoint"),
        Arguments.of(
            "migrate --from STORE --to jdbc:sqlite:DIR/other.db --page-size 0", "--page-size"),
        Arguments.of("migrate --from STORE --to STORE", "same store"),
        Arguments.of(
            "migrate --from jdbc:sqlite:DIR/refs.db --to jdbc:sqlite:DIR/./refs.db#create",
            "same store"),
        Arguments.of(
            "migrate --from redis://127.0.0.1/beckon --to REDIS://127.0.0.1:6379", "same store"),
        Arguments.of("export --store STORE -o DIR/no/such/folder/out.jsonl", "does not exist"),
        Arguments.of("export --store STORE -o DIR", "folder"),
        Arguments.of("refs list --store STORE --limit -1", "--limit"),
        Arguments.of("refs list --store jdbc:", "names no JDBC driver"),
        Arguments.of("refs list --store jdbc:nosuch:whatever", "no JDBC driver"),
        Arguments.of("refs list --store jdbc:postgresql://127.0.0.1:99999/test", "65535"),
        Arguments.of("refs list --store redis://127.0.0.1:99999", "65535"),
        Arguments.of("refs list --store dynamodb:t?endpoint=http://127.0.0.1:99999", "65535"),
        Arguments.of(
            "refs list --store dynamodb:t?endpoint=http://127.0.0.1:4567&colour=blue", "colour"),
        Arguments.of("refs list --store nosuch:x", "scheme"),
        Arguments.of("refs list --store STORE#table=x&oops", "oops"),
        Arguments.of("import --store STORE --format yaml DIR/in.jsonl", "--format"),
        Arguments.of("import --store STORE DIR/missing.jsonl", "cannot read"),
        Arguments.of("refs", "subcommand"),
        Arguments.of("refs list --store STORE --nosuch", "--nosuch"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUsage")
  void exitsTwoNamingTheProblem(String command, String named, @TempDir Path dir) throws Exception {
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    CliProcess.Result init = CliProcess.run(null, "refs", "list", "--store", store + "#create");
    assertThat(init.exit()).as(init.toString()).isZero();
    Files.writeString(dir.resolve("garbage.txt"), "not a cursor \u0001\u0002");
    Files.writeString(dir.resolve("in.jsonl"), DynamoDbCliTest.V4 + "\n");
    List<String> args = new ArrayList<>();
    for (String a : command.split(" ", -1)) {
      args.add(a.replace("STORE", store).replace("DIR", dir.toString()));
    }
    CliProcess.Result r = CliProcess.run(null, args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .as(r.toString())
        .contains("beckon: ")
        .contains(named)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(Files.exists(dir.resolve("other.db")) ? Files.size(dir.resolve("other.db")) : 0L)
        .as("nothing written to a target")
        .isZero();
  }
}
