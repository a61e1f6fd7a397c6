package dev.beckon.storage.azuretable;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One INFO line when {@code createTable} creates the table, none when it exists; a {@code toString}
 * without the key.
 */
class AzureTableLifecycleTest {

  private static String lastLog = "";

  /**
   * What {@code action} returns; its slf4j-simple lines (the test binding writes to the current
   * System.err) in {@link #lastLog}.
   */
  private static <T> T logged(Supplier<T> action) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return action.get();
    } finally {
      System.setErr(old);
      lastLog = buf.toString(StandardCharsets.UTF_8);
    }
  }

  private static List<String> info() {
    return lastLog.lines().filter(l -> l.contains(" INFO ")).toList();
  }

  @Test
  void createTableLogsOnceWhenItCreatesTheTable() {
    TableClient t = Azurite.table(Azurite.newTableName());
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(t).build();
    try {
      assertThat(logged(repo::createTable)).isTrue();
      assertThat(info())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("AzureTableReferenceRepository")
                      .contains("Created Azure table " + t.getTableName()));
      assertThat(logged(repo::createTable)).isFalse();
      assertThat(info()).as("the table exists: nothing created, nothing said").isEmpty();
    } finally {
      t.deleteTable();
    }
  }

  @Test
  void toStringNamesTheTableNotTheAccountKey() {
    AzureTableReferenceRepository repo =
        AzureTableReferenceRepository.builder(Azurite.table("beckonnamed")).build();
    assertThat(repo).hasToString("AzureTableReferenceRepository[table beckonnamed]");
    assertThat(repo.toString())
        .doesNotContain("AccountKey")
        .doesNotContain("Eby8")
        .doesNotContain("http");
  }
}
