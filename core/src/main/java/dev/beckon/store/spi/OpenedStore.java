package dev.beckon.store.spi;

import dev.beckon.store.ReferenceRepository;
import java.util.function.Function;

/**
 * A store a {@link StoreProvider} opened from a URI: its repository, a description for logs, and
 * the clients the provider created for it (a connection pool, a Redis or DynamoDB client), which
 * {@link #close()} closes, last created first.
 *
 * <p>Whoever asked for the store owns it and closes it once done; the repository must not be used
 * after that. Closing twice is harmless. Thread-safe as far as the repository is.
 */
public final class OpenedStore extends AbstractOpened<ReferenceRepository> {

  private OpenedStore(
      ReferenceRepository repository, String description, AutoCloseable... resources) {
    super(repository, "repository", description, resources);
  }

  /**
   * A store over a repository and the clients it owns.
   *
   * @param repository the repository
   * @param description what was opened, for logs: the store type and where it is, e.g. {@code redis
   *     127.0.0.1 prefix beckon}; never a password, key or token (do not echo the URI)
   * @param resources the clients created for this store, in the order they were created ({@link
   *     #close()} closes them in reverse order); none when the client needs no closing
   * @return the store
   * @throws NullPointerException when an argument or a resource is {@code null}
   */
  public static OpenedStore of(
      ReferenceRepository repository, String description, AutoCloseable... resources) {
    return new OpenedStore(repository, description, resources);
  }

  /**
   * A store over one client the provider created: builds the repository over it, and closes the
   * client when that fails, so that nothing is left open.
   *
   * <pre>{@code
   * return OpenedStore.over(RedisClient.create(server), "redis " + host, c -> builder(c).build());
   * }</pre>
   *
   * @param <C> the client's type
   * @param client the client, owned by the store from now on
   * @param description what was opened, as for {@link #of}
   * @param repository builds the repository over the client (and may create its table)
   * @return the store, which closes the client
   * @throws RuntimeException what {@code repository} raised, after the client was closed
   */
  public static <C extends AutoCloseable> OpenedStore over(
      C client, String description, Function<? super C, ReferenceRepository> repository) {
    return over(client, c -> of(repository.apply(c), description, c));
  }

  /**
   * The repository.
   *
   * @return the repository
   */
  public ReferenceRepository repository() {
    return value();
  }
}
