package dev.beckon.cli;

import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A third party's store, known to the CLI only through {@code
 * src/test/resources/META-INF/services}: {@code test-memory:<name>[;testKey=secret][;fail]}, one
 * in-memory repository per name. {@code testKey} is a secret parameter of its own ({@link
 * #secretParameters()}); {@code ;fail} makes {@link #open} fail with a message quoting the URI. It
 * has no table to create, so the CLI's create hint is the same with and without it.
 */
public final class TestMemoryStoreProvider implements StoreProvider {

  /** The repositories opened so far, by name. */
  static final Map<String, InMemoryReferenceRepository> REPOSITORIES = new ConcurrentHashMap<>();

  /** How many opened stores were closed. */
  static final AtomicInteger CLOSED = new AtomicInteger();

  /** Creates the provider. */
  public TestMemoryStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("test-memory");
  }

  @Override
  public String usage() {
    return "test-memory:<name> (a test-only store in memory; its secret parameter is testKey)";
  }

  @Override
  public Optional<String> createOption() {
    return Optional.empty();
  }

  @Override
  public Set<String> secretParameters() {
    return Set.of("testKey");
  }

  @Override
  public String withTable(String uri, String table, boolean create) {
    String name = name(uri);
    if (table == null || name.equals(table)) {
      return uri;
    }
    if (!name.isEmpty()) {
      throw new IllegalArgumentException(
          "table " + table + " conflicts with the table the store URI names (" + name + ")");
    }
    return "test-memory:" + table + uri.substring("test-memory:".length());
  }

  @Override
  public String identity(String uri) {
    return "test-memory:" + name(uri);
  }

  @Override
  public OpenedStore open(String uri) {
    if (uri.endsWith(";fail")) {
      throw new IllegalStateException("cannot reach " + uri);
    }
    String name = name(uri);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("test-memory: needs a name in '" + uri + "'");
    }
    InMemoryReferenceRepository repo =
        REPOSITORIES.computeIfAbsent(name, n -> new InMemoryReferenceRepository());
    return OpenedStore.of(repo, "test-memory " + name, CLOSED::incrementAndGet);
  }

  private static String name(String uri) {
    String rest = uri.substring("test-memory:".length());
    int semi = rest.indexOf(';');
    return semi < 0 ? rest : rest.substring(0, semi);
  }
}
