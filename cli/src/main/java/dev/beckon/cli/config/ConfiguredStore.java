package dev.beckon.cli.config;

import dev.beckon.store.ReferenceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A reference store chosen by configuration: one URI names the backend and how to reach it, so the
 * same example bot or command runs on any of the four storage modules without a code change.
 *
 * <ul>
 *   <li>{@code jdbc:<driver url>[#table=name][#create]} — e.g. {@code jdbc:sqlite:refs.db#create},
 *       {@code jdbc:sqlite:refs.db#table=mine&create}, {@code
 *       jdbc:postgresql://127.0.0.1/test?user=postgres}; {@code #create} creates the table if it is
 *       missing
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
 * The store owns the client it created (connection pool, Redis or DynamoDB client) and closes it in
 * {@link #close()}. Secrets in the URI (passwords, account keys) never appear in {@link
 * #description()} or in the messages of the exceptions {@link #open} throws and their causes
 * ({@link Redactor}).
 */
public final class ConfiguredStore implements AutoCloseable {

  private final ReferenceRepository repository;
  private final String description;
  private final List<AutoCloseable> resources;

  ConfiguredStore(
      ReferenceRepository repository, String description, List<AutoCloseable> resources) {
    this.repository = repository;
    this.description = description;
    this.resources = new ArrayList<>(resources);
  }

  /**
   * Opens the store a URI names.
   *
   * @param uri the store URI (schemes above)
   * @return the opened store
   * @throws IllegalArgumentException when the URI is missing, malformed, has an unknown scheme, a
   *     bad option, a port outside 1..65535 or names a JDBC driver that is not on the class path
   *     (the message names what was wrong)
   * @throws IllegalStateException when the store cannot be reached or set up (messages of the
   *     exception and its causes are {@linkplain Redactor redacted})
   */
  public static ConfiguredStore open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          "a store URI is required: jdbc:..., redis://..., azure-table:... or dynamodb:...");
    }
    Redactor redactor = Redactor.of(List.of(uri));
    try {
      return openUnredacted(uri);
    } catch (IllegalArgumentException e) {
      throw redacted(new IllegalArgumentException(redactor.redact(firstLine(e))), e, redactor);
    } catch (RuntimeException e) {
      throw redacted(new IllegalStateException(redactor.redact(firstLine(e))), e, redactor);
    }
  }

  /**
   * Opens the store a URI names, with its table and table creation given apart from the URI (the
   * CLI's {@code --table} and {@code --create-table}). What "table" means depends on the store:
   *
   * <ul>
   *   <li>{@code jdbc:} the table ({@code #table=}; default {@code beckon_references}); {@code
   *       create} runs {@code CREATE TABLE IF NOT EXISTS} ({@code #create})
   *   <li>{@code redis://} the key prefix (the URI's path; default {@code beckon}); Redis has no
   *       table, so {@code create} changes nothing
   *   <li>{@code azure-table:} the table ({@code ;Table=}; default {@code beckonreferences});
   *       {@code create} creates it ({@code ;Create=true})
   *   <li>{@code dynamodb:} the table ({@code dynamodb:<table>}, which may then be left empty:
   *       {@code dynamodb:?region=...}); {@code create} creates it ({@code &create=true})
   * </ul>
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
   * own syntax (see {@link #open(String, String, boolean)} for what "table" means per store):
   * {@code withTable("jdbc:sqlite:refs.db", "mine", true)} is {@code
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
    try {
      return StoreOpeners.withTable(uri, table, create);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Redactor.of(List.of(uri)).redact(firstLine(e)));
    }
  }

  private static ConfiguredStore openUnredacted(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:")) {
      return StoreOpeners.jdbc(uri);
    }
    if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
      return StoreOpeners.redis(uri);
    }
    if (lower.startsWith("azure-table:")) {
      return StoreOpeners.azureTable(uri.substring("azure-table:".length()));
    }
    if (lower.startsWith("dynamodb:")) {
      return StoreOpeners.dynamoDb(uri.substring("dynamodb:".length()));
    }
    throw new IllegalArgumentException(
        "unknown store URI scheme in '"
            + uri
            + "': use jdbc:, redis://, azure-table: or dynamodb:");
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
      return StoreOpeners.identity(a).equals(StoreOpeners.identity(b));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Redactor.of(List.of(a, b)).redact(firstLine(e)));
    }
  }

  /**
   * The repository.
   *
   * @return the repository
   */
  public ReferenceRepository repository() {
    return repository;
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
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a client we created; nothing to recover
      }
    }
  }
}
