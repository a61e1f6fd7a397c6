package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code beckon import} applies the one serviceUrl rule through {@code ReferenceJson} and {@code
 * ResumptionCookies}: a file with one reference whose serviceUrl breaks it exits 2, names the line
 * and {@code serviceUrl}, and imports nothing (#15 item 3).
 */
class ImportServiceUrlTest {

  @Test
  void aBadServiceUrlOnAnyLineImportsNothing(@TempDir Path dir) throws Exception {
    List<String> bad =
        List.of(
            DynamoDbCliTest.V4.replace("/amer/", "/amer/?x=1"),
            DynamoDbCliTest.V4.replace("/amer/", "/amer/#frag"),
            DynamoDbCliTest.V4.replace(
                "https://smba.trafficmanager.net", "https://u:pw@smba.trafficmanager.net"),
            DynamoDbCliTest.V4.replace("smba.trafficmanager.net", "smba.trafficmanager.net."),
            DynamoDbCliTest.V4.replace("smba.trafficmanager.net", "\u017Fmba.trafficmanager.net"),
            DynamoDbCliTest.V4.replace(
                "https://smba.trafficmanager.net", "http://127.evil.example"),
            DynamoDbCliTest.V3.replace("http://localhost:8546", "http://localhost.evil.com:8546"));
    int i = 0;
    for (String line : bad) {
      String store = "jdbc:sqlite:" + dir.resolve("refs" + i + ".db") + "#create";
      Path in = dir.resolve("in" + i++ + ".jsonl");
      Files.writeString(in, DynamoDbCliTest.V3.replace("conv-1", "conv-ok") + "\n" + line + "\n");
      CliProcess.Result imp = CliProcess.run(null, "import", "--store", store, in.toString());
      assertThat(imp.exit()).as(imp.toString()).isEqualTo(2);
      assertThat(imp.err())
          .as(line)
          .contains("line 2")
          .contains("serviceUrl")
          .contains("nothing was imported")
          .doesNotContain("pw@");
      CliProcess.Result list = CliProcess.run(null, "refs", "list", "--store", store);
      assertThat(list.out()).as("nothing stored").doesNotContain("conv-ok");
    }
  }
}
