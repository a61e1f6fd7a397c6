package dev.beckon.examples.config;

import dev.beckon.store.ReferenceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reference store chosen by configuration: one URI names the backend and how to reach it, so
 * the same example bot or command runs on any of the four storage modules without a code change.
 *
 * <ul>
 *   <li>{@code jdbc:<driver url>[#table=name][#create]} — e.g. {@code jdbc:sqlite:refs.db#create},
 *       {@code jdbc:postgresql://127.0.0.1/test?user=postgres}; {@code #create} creates the table
 *       if it is missing</li>
 *   <li>{@code redis://[user:password@]host:port[/keyPrefix]} (or {@code rediss://} for TLS)</li>
 *   <li>{@code azure-table:<connection string>[;Table=name][;Create=true]}</li>
 *   <li>{@code dynamodb:<table>[?region=us-east-1&endpoint=http://127.0.0.1:4567&create=true]}</li>
 * </ul>
 *
 * <pre>{@code
 * try (ConfiguredStore store = ConfiguredStore.open(System.getenv("BECKON_STORE"))) {
 *   store.repository().save(reference);
 * }
 * }</pre>
 *
 * The store owns the client it created (connection pool, Redis or DynamoDB client) and closes
 * it in {@link #close()}. Secrets in the URI (passwords, account keys) never appear in
 * {@link #description()} or in exception messages.
 */
public final class ConfiguredStore implements AutoCloseable {

  private final ReferenceRepository repository;
  private final String description;
  private final List<AutoCloseable> resources;

  ConfiguredStore(ReferenceRepository repository, String description, List<AutoCloseable> resources) {
    this.repository = repository;
    this.description = description;
    this.resources = new ArrayList<>(resources);
  }

  /**
   * Opens the store a URI names.
   *
   * @param uri the store URI (schemes above)
   * @return the opened store
   * @throws IllegalArgumentException when the URI is missing, has an unknown scheme or a bad
   *     option (the message names what was wrong)
   * @throws RuntimeException when the store cannot be reached or set up
   */
  public static ConfiguredStore open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("a store URI is required: jdbc:..., redis://..., azure-table:... or dynamodb:...");
    }
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
    throw new IllegalArgumentException("unknown store URI scheme in '" + redact(uri)
        + "': use jdbc:, redis://, azure-table: or dynamodb:");
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
    return uri.replaceAll("(?i)(AccountKey|password|SharedAccessSignature|secret)=[^;&]*", "$1=***")
        .replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
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
