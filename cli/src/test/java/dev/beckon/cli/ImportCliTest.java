package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.ReferenceDocument;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code beckon import} is all or nothing, as a real process: adversarial files are refused with
 * nothing written.
 */
class ImportCliTest {

  static final String V4 = DynamoDbCliTest.V4;
  static final String OTHER = V4.replace("messageid=1", "messageid=2");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static CliProcess.Result count(String store) throws Exception {
    return CliProcess.run(null, "refs", "list", "--store", store + "#create", "--limit", "0");
  }

  @Test
  void aReferenceOverThe32KibLimitAfterManyGoodLinesWritesNothing(@TempDir Path dir)
      throws Exception {
    Path in = dir.resolve("in.jsonl");
    try (OutputStream out = Files.newOutputStream(in)) {
      for (int i = 0; i < 3000; i++) {
        out.write(utf8(V4.replace("messageid=1", "messageid=" + i) + "\n"));
      }
      out.write(
          utf8(
              V4.replace(
                      "\"t1\"",
                      "\"t1\",\"x\":\"" + "a".repeat(ReferenceDocument.MAX_JSON_BYTES) + "\"")
                  + "\n"));
    }
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    CliProcess.Result r =
        CliProcess.run(null, "import", "--store", store + "#create", in.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("line 3001")
        .contains("the limit is 32768 bytes")
        .contains("nothing was imported");
    CliProcess.Result list = count(store);
    assertThat(list.err()).as(list.toString()).contains("0 reference(s)");
  }

  static Stream<Arguments> refused() {
    byte[] latin1 =
        (OTHER.replace("tacv2", "tac\u00e9v2") + "\n").getBytes(StandardCharsets.ISO_8859_1);
    return Stream.of(
        Arguments.of("latin-1", concat(utf8(V4 + "\n"), latin1), "line 2: not valid UTF-8"),
        Arguments.of(
            "nul",
            utf8(V4 + "\n" + OTHER.replace("tacv2", "tac\u0000v2") + "\n"),
            "line 2: Malformed"),
        Arguments.of(
            "trailing garbage", utf8(V4 + "\n" + OTHER + " garbage\n"), "line 2: Malformed"),
        Arguments.of(
            "second object on the line",
            utf8(V4 + "\n" + OTHER + OTHER + "\n"),
            "line 2: Malformed"),
        Arguments.of(
            "huge line",
            concat(utf8(V4 + "\n{\""), utf8("a".repeat(ImportLine.MAX_LINE_BYTES + 10))),
            "line 2: the line is longer than 1048576 bytes"),
        Arguments.of(
            "BOM not at the start",
            concat(
                utf8(V4 + "\n"),
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(OTHER + "\n"))),
            "line 2: a byte order mark (EF BB BF) is allowed only at the start of the file"),
        Arguments.of("compact garbage", utf8(V4 + "\nb1.AAAA\n"), "line 2: Malformed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedWithTheLineAndNothingWritten(
      String name, byte[] file, String message, @TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, file);
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    CliProcess.Result r =
        CliProcess.run(null, "import", "--store", store + "#create", in.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .as(r.toString())
        .contains(in + " " + message)
        .contains("nothing was imported");
    assertThat(count(store).err()).contains("0 reference(s)");
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(
            "BOM and CRLF",
            concat(
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8(V4 + "\r\n" + OTHER + "\r\n"))),
        Arguments.of("empty and blank lines", utf8("\n\n" + V4 + "\n   \n\t\n" + OTHER)),
        Arguments.of(
            "compact",
            utf8(
                V4
                    + "\n"
                    + dev.beckon.codec.CompactReference.encode(
                        dev.beckon.codec.ReferenceJson.read(OTHER))
                    + "\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void accepted(String name, byte[] file, @TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, file);
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    CliProcess.Result r =
        CliProcess.run(null, "import", "--store", store + "#create", in.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("imported 2 reference(s)");
    CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", store, "--json");
    assertThat(list.out())
        .as(list.toString())
        .contains("19:abc@thread.tacv2;messageid=1")
        .contains("messageid=2")
        .doesNotContain("\uFFFD")
        .doesNotContain("\uFEFF");
  }

  @Test
  void standardInputIsCheckedTheSameWay(@TempDir Path dir) throws Exception {
    String store = "jdbc:sqlite:" + dir.resolve("refs.db");
    CliProcess.Result r =
        CliProcess.run(V4 + "\n{oops\n", "import", "--store", store + "#create", "-");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("standard input line 2");
    assertThat(count(store).err()).contains("0 reference(s)");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
