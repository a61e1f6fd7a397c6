package dev.beckon.storage.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One INFO line when {@code createTable} creates the table, none when it exists; a readable {@code
 * toString}.
 */
class DynamoDbLifecycleTest {

  private List<String> info = List.of();

  @AfterEach
  void dropTables() {
    Dynalite.dropTables();
  }

  /**
   * Runs {@code action}; keeps the INFO lines slf4j-simple (the test binding, on the current
   * System.err) wrote.
   */
  private boolean logged(BooleanSupplier action) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return action.getAsBoolean();
    } finally {
      System.setErr(old);
      info =
          buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" INFO ")).toList();
    }
  }

  @Test
  void createTableLogsOnceWhenItCreatesTheTable() {
    String table = Dynalite.freshTableName();
    DynamoDbReferenceRepository r =
        DynamoDbReferenceRepository.builder(Dynalite.CLIENT).tableName(table).build();

    assertThat(logged(r::createTable)).isTrue();
    assertThat(info)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("DynamoDbReferenceRepository")
                    .contains("Created DynamoDB table " + table));
    assertThat(logged(r::createTable)).isFalse();
    assertThat(info).as("the table exists: nothing created, nothing said").isEmpty();
  }

  @Test
  void toStringNamesTheBackendAndTheTable() {
    DynamoDbReferenceRepository r =
        DynamoDbReferenceRepository.builder(Dynalite.CLIENT).tableName("beckon-named").build();
    assertThat(r).hasToString("DynamoDbReferenceRepository[table beckon-named]");
  }
}
