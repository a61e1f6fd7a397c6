package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.store.ReferenceDocument;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the import line reader: any bytes, read as an import file, give for each line either a
 * reference a store accepts or an {@link ImportLine.Invalid} with a message, nothing else; an
 * accepted reference survives the write of the store (its canonical JSON fits and reads back).
 *
 * <p>{@code mvn verify} replays the seeds in {@code
 * src/test/resources/dev/beckon/cli/ImportLineFuzzTestInputs/importFile/}; {@code JAZZER_FUZZ=1
 * ./mvnw -pl cli -am test -Dtest=ImportLineFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * fuzzes.
 */
class ImportLineFuzzTest {

  @FuzzTest(maxDuration = "30s")
  @SuppressWarnings("EnumOrdinal") // the fuzzer's first byte picks a --format by index, on purpose
  void importFile(byte[] data) throws IOException {
    // the first byte picks --format, the rest is the file; a small line limit reaches that branch
    // too
    ImportLine.Format format =
        ImportLine.Format.values()[data.length == 0 ? 0 : (data[0] & 0xff) % 4];
    int limit = data.length > 1 && (data[1] & 1) == 1 ? 4096 : ImportLine.MAX_LINE_BYTES;
    try (ImportLine.Reader in =
        new ImportLine.Reader(
            new ByteArrayInputStream(data, Math.min(1, data.length), Math.max(0, data.length - 1)),
            limit)) {
      long previous = 0;
      while (true) {
        String line;
        try {
          line = in.next();
        } catch (ImportLine.Invalid e) {
          assertThat(e.getMessage()).isNotBlank();
          assertThat(in.number()).isEqualTo(previous + 1);
          return; // the import stops at the first bad line
        }
        if (line == null) {
          return;
        }
        assertThat(in.number()).isEqualTo(previous + 1);
        previous = in.number();
        assertThat(line)
            .doesNotContain("\n"); // one \r before the \n is the line end; more are the line's
        assertThat(line.length()).isLessThanOrEqualTo(limit);
        if (line.isBlank()) {
          continue;
        }
        try {
          ImportLine.Parsed p = ImportLine.parse(line, format);
          ReferenceDocument doc = ReferenceDocument.of(p.reference());
          assertThat(doc.jsonBytes()).isLessThanOrEqualTo(ReferenceDocument.MAX_JSON_BYTES);
          assertThat(p.reference().key()).isEqualTo(ReferenceJson.read(doc.json()).key());
        } catch (ImportLine.Invalid e) {
          assertThat(e.getMessage()).isNotBlank();
          return;
        }
      }
    }
  }
}
