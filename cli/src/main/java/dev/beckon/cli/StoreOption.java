package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import picocli.CommandLine.Option;

/**
 * The store options shared by the commands that read or write a store: {@code --store URI}, and
 * {@code --table} and {@code --create-table}, which every store type takes ({@link
 * ConfiguredStore#open(String, String, boolean)}).
 */
final class StoreOption {

  @Option(
      names = "--store",
      required = true,
      paramLabel = "URI",
      description =
          "The store (see 'Store URIs' in the README); passwords and keys in it are never printed."
              + " The stores here take: ${bundle:"
              + StoreHelp.USAGE
              + "}.")
  String uri;

  @Option(
      names = "--table",
      paramLabel = "NAME",
      description =
          "The table, for every store type (where a store has none, what stands for it, such as a "
              + "key prefix), written into the URI in the store's own syntax (see --store); a URI "
              + "that names another table is an error (exit 2).")
  String table;

  @Option(
      names = "--create-table",
      description =
          "Create the table if it is missing: the same as ${bundle:"
              + StoreHelp.CREATE
              + "} in the URI. A store without tables changes nothing.")
  boolean createTable;

  ConfiguredStore open() {
    return Stores.open(
        uri == null || uri.isBlank() ? uri : Stores.withTable(uri, "--table", table, createTable));
  }
}
