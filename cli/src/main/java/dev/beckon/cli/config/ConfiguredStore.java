package dev.beckon.cli.config;

import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A reference store chosen by configuration: one URI names the backend and how to reach it, so the
 * same example bot or command runs on any store on the class path without a code change. The URI's
 * scheme chooses the {@link StoreProvider} ({@link UriProviders#stores()}); the storage modules
 * register theirs, for example:
 *
 * <ul>
 *   <li>{@code jdbc:<driver url>[#table=name][#create]} — e.g. {@code jdbc:sqlite:refs.db#create},
 *       {@code jdbc:postgresql://127.0.0.1/test?user=postgres}
 *   <li>{@code redis://[user:password@]host:port[/keyPrefix]} (or {@code rediss://} for TLS)
 *   <li>{@code azure-table:<connection string>[;Table=name][;Create=true]}
 *   <li>{@code dynamodb:<table>[?region=us-east-1&endpoint=http://127.0.0.1:4567&create=true]}
 * </ul>
 *
 * The table and its creation can also be given apart from the URI: {@link #open(String, String,
 * boolean)}.
 *
 * <pre>{@code
 * try (ConfiguredStore store = ConfiguredStore.open(System.getenv("BECKON_STORE"))) {
 *   store.repository().save(reference);
 * }
 * }</pre>
 *
 * The store owns the client its provider created (connection pool, Redis or DynamoDB client) and
 * closes it in {@link #close()}. Secrets in the URI (passwords, account keys) never appear in
 * {@link #description()} or in the messages of the exceptions {@link #open} throws and their causes
 * ({@link Redactor}).
 */
public final class ConfiguredStore implements AutoCloseable {

  /**
   * Characters a table name given apart from the URI may not hold: they would change the URI's
   * syntax.
   */
  private static final Pattern TABLE_NAME = Pattern.compile("[^\\s#&;?=/\\\\%]+");

  private final OpenedStore store;
  private final String description;

  private ConfiguredStore(OpenedStore store, String description) {
    this.store = store;
    this.description = description;
  }

  /**
   * Opens the store a URI names.
   *
   * @param uri the store URI (its scheme names a store on the class path)
   * @return the opened store
   * @throws IllegalArgumentException when the URI is missing, malformed, has an unknown scheme (the
   *     message lists the known ones), a bad option, a port outside 1..65535 or names a JDBC driver
   *     that is not on the class path (the message names what was wrong)
   * @throws IllegalStateException when the store cannot be reached or set up (messages of the
   *     exception and its causes are {@linkplain Redactor redacted})
   */
  public static ConfiguredStore open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          "a store URI is required, starting with one of: " + UriProviders.stores().schemes());
    }
    Redactor redactor = Redactor.of(List.of(uri));
    try {
      OpenedStore opened = UriProviders.stores().forUri(uri).open(uri);
      return new ConfiguredStore(opened, redactor.redact(opened.description()));
    } catch (IllegalArgumentException e) {
      throw redacted(new IllegalArgumentException(redactor.redact(firstLine(e))), e, redactor);
    } catch (RuntimeException e) {
      throw redacted(new IllegalStateException(redactor.redact(firstLine(e))), e, redactor);
    }
  }

  /**
   * Opens the store a URI names, with its table and table creation given apart from the URI (the
   * CLI's {@code --table} and {@code --create-table}). What "table" means depends on the store
   * ({@link StoreProvider#withTable}): the JDBC table, the Redis key prefix (Redis has no table, so
   * {@code create} changes nothing), the Azure or DynamoDB table.
   *
   * @param uri the store URI
   * @param table the table (key prefix for Redis), or {@code null} for the URI's own or the default
   * @param create whether to create the table when it is missing
   * @return the opened store
   * @throws IllegalArgumentException as {@link #open(String)}, and when the URI already names a
   *     different table or says {@code create=false} while {@code create} is asked for
   * @throws IllegalStateException as {@link #open(String)}
   */
  public static ConfiguredStore open(String uri, @Nullable String table, boolean create) {
    if (uri == null || uri.isBlank()) {
      return open(uri);
    }
    return open(withTable(uri, table, create));
  }

  /**
   * The store URI with a table and table creation given apart from it written into it, in the URI's
   * own syntax ({@link StoreProvider#withTable}; see {@link #open(String, String, boolean)} for
   * what "table" means per store): {@code withTable("jdbc:sqlite:refs.db", "mine", true)} is {@code
   * jdbc:sqlite:refs.db#table=mine&create}.
   *
   * @param uri the store URI
   * @param table the table (key prefix for Redis), or {@code null} to keep the URI's
   * @param create whether the URI should ask for the table to be created when missing
   * @return the URI with both applied ({@code uri} itself when there is nothing to apply)
   * @throws IllegalArgumentException when the URI already names a different table, says {@code
   *     create=false} while {@code create} is asked for, or the name holds a character of the URI
   *     syntax (the message is redacted)
   */
  public static String withTable(String uri, @Nullable String table, boolean create) {
    if (table == null && !create) {
      return uri;
    }
    try {
      if (table != null && !TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException(
            "'" + table + "' is not a table name (no spaces and none of # & ; ? = / \\ %)");
      }
      StoreProvider provider = UriProviders.stores().find(uri);
      // an unknown scheme: open() says so
      return provider == null ? uri : provider.withTable(uri, table, create);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Redactor.of(List.of(uri)).redact(firstLine(e)));
    }
  }

  /**
   * The failure to report, with every message of its cause chain redacted: a caller that logs the
   * whole stack trace prints no secret either. The original exceptions stay out of the chain; each
   * cause is replaced by one with its class name, redacted message and stack trace.
   */
  private static RuntimeException redacted(
      RuntimeException top, Throwable original, Redactor redactor) {
    top.setStackTrace(original.getStackTrace());
    Throwable at = top;
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable c = original.getCause(); c != null && seen.add(c); c = c.getCause()) {
      RedactedCause copy =
          new RedactedCause(
              c.getClass().getName() + ": " + redactor.redact(String.valueOf(c.getMessage())));
      copy.setStackTrace(c.getStackTrace());
      at.initCause(copy);
      at = copy;
    }
    return top;
  }

  /**
   * A cause of a store failure, its message redacted (the original class is named in the message).
   */
  static final class RedactedCause extends Exception {
    private static final long serialVersionUID = 1L;

    RedactedCause(String message) {
      super(message);
    }
  }

  /**
   * Whether two store URIs name the same data, however they are written: defaults filled in (port
   * 6379, prefix {@code beckon}, table names), options that do not choose the data ({@code
   * #create}, {@code Create=true}, credentials) ignored, scheme and host case folded, an SQLite
   * file path made absolute.
   *
   * @param a a store URI
   * @param b another store URI
   * @return whether both reach the same store
   * @throws IllegalArgumentException when either URI is malformed (the message is redacted)
   */
  public static boolean sameStore(String a, String b) {
    try {
      return identity(a).equals(identity(b));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Redactor.of(List.of(a, b)).redact(firstLine(e)));
    }
  }

  /** The identity of a URI's data, its provider's class first; an unknown scheme's is the URI. */
  private static String identity(String uri) {
    StoreProvider provider = UriProviders.stores().find(uri);
    return provider == null ? uri : provider.getClass().getName() + " " + provider.identity(uri);
  }

  /**
   * The repository.
   *
   * @return the repository
   */
  public ReferenceRepository repository() {
    return store.repository();
  }

  /**
   * What was opened, for logs (no secrets), e.g. {@code redis 127.0.0.1 prefix beckon}.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Hides passwords, account keys and shared access signatures in a store URI.
   *
   * @param uri a store URI
   * @return the URI, safe to print
   */
  public static String redact(String uri) {
    return Redactor.of(List.of(uri)).redact(uri);
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Closes the clients this store created. */
  @Override
  public void close() {
    store.close();
  }
}
