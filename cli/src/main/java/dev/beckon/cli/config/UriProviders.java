package dev.beckon.cli.config;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.store.spi.StoreProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The providers of one kind on the class path, found once through {@link ServiceLoader}: every
 * store ({@link #stores()}) and every delivery queue ({@link #queues()}) a URI can name. The CLI
 * and the examples name no backend; a module's jar on the class path (or any jar registering a
 * provider in {@code META-INF/services}) is all it takes to reach one.
 *
 * <p>A provider that fails to load is left out and named in the message of {@link #forUri} when no
 * other provider takes the URI. Each kind is loaded on its first use. Thread-safe.
 *
 * @param <P> the provider type
 */
public final class UriProviders<P> {

  private final String kind;
  private final String none;
  private final String addOne;
  private final Function<P, Set<String>> schemesOf;
  private final BiPredicate<P, String> accepts;
  private final Function<P, String> usageOf;
  private final Function<P, Set<String>> secretsOf;
  private final List<P> providers;
  private final List<String> failures;

  /** The stores, loaded on first use. */
  private static final class Stores {
    static final UriProviders<StoreProvider> FOUND =
        new UriProviders<>(
            StoreProvider.class,
            "store",
            "store",
            "add a beckon-storage-* module",
            StoreProvider::schemes,
            StoreProvider::accepts,
            StoreProvider::usage,
            StoreProvider::secretParameters);
  }

  /** The delivery queues, loaded on first use. */
  private static final class Queues {
    static final UriProviders<DeliveryQueueProvider> FOUND =
        new UriProviders<>(
            DeliveryQueueProvider.class,
            "queue",
            "delivery queue",
            "add a module with a DeliveryQueueProvider",
            DeliveryQueueProvider::schemes,
            DeliveryQueueProvider::accepts,
            DeliveryQueueProvider::usage,
            DeliveryQueueProvider::secretParameters);
  }

  private UriProviders(
      Class<P> type,
      String kind,
      String noun,
      String addOne,
      Function<P, Set<String>> schemesOf,
      BiPredicate<P, String> accepts,
      Function<P, String> usageOf,
      Function<P, Set<String>> secretsOf) {
    this.kind = kind;
    this.none = "no " + noun + " is on the class path";
    this.addOne = addOne;
    this.schemesOf = schemesOf;
    this.accepts = accepts;
    this.usageOf = usageOf;
    this.secretsOf = secretsOf;
    List<P> found = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    Iterator<P> it = ServiceLoader.load(type, UriProviders.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        // a provider whose class or library is broken: the others still work
        failed.add(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    found.sort(Comparator.comparing(this::scheme));
    this.providers = List.copyOf(found);
    this.failures = List.copyOf(failed);
  }

  /**
   * The store providers on the class path.
   *
   * @return the stores' providers
   */
  public static UriProviders<StoreProvider> stores() {
    return Stores.FOUND;
  }

  /**
   * The delivery queue providers on the class path.
   *
   * @return the queues' providers
   */
  public static UriProviders<DeliveryQueueProvider> queues() {
    return Queues.FOUND;
  }

  /**
   * Every provider found, ordered by {@link #scheme}.
   *
   * @return the providers (empty when no module of this kind is on the class path)
   */
  public List<P> all() {
    return providers;
  }

  /**
   * A provider's first scheme in alphabetical order, with its colon, e.g. {@code redis:}: how help
   * texts name the backend.
   *
   * @param provider a provider
   * @return the scheme and a colon
   */
  public String scheme(P provider) {
    return new TreeSet<>(schemesOf.apply(provider)).first() + ":";
  }

  /**
   * Every scheme a URI of this kind may start with, e.g. {@code azure-table:, jdbc:, redis:,
   * rediss:}.
   *
   * @return the schemes with their colons, comma-separated, alphabetical
   */
  public String schemes() {
    return providers.stream()
        .flatMap(p -> schemesOf.apply(p).stream())
        .sorted()
        .distinct()
        .map(s -> s + ":")
        .collect(Collectors.joining(", "));
  }

  /**
   * Every provider's URI syntax, for help texts.
   *
   * @return the usages, {@code "; "}-separated, or a parenthesised note when there is none
   */
  public String usages() {
    String usage = providers.stream().map(usageOf).collect(Collectors.joining("; "));
    return usage.isEmpty() ? "(" + none + ")" : usage;
  }

  /**
   * The names of the URI parameters that carry secrets, as the providers declare them.
   *
   * @return the names (may repeat)
   */
  public Stream<String> secretParameters() {
    return providers.stream().flatMap(p -> secretsOf.apply(p).stream());
  }

  /**
   * The provider that opens a URI.
   *
   * @param uri a URI of this kind
   * @return its provider
   * @throws IllegalArgumentException when no provider takes the URI's scheme (the message lists the
   *     schemes there are), or more than one does (the message names them); the message quotes the
   *     URI, so a caller redacts it
   */
  public P forUri(String uri) {
    List<P> taking = taking(uri);
    if (taking.size() == 1) {
      return taking.get(0);
    }
    if (taking.size() > 1) {
      throw new IllegalArgumentException(
          "the "
              + kind
              + " URI scheme of '"
              + uri
              + "' is taken by more than one "
              + kind
              + " provider on the class path ("
              + taking.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", "))
              + "): keep one");
    }
    String known = providers.isEmpty() ? none + " (" + addOne + ")" : "use " + schemes();
    String failed =
        failures.isEmpty()
            ? ""
            : " (" + kind + " providers that failed to load: " + String.join("; ", failures) + ")";
    throw new IllegalArgumentException(
        "unknown " + kind + " URI scheme in '" + uri + "': " + known + failed);
  }

  /**
   * The provider of a URI, or {@code null} when no single provider takes it.
   *
   * @param uri a URI of this kind
   * @return the provider, or {@code null}
   */
  @Nullable P find(String uri) {
    List<P> taking = taking(uri);
    return taking.size() == 1 ? taking.get(0) : null;
  }

  private List<P> taking(String uri) {
    return providers.stream().filter(p -> accepts.test(p, uri)).collect(Collectors.toList());
  }
}
