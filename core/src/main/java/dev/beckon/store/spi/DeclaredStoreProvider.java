package dev.beckon.store.spi;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StoreProvider} declared by the form of its URIs: a base and options in a {@link
 * StoreUri.Syntax}, the table named by an option or by the base itself ({@code dynamodb:<table>}),
 * and one option asking to create it. It implements everything but {@link #usage()} and {@link
 * #open(StoreUri, String)} from that declaration, so that such stores read, complete and identify
 * their URIs alike.
 *
 * <pre>{@code
 * public final class MyStoreProvider extends DeclaredStoreProvider {
 *   public MyStoreProvider() {
 *     super("my", new StoreUri.Syntax("?", "&", "&", false, true), null, "create=true");
 *   }
 *   public String usage() { return "my:<table>?endpoint=...[&create=true]"; }
 *   protected OpenedStore open(StoreUri uri, String table) { ... }
 * }
 * }</pre>
 *
 * Stateless and thread-safe, as {@link StoreProvider} requires.
 */
public abstract class DeclaredStoreProvider implements StoreProvider {

  private final String scheme;
  private final StoreUri.Syntax syntax;
  private final @Nullable String tableOption;
  private final String createOption;

  /**
   * Declares the form of the URIs.
   *
   * @param scheme the one scheme, lower case, without the colon, e.g. {@code dynamodb}
   * @param syntax how the store writes its options
   * @param tableOption the option naming the table, e.g. {@code Table}; {@code null} when the table
   *     is the base after the scheme ({@code dynamodb:<table>})
   * @param createOption the option asking to create the table, as a user writes it, e.g. {@code
   *     create=true}
   */
  protected DeclaredStoreProvider(
      String scheme, StoreUri.Syntax syntax, @Nullable String tableOption, String createOption) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.syntax = Objects.requireNonNull(syntax, "syntax");
    this.tableOption = tableOption;
    this.createOption = Objects.requireNonNull(createOption, "createOption");
  }

  /**
   * Opens a URI whose table is known: creates the clients, the repository over them, and the table
   * first when {@code uri.flag(...)} of the create option says so.
   *
   * @param uri the URI, parsed
   * @param table the table it names, or {@link #defaultTable()}
   * @return the store, owning the clients created for it
   * @throws IllegalArgumentException when the URI has an unknown or malformed option
   * @throws IllegalStateException when the store cannot be reached or its table created
   */
  protected abstract OpenedStore open(StoreUri uri, String table);

  /**
   * The table of a URI that names none; by default none, and such a URI is refused.
   *
   * @return the table, or {@code null}
   */
  protected @Nullable String defaultTable() {
    return null;
  }

  /**
   * The defaults of options that choose the data (a region, say), which {@link #identity} fills in.
   *
   * @return option names (lower case when the syntax ignores case) and their defaults; none by
   *     default
   */
  protected Map<String, String> identityDefaults() {
    return Map.of();
  }

  /**
   * A repository {@link #open(StoreUri, String)} built, its table created first when the URI has
   * the create option this provider declared.
   *
   * @param <R> the repository's type
   * @param uri the URI, parsed
   * @param repository the repository
   * @param createTable creates its table (the store's documented call, e.g. {@code createTable()})
   * @return the repository
   */
  protected final <R> R createdIfAsked(StoreUri uri, R repository, Consumer<R> createTable) {
    if (uri.flag(createOption.split("=", 2)[0])) {
      createTable.accept(repository);
    }
    return repository;
  }

  @Override
  public final Set<String> schemes() {
    return Set.of(scheme);
  }

  @Override
  public final Optional<String> createOption() {
    return Optional.of(syntax.separator() + createOption);
  }

  @Override
  public final String withTable(String uri, @Nullable String table, boolean create) {
    StoreUri u = StoreUri.parse(uri, syntax);
    if (tableOption != null) {
      u = u.withTable(table, tableOption);
    } else {
      String named = u.base().substring(scheme.length() + 1);
      StoreUri.requireSameTable(table, named, scheme + ":" + named);
      u = named.isEmpty() && table != null ? u.withBase(scheme + ":" + table) : u;
    }
    return u.withCreate(create, createOption).toString();
  }

  /**
   * {@inheritDoc} Here: the base (or the scheme, when an option names the table) and the sorted
   * options with their defaults, the table's among them, without table creation and {@link
   * #secretParameters()}.
   */
  @Override
  public final String identity(String uri) {
    StoreUri u = StoreUri.parse(uri, syntax);
    Set<String> excluded = new HashSet<>(secretParameters());
    excluded.add(createOption.split("=", 2)[0]);
    Map<String, String> parts = u.identity(excluded);
    identityDefaults().forEach(parts::putIfAbsent);
    String table = defaultTable();
    if (tableOption != null && table != null) {
      parts.putIfAbsent(
          syntax.ignoreCase() ? tableOption.toLowerCase(Locale.ROOT) : tableOption, table);
    }
    return (tableOption == null ? u.base() : scheme + ":") + parts;
  }

  @Override
  public final OpenedStore open(String uri) {
    StoreUri u = StoreUri.parse(uri, syntax);
    String table =
        tableOption == null ? u.base().substring(scheme.length() + 1) : u.get(tableOption);
    table = table == null || table.isBlank() ? defaultTable() : table;
    if (table == null) {
      throw new IllegalArgumentException(scheme + ": needs a table name: " + usage());
    }
    return open(u, table);
  }
}
