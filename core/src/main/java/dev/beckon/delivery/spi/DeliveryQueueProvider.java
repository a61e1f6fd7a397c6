package dev.beckon.delivery.spi;

import java.util.Locale;
import java.util.Set;

/**
 * Opens the delivery queue a URI names: how a queue module makes itself reachable by tools that
 * name no backend, such as {@code beckon worker --queue jdbc:...} and {@code beckon deliveries}.
 * The twin of {@link dev.beckon.store.spi.StoreProvider}, with the same rules: one way to name a
 * backend, whether it holds references or deliveries.
 *
 * <h2>Implementing a provider</h2>
 *
 * A public class with a public no-argument constructor in the queue's module, keeping no state,
 * registered twice: {@code provides dev.beckon.delivery.spi.DeliveryQueueProvider with ...;} in
 * {@code module-info.java}, and its binary name on a line of {@code
 * META-INF/services/dev.beckon.delivery.spi.DeliveryQueueProvider}. Parse the options with {@link
 * dev.beckon.store.spi.StoreUri}, as the store providers do, so that a queue URI of a backend is
 * written like the store URI of the same backend ({@code jdbc:...#table=name&create}, {@code
 * redis://host:port/prefix}).
 *
 * <h2>Secrets and errors</h2>
 *
 * As for store providers: a URI may carry a password (userinfo, {@code password=}); the caller
 * hides the common secret parameters and those of {@link #secretParameters()} before printing
 * anything, so exceptions may quote the URI, but {@link OpenedQueue#description()} must not. {@link
 * #open} raises {@link IllegalArgumentException} for a URI that is malformed or has an unknown
 * option (nothing was contacted; the message names what is wrong and how to write it), and {@link
 * IllegalStateException} or a {@link dev.beckon.store.StoreException} when the queue cannot be
 * reached or set up. Other methods never contact a server.
 */
public interface DeliveryQueueProvider {

  /**
   * The URI schemes this provider opens, lower case and without the colon, e.g. {@code
   * Set.of("redis", "rediss")}. Two queue providers on one path must not share one (a store
   * provider of the same module may).
   *
   * @return the schemes, not empty
   */
  Set<String> schemes();

  /**
   * The URI syntax in one line, for help texts and messages: the scheme, where the server is, the
   * table (or what stands for it) and its default, the option that creates it.
   *
   * @return the usage line, without a line break
   */
  String usage();

  /**
   * Names of URI parameters whose values are secrets in this queue's syntax, beyond the common ones
   * callers always hide.
   *
   * @return the names, empty by default
   */
  default Set<String> secretParameters() {
    return Set.of();
  }

  /**
   * Creates the clients the URI describes and the queue over them, and creates its table (queue)
   * first when the URI asks for it. Nothing is left open when it fails.
   *
   * @param uri a URI of one of {@link #schemes()}
   * @return the queue, owning the clients created for it; the caller closes it
   * @throws IllegalArgumentException when the URI is malformed, has an unknown option, or needs a
   *     driver or library that is not on the class path (nothing was contacted)
   * @throws IllegalStateException when the queue cannot be reached or set up
   */
  OpenedQueue open(String uri);

  /**
   * Whether this provider opens a URI: whether it starts with one of {@link #schemes()} and a
   * colon, ignoring case.
   *
   * @param uri a queue URI
   * @return whether {@link #open} takes it
   */
  default boolean accepts(String uri) {
    int colon = uri.indexOf(':');
    return colon > 0 && schemes().contains(uri.substring(0, colon).toLowerCase(Locale.ROOT));
  }
}
