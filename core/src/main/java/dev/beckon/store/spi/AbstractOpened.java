package dev.beckon.store.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@link OpenedStore} and {@link dev.beckon.delivery.spi.OpenedQueue} share: a value a
 * provider opened from a URI, a description for logs, and the clients the provider created for it,
 * which {@link #close()} closes, last created first. Providers use those two types; this base only
 * holds their one mechanism of owning clients.
 *
 * <p>Whoever asked for the value owns it and closes it once done; the value must not be used after
 * that. Closing twice is harmless. Thread-safe as far as the value is.
 *
 * @param <T> the opened value's type
 */
public abstract class AbstractOpened<T> implements AutoCloseable {

  private final T value;
  private final String description;
  private final List<AutoCloseable> resources;

  /**
   * A value and the clients it owns.
   *
   * @param value the value
   * @param name the value's name in the exception when it is {@code null}, e.g. {@code repository}
   * @param description what was opened, for logs; never a password, key or token
   * @param resources the clients created for the value, in the order they were created ({@link
   *     #close()} closes them in reverse order)
   * @throws NullPointerException when an argument or a resource is {@code null}
   */
  protected AbstractOpened(T value, String name, String description, AutoCloseable... resources) {
    List<AutoCloseable> owned = new ArrayList<>(List.of(resources));
    Collections.reverse(owned);
    this.value = Objects.requireNonNull(value, name);
    this.description = Objects.requireNonNull(description, "description");
    this.resources = List.copyOf(owned);
  }

  /**
   * Opens something over one client the provider created, closing the client when that fails, so
   * that nothing is left open.
   *
   * @param <C> the client's type
   * @param <O> what is opened
   * @param client the client, owned by what is opened from now on
   * @param open opens it over the client
   * @return what {@code open} returned
   * @throws RuntimeException what {@code open} raised, after the client was closed
   */
  protected static <C extends AutoCloseable, O> O over(C client, Function<? super C, O> open) {
    try {
      return open.apply(client);
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
   * The opened value, which a subclass names ({@code repository()}, {@code queue()}).
   *
   * @return the value
   */
  protected final T value() {
    return value;
  }

  /**
   * What was opened, for logs (no secrets), e.g. {@code dynamodb table beckon_references}.
   *
   * @return the description
   */
  public final String description() {
    return description;
  }

  /**
   * Closes the clients this value owns, last created first. A client that fails to close does not
   * keep the others open; its failure is dropped (there is nothing to recover).
   */
  @Override
  public final void close() {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a client the provider created; nothing to recover
      }
    }
  }

  /**
   * The description (no secrets).
   *
   * @return {@link #description()}
   */
  @Override
  public final String toString() {
    return description;
  }
}
