package dev.beckon.cli.config;

import dev.beckon.store.spi.StoreProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@link StoreProvider}s on the class path, found once through {@link ServiceLoader}: every
 * store a URI can name. The CLI and the examples name no store; a storage module's jar on the class
 * path (or any jar registering a provider in {@code META-INF/services}) is all it takes to reach
 * one.
 *
 * <p>A provider that fails to load is left out and named in the message of {@link #forUri} when no
 * other provider takes the URI. Thread-safe.
 */
public final class StoreProviders {

  private StoreProviders() {}

  /** Loaded on first use. */
  private static final class Found {
    static final List<StoreProvider> PROVIDERS;
    static final List<String> FAILURES;

    static {
      List<StoreProvider> providers = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      Iterator<StoreProvider> it =
          ServiceLoader.load(StoreProvider.class, StoreProviders.class.getClassLoader()).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          providers.add(it.next());
        } catch (ServiceConfigurationError | LinkageError e) {
          // a provider whose class or library is broken: the others still work
          failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      providers.sort(Comparator.comparing(StoreProviders::scheme));
      PROVIDERS = List.copyOf(providers);
      FAILURES = List.copyOf(failures);
    }
  }

  /**
   * Every provider found, ordered by {@link #scheme}.
   *
   * @return the providers (empty when no store is on the class path)
   */
  public static List<StoreProvider> all() {
    return Found.PROVIDERS;
  }

  /**
   * A provider's first scheme in alphabetical order, with its colon, e.g. {@code redis:}: how help
   * texts name the store.
   *
   * @param provider a provider
   * @return the scheme and a colon
   */
  public static String scheme(StoreProvider provider) {
    return new TreeSet<>(provider.schemes()).first() + ":";
  }

  /**
   * Every scheme a store URI may start with, e.g. {@code azure-table:, jdbc:, redis:, rediss:}.
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
   * The provider that opens a URI.
   *
   * @param uri a store URI
   * @return its provider
   * @throws IllegalArgumentException when no provider takes the URI's scheme (the message lists the
   *     schemes there are), or more than one does (the message names them); the message quotes the
   *     URI, so a caller redacts it
   */
  public static StoreProvider forUri(String uri) {
    List<StoreProvider> taking =
        Found.PROVIDERS.stream().filter(p -> p.accepts(uri)).collect(Collectors.toList());
    if (taking.size() == 1) {
      return taking.get(0);
    }
    if (taking.size() > 1) {
      throw new IllegalArgumentException(
          "the store URI scheme of '"
              + uri
              + "' is taken by more than one store provider on the class path ("
              + taking.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", "))
              + "): keep one");
    }
    String known =
        Found.PROVIDERS.isEmpty()
            ? "no store is on the class path (add a beckon-storage-* module)"
            : "use " + schemes();
    String failed =
        Found.FAILURES.isEmpty()
            ? ""
            : " (store providers that failed to load: " + String.join("; ", Found.FAILURES) + ")";
    throw new IllegalArgumentException(
        "unknown store URI scheme in '" + uri + "': " + known + failed);
  }

  /**
   * The provider of a URI, or {@code null} when no single provider takes it.
   *
   * @param uri a store URI
   * @return the provider, or {@code null}
   */
  static @org.jspecify.annotations.Nullable StoreProvider find(String uri) {
    List<StoreProvider> taking =
        Found.PROVIDERS.stream().filter(p -> p.accepts(uri)).collect(Collectors.toList());
    return taking.size() == 1 ? taking.get(0) : null;
  }
}
