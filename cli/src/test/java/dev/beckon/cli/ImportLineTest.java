package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.codec.CompactReference;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.store.ReferenceDocument;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The import line reader and line parser on adversarial input (BOM, Latin-1, NUL, CRLF, huge lines,
 * garbage).
 */
class ImportLineTest {

  static final String V4 = DynamoDbCliTest.V4;

  private static List<String> lines(byte[] file) throws Exception {
    List<String> out = new ArrayList<>();
    try (ImportLine.Reader in = new ImportLine.Reader(new ByteArrayInputStream(file))) {
      String l;
      while ((l = in.next()) != null) {
        out.add(l);
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkippedAndCrLfEndsALine() throws Exception {
    byte[] file =
        concat(
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            bytes(V4 + "\r\n\r\n" + V4 + "\r\n"));
    assertThat(lines(file)).containsExactly(V4, "", V4);
    assertThat(ImportLine.parse(lines(file).get(0), ImportLine.Format.AUTO).kind())
        .isEqualTo(ImportLine.Kind.REFERENCE);
  }

  @Test
  void aLastLineWithoutLineEndAndEmptyLinesAreRead() throws Exception {
    assertThat(lines(bytes("\n\n" + V4))).containsExactly("", "", V4);
    assertThat(lines(new byte[0])).isEmpty();
  }

  @Test
  void latin1IsRefusedNamingTheLineAndByteNeverReplacedByUfffd() throws Exception {
    byte[] latin1 =
        (V4.replace("tacv2", "tac\u00e9v2") + "\n").getBytes(StandardCharsets.ISO_8859_1);
    try (ImportLine.Reader in =
        new ImportLine.Reader(new ByteArrayInputStream(concat(bytes(V4 + "\n"), latin1)))) {
      assertThat(in.next()).isEqualTo(V4);
      assertThatThrownBy(in::next)
          .isInstanceOf(ImportLine.Invalid.class)
          .hasMessageContaining("not valid UTF-8 at byte " + (V4.indexOf("tacv2") + 4))
          .hasMessageContaining("0xE9");
      assertThat(in.number()).isEqualTo(2);
    }
  }

  @Test
  void aTruncatedUtf8SequenceAndAnEncodedSurrogateAreRefused() {
    assertThatThrownBy(() -> lines(new byte[] {'{', (byte) 0xC3}))
        .isInstanceOf(ImportLine.Invalid.class);
    assertThatThrownBy(() -> lines(new byte[] {'{', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '}'}))
        .isInstanceOf(ImportLine.Invalid.class)
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> lines(new byte[] {(byte) 0xC0, (byte) 0x80}))
        .isInstanceOf(ImportLine.Invalid.class);
  }

  @Test
  void nulAndTrailingGarbageAreRefusedAsMalformed() {
    for (String bad :
        List.of(
            V4.replace("tacv2", "tac\u0000v2"),
            V4 + "\u0000",
            V4 + " garbage",
            V4 + "}",
            "{",
            "[]",
            "null",
            "\"x\"",
            "b1.!!!",
            "b1.",
            V4.substring(1))) {
      assertThatThrownBy(() -> ImportLine.parse(bad, ImportLine.Format.AUTO))
          .as(bad)
          .isInstanceOf(ImportLine.Invalid.class)
          .hasMessageContaining("Malformed");
    }
  }

  @Test
  void aReferenceOverTheStoresLimitIsRefusedByTheSameCheckAWriteMakes() {
    String big =
        V4.replace(
            "\"t1\"", "\"t1\",\"x\":\"" + "a".repeat(ReferenceDocument.MAX_JSON_BYTES) + "\"");
    assertThatThrownBy(() -> ImportLine.parse(big, ImportLine.Format.AUTO))
        .isInstanceOf(ImportLine.Invalid.class)
        .hasMessageContaining("the limit is " + ReferenceDocument.MAX_JSON_BYTES);
  }

  @Test
  void compactLinesAreDetectedAndTheFormatIsEnforced() throws Exception {
    String compact = CompactReference.encode(ReferenceJson.read(V4));
    assertThat(ImportLine.parse(compact, ImportLine.Format.AUTO).kind())
        .isEqualTo(ImportLine.Kind.COMPACT);
    assertThat(ImportLine.parse(compact, ImportLine.Format.COMPACT).reference())
        .isEqualTo(ReferenceJson.read(V4));
    assertThat(ImportLine.parse(DynamoDbCliTest.V3, ImportLine.Format.AUTO).kind())
        .isEqualTo(ImportLine.Kind.V3);
    assertThatThrownBy(() -> ImportLine.parse(V4, ImportLine.Format.COMPACT))
        .isInstanceOf(ImportLine.Invalid.class);
    assertThatThrownBy(() -> ImportLine.parse(compact, ImportLine.Format.REFERENCE))
        .isInstanceOf(ImportLine.Invalid.class);
  }

  @Test
  @SuppressWarnings(
      "InputStreamSlowMultibyteRead") // the stream counts every byte the reader takes; speed is
  // moot
  void aLineOverTheLimitIsRefusedWithoutReadingPastTheLimit() throws Exception {
    long[] read = {0};
    InputStream twoGigabytes =
        new InputStream() {
          @Override
          public int read() {
            return read[0]++ < 2L * 1024 * 1024 * 1024 ? 'a' : -1;
          }
        };
    try (ImportLine.Reader in = new ImportLine.Reader(twoGigabytes)) {
      assertThatThrownBy(in::next)
          .isInstanceOf(ImportLine.Invalid.class)
          .hasMessageContaining("longer than " + ImportLine.MAX_LINE_BYTES + " bytes");
      assertThat(in.number()).isEqualTo(1);
      assertThat(in.next()).as("the reader stops at the bad line").isNull();
    }
    assertThat(read[0])
        .as("bytes read: the limit plus the reader's buffer")
        .isLessThan(ImportLine.MAX_LINE_BYTES + 70_000L);
  }

  @Test
  void aLineOfExactlyTheLimitIsRead() throws Exception {
    byte[] line = bytes("x".repeat(16) + "\n");
    try (ImportLine.Reader in = new ImportLine.Reader(new ByteArrayInputStream(line), 16)) {
      assertThat(in.next()).hasSize(16);
    }
    try (ImportLine.Reader in =
        new ImportLine.Reader(new ByteArrayInputStream(bytes("x".repeat(17))), 16)) {
      assertThatThrownBy(in::next).isInstanceOf(ImportLine.Invalid.class);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
