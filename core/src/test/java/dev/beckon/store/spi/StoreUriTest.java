package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.retry.RetryEvent;
import dev.beckon.store.StoreOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreUri} is how every provider reads a user's store URI: it answers any text with parts
 * or {@link IllegalArgumentException} only, and a table or creation added is read back.
 */
class StoreUriTest {

  private static final StoreUri.Syntax JDBC = new StoreUri.Syntax("#", "&", "[#&]", false, false);
  private static final StoreUri.Syntax QUERY = new StoreUri.Syntax("?", "&", "&", false, true);
  private static final StoreUri.Syntax AZURE = new StoreUri.Syntax(":", ";", ";", true, false);

  @Test
  void readsEachStoresOptions() {
    StoreUri j = StoreUri.parse("jdbc:sqlite:refs.db#table=mine#create", JDBC);
    assertThat(j.base()).isEqualTo("jdbc:sqlite:refs.db");
    assertThat(j.get("table")).isEqualTo("mine");
    assertThat(j.flag("create")).isTrue();
    assertThat(j.get("other")).isNull();

    StoreUri q = StoreUri.parse("dynamodb:t?endpoint=http%3A%2F%2F127.0.0.1&create=false", QUERY);
    assertThat(q.get("endpoint")).isEqualTo("http://127.0.0.1");
    assertThat(q.flag("create")).isFalse();

    StoreUri a =
        StoreUri.parse("azure-table:AccountName=a;AccountKey=k;table=t;CREATE=true", AZURE);
    assertThat(a.get("Table")).isEqualTo("t");
    assertThat(a.flag("Create")).isTrue();
    assertThat(a.others(Set.of("Table", "Create"))).isEqualTo("AccountName=a;AccountKey=k;");
    assertThat(a.identity(Set.of("AccountKey", "Create"))).containsOnlyKeys("accountname", "table");
  }

  @Test
  void addsATableAndCreationOnceAndRefusesAConflict() {
    assertThat(
            StoreUri.parse("jdbc:h2:mem:x", JDBC)
                .withTable("t", "table")
                .withCreate(true, "create"))
        .hasToString("jdbc:h2:mem:x#table=t&create");
    assertThat(StoreUri.parse("azure-table:A=b;", AZURE).withTable("t", "Table"))
        .hasToString("azure-table:A=b;Table=t");
    StoreUri named = StoreUri.parse("jdbc:h2:mem:x#table=t&create", JDBC);
    assertThat(named.withTable("t", "table").withCreate(true, "create")).hasToString(named + "");
    assertThatThrownBy(() -> named.withTable("u", "table"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table u conflicts with the table the store URI names (table=t); give the table once");
    assertThatThrownBy(
            () -> StoreUri.parse("dynamodb:t?create=no", QUERY).withCreate(true, "create=true"))
        .hasMessage("--create-table: the store URI says create=no; give one or the other");
    assertThatThrownBy(() -> StoreUri.parse("dynamodb:t?x=%zz", QUERY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dynamodb: an option is not %-encoded correctly");
    assertThatThrownBy(
            () ->
                StoreUri.parse("jdbc:h2:mem:x#tabel=t", JDBC).requireOnly(Set.of("table"), "hint"))
        .hasMessage("unknown jdbc: option 'tabel' (hint)");
    // a misspelled secret option never puts its value in the message (which the CLI prints)
    assertThatThrownBy(
            () ->
                StoreUri.parse("jdbc:h2:mem:x#pasword=hunter2", JDBC)
                    .requireOnly(Set.of("table"), "hint"))
        .hasMessage("unknown jdbc: option 'pasword' (hint)")
        .message()
        .doesNotContain("hunter2");
  }

  @Property(tries = 300)
  void anyTextIsPartsOrIllegalArgument(@ForAll @StringLength(max = 200) String text) {
    for (StoreUri.Syntax syntax : List.of(JDBC, QUERY, AZURE)) {
      try {
        StoreUri u = StoreUri.parse("s:" + text, syntax);
        assertThat(u.base()).isNotNull();
        u.identity(Set.of()).forEach((k, v) -> assertThat(k).isNotNull());
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  @Property(tries = 200)
  void aTableAddedIsReadBack(
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String base,
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String table) {
    StoreUri u = StoreUri.parse("jdbc:" + base, JDBC).withTable(table, "table");
    StoreUri again = StoreUri.parse(u.withCreate(true, "create").toString(), JDBC);
    assertThat(again.get("table")).isEqualTo(table);
    assertThat(again.flag("create")).isTrue();
    assertThat(again.base()).isEqualTo("jdbc:" + base);
  }

  @Test
  void theStoresRetryIsTheUsersWithItsListener() {
    assertThat(StoreOptions.defaults().retry()).isSameAs(StoreOptions.DEFAULT_RETRY);
    assertThat(StoreOptions.DEFAULT_RETRY.maxAttempts()).isEqualTo(10);
    assertThat(StoreOptions.DEFAULT_RETRY.deadline()).isEqualTo(Duration.ofSeconds(10));
    List<RetryEvent> heard = new ArrayList<>();
    StoreOptions o =
        StoreOptions.defaults()
            .withTtl(Duration.ofDays(1))
            .withRetry(StoreOptions.DEFAULT_RETRY.toBuilder().listener(heard::add).build());
    assertThat(o.withClock(java.time.Clock.systemUTC()).retry()).isSameAs(o.retry());
    assertThat(new StoreOptions(null, java.time.Clock.systemUTC()).retry())
        .isSameAs(StoreOptions.DEFAULT_RETRY);
    o.retry()
        .start("jdbc.save")
        .next(dev.beckon.retry.RetryCause.TRANSIENT, null, "SQLState 40P01");
    assertThat(heard).extracting(RetryEvent::operation).containsExactly("jdbc.save");
  }
}
