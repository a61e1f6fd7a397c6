package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One INFO line when {@code createSchema} creates the table, none when it exists; a readable {@code
 * toString}.
 */
class JdbcLifecycleTest {

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  /**
   * The lines slf4j-simple (the test binding, which writes to the current {@code System.err}) logs
   * at INFO.
   */
  private static List<String> infoLines(Runnable action) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" INFO ")).toList();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void createSchemaLogsOnceWhenItCreatesTheTable(Dialect dialect) {
    String table = TestDatabases.freshTableName(dialect);
    JdbcReferenceRepository repository =
        JdbcReferenceRepository.builder(TestDatabases.dataSource(dialect)).tableName(table).build();

    assertThat(infoLines(repository::createSchema))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("JdbcReferenceRepository")
                    .contains("Created table " + table)
                    .contains(dialect.name()));
    assertThat(infoLines(repository::createSchema))
        .as("the table exists: nothing created, nothing said")
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void toStringNamesTheBackendAndTheTableNotTheDataSource(Dialect dialect) {
    JdbcReferenceRepository repository =
        JdbcReferenceRepository.builder(TestDatabases.dataSource(dialect))
            .tableName("beckon_named")
            .build();

    assertThat(repository)
        .hasToString("JdbcReferenceRepository[" + dialect + " table beckon_named]");
    assertThat(repository.toString()).doesNotContain("jdbc:").doesNotContain("password");
  }
}
