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
          "The store: jdbc:...[#table=name][&create] (e.g. jdbc:sqlite:refs.db#table=mine&create), "
              + "redis://[user:password@]host:port[/prefix], azure-table:<connection string>[;Table=name][;Create=true], "
              + "dynamodb:<table>?endpoint=...&region=...[&create=true] (see 'Store URIs' in the README). "
              + "Passwords and keys in it are never printed.")
  String uri;

  @Option(
      names = "--table",
      paramLabel = "NAME",
      description =
          "The table, for every store type: the JDBC table (default beckon_references), the Redis key "
              + "prefix (default beckon), the Azure table (default beckonreferences), the DynamoDB table (then "
              + "dynamodb:?region=... may leave it out). The same as #table=, /prefix, ;Table= or dynamodb:<table> in "
              + "the URI; a URI that names another table is an error (exit 2).")
  String table;

  @Option(
      names = "--create-table",
      description =
          "Create the table if it is missing (JDBC, Azure Table, DynamoDB; Redis has no table, so "
              + "nothing changes). The same as #create, ;Create=true or &create=true in the URI.")
  boolean createTable;

  ConfiguredStore open() {
    return Stores.open(
        uri == null || uri.isBlank() ? uri : Stores.withTable(uri, "--table", table, createTable));
  }
}
