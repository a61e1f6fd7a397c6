package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link DeclaredStoreProvider} completes and identifies URIs of both forms, the table in the base
 * ({@code dynamodb:<table>}) and the table as an option ({@code ;Table=}), as the stores did by
 * hand.
 */
class DeclaredStoreProviderTest {

  /** The table in the base, a default option for the identity. */
  static final class InBase extends DeclaredStoreProvider {
    @Nullable String opened;

    InBase() {
      super("tb", new StoreUri.Syntax("?", "&", "&", false, true), null, "create=true");
    }

    @Override
    public String usage() {
      return "tb:<table>[?region=...][&create=true]";
    }

    @Override
    protected Map<String, String> identityDefaults() {
      return Map.of("region", "here");
    }

    @Override
    protected OpenedStore open(StoreUri uri, String table) {
      opened = table + (uri.flag("create") ? "+create" : "");
      return OpenedStore.of(new InMemoryReferenceRepository(), "tb " + table);
    }
  }

  /** The table as an option with a default, a secret option, names ignoring case. */
  static final class AsOption extends DeclaredStoreProvider {
    @Nullable String opened;

    AsOption() {
      super("to", new StoreUri.Syntax(":", ";", ";", true, false), "Table", "Create=true");
    }

    @Override
    public String usage() {
      return "to:<connection string>[;Table=name][;Create=true]";
    }

    @Override
    protected String defaultTable() {
      return "refs";
    }

    @Override
    public Set<String> secretParameters() {
      return Set.of("Key");
    }

    @Override
    protected OpenedStore open(StoreUri uri, String table) {
      opened = table + (uri.flag("Create") ? "+create" : "");
      return OpenedStore.of(new InMemoryReferenceRepository(), "to " + table);
    }
  }

  @Test
  void theTableInTheBase() {
    InBase p = new InBase();
    assertThat(p.schemes()).containsExactly("tb");
    assertThat(p.createOption()).isEqualTo(Optional.of("&create=true"));
    assertThat(p.withTable("tb:", "t", true)).isEqualTo("tb:t?create=true");
    assertThat(p.withTable("tb:t?region=x", "t", false)).isEqualTo("tb:t?region=x");
    assertThatThrownBy(() -> p.withTable("tb:a", "b", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give the table once");
    assertThat(p.identity("tb:t?create=true")).isEqualTo(p.identity("tb:t?region=here"));
    assertThat(p.identity("tb:t")).isNotEqualTo(p.identity("tb:t?region=there"));
    p.open("tb:t?create=true").close();
    assertThat(p.opened).isEqualTo("t+create");
    assertThatThrownBy(() -> p.open("tb:?region=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a table name")
        .hasMessageContaining(p.usage());
  }

  @Test
  void theTableAsAnOption() {
    AsOption p = new AsOption();
    assertThat(p.createOption()).isEqualTo(Optional.of(";Create=true"));
    assertThat(p.withTable("to:Name=a", "t", true)).isEqualTo("to:Name=a;Table=t;Create=true");
    assertThatThrownBy(() -> p.withTable("to:Name=a;Table=x", "t", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(p.identity("to:Name=a;Key=secret;Create=true"))
        .isEqualTo(p.identity("to:name=a;TABLE=refs"))
        .doesNotContain("secret");
    assertThat(p.identity("to:Name=a")).isNotEqualTo(p.identity("to:Name=a;Table=other"));
    p.open("to:Name=a").close();
    assertThat(p.opened).isEqualTo("refs");
    p.open("to:Name=a;Table=t;create=TRUE").close();
    assertThat(p.opened).isEqualTo("t+create");
  }
}
