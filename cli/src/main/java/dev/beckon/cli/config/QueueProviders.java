package dev.beckon.cli.config;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@link DeliveryQueueProvider}s on the class path, found once through {@link ServiceLoader}:
 * every delivery queue a URI can name, as {@link StoreProviders} finds every store. The CLI names
 * no queue backend; a queue module's jar on the class path is all it takes to reach one. A provider
 * that fails to load is left out and named when no other provider takes a URI. Thread-safe.
 */
public final class QueueProviders {

  private QueueProviders() {}

  /** Loaded on first use. */
  private static final class Found {
    static final List<DeliveryQueueProvider> PROVIDERS;
    static final List<String> FAILURES;

    static {
      List<DeliveryQueueProvider> providers = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      Iterator<DeliveryQueueProvider> it =
          ServiceLoader.load(DeliveryQueueProvider.class, QueueProviders.class.getClassLoader())
              .iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          providers.add(it.next());
        } catch (ServiceConfigurationError | LinkageError e) {
          failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      providers.sort(Comparator.comparing(p -> new TreeSet<>(p.schemes()).first()));
      PROVIDERS = List.copyOf(providers);
      FAILURES = List.copyOf(failures);
    }
  }

  /**
   * Every queue provider found, ordered by its first scheme.
   *
   * @return the providers (empty when no queue module is on the class path)
   */
  public static List<DeliveryQueueProvider> all() {
    return Found.PROVIDERS;
  }

  /**
   * Every scheme a queue URI may start with, e.g. {@code jdbc:, redis:, rediss:}.
   *
   * @return the schemes with their colons, comma-separated, alphabetical
   */
  public static String schemes() {
    return Found.PROVIDERS.stream()
        .flatMap(p -> p.schemes().stream())
        .sorted()
        .distinct()
        .map(s -> s + ":")
        .collect(Collectors.joining(", "));
  }

  /**
   * The provider that opens a queue URI.
   *
   * @param uri a queue URI
   * @return its provider
   * @throws IllegalArgumentException when no provider or more than one takes the URI's scheme (the
   *     message names the schemes there are and quotes the URI, so a caller redacts it)
   */
  public static DeliveryQueueProvider forUri(String uri) {
    List<DeliveryQueueProvider> taking =
        Found.PROVIDERS.stream().filter(p -> p.accepts(uri)).collect(Collectors.toList());
    if (taking.size() == 1) {
      return taking.get(0);
    }
    if (taking.size() > 1) {
      throw new IllegalArgumentException(
          "the queue URI scheme of '"
              + uri
              + "' is taken by more than one queue provider on the class path ("
              + taking.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", "))
              + "): keep one");
    }
    String known =
        Found.PROVIDERS.isEmpty()
            ? "no delivery queue is on the class path (add a module with a DeliveryQueueProvider)"
            : "use " + schemes();
    String failed =
        Found.FAILURES.isEmpty()
            ? ""
            : " (queue providers that failed to load: " + String.join("; ", Found.FAILURES) + ")";
    throw new IllegalArgumentException(
        "unknown queue URI scheme in '" + uri + "': " + known + failed);
  }
}
