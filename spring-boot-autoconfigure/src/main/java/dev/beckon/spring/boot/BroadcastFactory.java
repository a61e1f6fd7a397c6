package dev.beckon.spring.boot;

import dev.beckon.broadcast.Broadcast;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.util.Objects;

/**
 * Starts broadcasts over the application's {@link ReferenceRepository} and {@link Sender} beans.
 *
 * <pre>{@code
 * BroadcastReport report = broadcasts.builder()
 *     .query(ListQuery.channel("msteams"))
 *     .message(Activity.message("The service is back"))
 *     .build()
 *     .start()
 *     .report();
 * }</pre>
 *
 * <p>Thread-safe; each {@link #builder()} is a new, independent builder.
 */
public final class BroadcastFactory {

  private final ReferenceRepository repository;
  private final Sender sender;

  /**
   * Creates the factory.
   *
   * @param repository where the references are listed
   * @param sender what sends each message
   */
  public BroadcastFactory(ReferenceRepository repository, Sender sender) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.sender = Objects.requireNonNull(sender, "sender");
  }

  /**
   * A broadcast builder over the repository and sender beans.
   *
   * @return a new builder; choose the query and the message, then {@code build()}
   */
  public Broadcast.Builder builder() {
    return Broadcast.builder(repository, sender);
  }

  /**
   * The repository the broadcasts list.
   *
   * @return the repository bean
   */
  public ReferenceRepository repository() {
    return repository;
  }

  /**
   * The sender the broadcasts send through.
   *
   * @return the sender bean
   */
  public Sender sender() {
    return sender;
  }
}
