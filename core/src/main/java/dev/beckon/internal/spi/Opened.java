package dev.beckon.internal.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a provider opened from a URI: a value (a repository, a queue), a description for logs, and
 * the clients the provider created for it, which {@link #close()} closes, last created first. The
 * one mechanism behind {@code OpenedStore} and {@code OpenedQueue}. Closing twice is harmless.
 * Immutable.
 *
 * @param <T> the opened value's type
 */
public final class Opened<T> implements AutoCloseable {

  private final T value;
  private final String description;
  private final List<AutoCloseable> resources;

  private Opened(T value, String description, List<AutoCloseable> resources) {
    this.value = value;
    this.description = description;
    this.resources = resources;
  }

  /**
   * A value and the clients it owns.
   *
   * @param <T> the value's type
   * @param value the value
   * @param name the value's name in the exception, e.g. {@code repository}
   * @param description what was opened (no secrets)
   * @param resources the clients, in the order they were created
   * @return the opened value
   * @throws NullPointerException when an argument or a resource is {@code null}
   */
  public static <T> Opened<T> of(
      T value, String name, String description, AutoCloseable... resources) {
    List<AutoCloseable> owned = new ArrayList<>(List.of(resources));
    Collections.reverse(owned);
    return new Opened<>(
        Objects.requireNonNull(value, name),
        Objects.requireNonNull(description, "description"),
        List.copyOf(owned));
  }

  /**
   * A value built over one client: the client is closed when building fails.
   *
   * @param <C> the client's type
   * @param <T> the value's type
   * @param client the client, owned from now on
   * @param name the value's name in the exception
   * @param description what was opened (no secrets)
   * @param build builds the value over the client
   * @return the opened value, which closes the client
   * @throws RuntimeException what {@code build} raised, after the client was closed
   */
  public static <C extends AutoCloseable, T> Opened<T> over(
      C client, String name, String description, Function<? super C, ? extends T> build) {
    try {
      return of(build.apply(client), name, description, client);
    } catch (RuntimeException e) {
      try {
        client.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * The value.
   *
   * @return the value
   */
  public T value() {
    return value;
  }

  /**
   * What was opened.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /** Closes the clients, last created first; a failure to close one is dropped. */
  @Override
  public void close() {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a client the provider created; nothing to recover
      }
    }
  }

  /**
   * The description.
   *
   * @return {@link #description()}
   */
  @Override
  public String toString() {
    return description;
  }
}
