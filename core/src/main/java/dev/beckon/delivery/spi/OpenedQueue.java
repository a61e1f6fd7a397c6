package dev.beckon.delivery.spi;

import dev.beckon.delivery.DeliveryQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A delivery queue a {@link DeliveryQueueProvider} opened from a URI: the queue, a description for
 * logs, and the clients the provider created for it, which {@link #close()} closes, last created
 * first. Whoever asked for it owns it; closing twice is harmless.
 */
public final class OpenedQueue implements AutoCloseable {

  private final DeliveryQueue queue;
  private final String description;
  private final List<AutoCloseable> resources;

  private OpenedQueue(DeliveryQueue queue, String description, List<AutoCloseable> resources) {
    this.queue = queue;
    this.description = description;
    this.resources = resources;
  }

  /**
   * A queue and the clients it owns.
   *
   * @param queue the queue
   * @param description what was opened, e.g. {@code jdbc table beckon_deliveries}; never a
   *     password, key or token (do not echo the URI)
   * @param resources the clients created for it, in the order they were created
   * @return the opened queue
   */
  public static OpenedQueue of(
      DeliveryQueue queue, String description, AutoCloseable... resources) {
    List<AutoCloseable> owned = new ArrayList<>(List.of(resources));
    Collections.reverse(owned);
    return new OpenedQueue(
        Objects.requireNonNull(queue, "queue"),
        Objects.requireNonNull(description, "description"),
        List.copyOf(owned));
  }

  /**
   * A queue over one client the provider created: builds the queue over it, and closes the client
   * when that fails.
   *
   * @param <C> the client's type
   * @param client the client, owned from now on
   * @param description what was opened, as for {@link #of}
   * @param queue builds the queue over the client (and may create its table)
   * @return the opened queue, which closes the client
   * @throws RuntimeException what {@code queue} raised, after the client was closed
   */
  public static <C extends AutoCloseable> OpenedQueue over(
      C client, String description, Function<? super C, DeliveryQueue> queue) {
    try {
      return of(queue.apply(client), description, client);
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
   * The queue.
   *
   * @return the queue
   */
  public DeliveryQueue queue() {
    return queue;
  }

  /**
   * What was opened, for logs (no secrets).
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /** Closes the clients this queue owns, last created first; a failure to close is dropped. */
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
