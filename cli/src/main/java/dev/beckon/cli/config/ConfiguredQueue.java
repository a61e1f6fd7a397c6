package dev.beckon.cli.config;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.spi.OpenedQueue;
import java.util.List;

/**
 * A delivery queue chosen by configuration, as {@link ConfiguredStore} is for stores: one URI names
 * the backend and how to reach it ({@link UriProviders#queues()}), e.g. {@code
 * jdbc:postgresql://127.0.0.1/app?user=bot#create} or {@code redis://127.0.0.1:6379/mybot}. It owns
 * the clients its provider created and closes them in {@link #close()}. Secrets in the URI never
 * appear in {@link #description()} or in the messages of the exceptions {@link #open} throws.
 */
public final class ConfiguredQueue implements AutoCloseable {

  private final OpenedQueue opened;
  private final String description;

  private ConfiguredQueue(OpenedQueue opened, String description) {
    this.opened = opened;
    this.description = description;
  }

  /**
   * Opens the queue a URI names.
   *
   * @param uri the queue URI (its scheme names a queue module on the class path)
   * @return the opened queue
   * @throws IllegalArgumentException when the URI is missing, malformed, has an unknown scheme (the
   *     message lists the known ones) or a bad option (the message is redacted)
   * @throws IllegalStateException when the queue cannot be reached or set up (redacted)
   */
  public static ConfiguredQueue open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          "a queue URI is required, starting with one of: " + UriProviders.queues().schemes());
    }
    Redactor redactor = Redactor.of(List.of(uri));
    try {
      OpenedQueue opened = UriProviders.queues().forUri(uri).open(uri);
      return new ConfiguredQueue(opened, redactor.redact(opened.description()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(redactor.redact(ConfiguredStore.firstLine(e)));
    } catch (RuntimeException e) {
      throw new IllegalStateException(redactor.redact(ConfiguredStore.firstLine(e)));
    }
  }

  /**
   * The queue.
   *
   * @return the queue
   */
  public DeliveryQueue queue() {
    return opened.queue();
  }

  /**
   * What was opened, for logs (no secrets).
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /** Closes the clients this queue created. */
  @Override
  public void close() {
    opened.close();
  }
}
