package dev.beckon.cli;

import dev.beckon.cli.config.UriProviders;
import dev.beckon.store.spi.StoreProvider;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/**
 * What the help texts and messages say about store URIs, from the {@linkplain UriProviders#stores()
 * store providers} on the class path: the CLI names no store. The help texts reach it as picocli
 * variables of a resource bundle ({@link #bundle()}):
 *
 * <ul>
 *   <li>{@code ${bundle:stores.usage}}: each store's URI syntax ({@link StoreProvider#usage()}),
 *       separated by semicolons
 *   <li>{@code ${bundle:stores.create}}: the URI options that create a table ({@link
 *       StoreProvider#createOption()}), e.g. {@code #create (jdbc:), ;Create=true (azure-table:)}
 * </ul>
 */
final class StoreHelp {

  /** The key of each store's URI syntax, one per line. */
  static final String USAGE = "stores.usage";

  /** The key of each queue's URI syntax. */
  static final String QUEUES = "queues.usage";

  /** The key of the URI options that create a table. */
  static final String CREATE = "stores.create";

  private StoreHelp() {}

  /** The bundle holding {@link #USAGE} and {@link #CREATE} (picocli does not format its values). */
  static ResourceBundle bundle() {
    String create = String.join(", ", createOptions(" (", ")"));
    Object[][] contents = {
      {USAGE, UriProviders.stores().usages()},
      {QUEUES, UriProviders.queues().usages()},
      {CREATE, create.isEmpty() ? "the store's own option" : create}
    };
    return new ListResourceBundle() {
      @Override
      protected Object[][] getContents() {
        return contents;
      }
    };
  }

  /**
   * The advice added to a missing-table failure: {@code (from the CLI: add --create-table, or
   * #create to jdbc:, ...)}.
   */
  static String createHint() {
    List<String> options = createOptions(" to ", "");
    return " (from the CLI: add --create-table"
        + (options.isEmpty() ? "" : ", or " + String.join(", ", options))
        + ")";
  }

  /** Each store's create option with its scheme: option, {@code between}, scheme, {@code after}. */
  private static List<String> createOptions(String between, String after) {
    return UriProviders.stores().all().stream()
        .flatMap(
            p ->
                p
                    .createOption()
                    .map(o -> o + between + UriProviders.stores().scheme(p) + after)
                    .stream())
        .collect(Collectors.toList());
  }
}
