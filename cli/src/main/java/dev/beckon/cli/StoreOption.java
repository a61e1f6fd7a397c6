package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import picocli.CommandLine.Option;

/** The {@code --store URI} option shared by the commands that read or write a store. */
final class StoreOption {

  @Option(names = "--store", required = true, paramLabel = "URI",
      description = "The store: jdbc:...[#table=name][&create] (e.g. jdbc:sqlite:refs.db#table=mine&create), "
          + "redis://[user:password@]host:port[/prefix], azure-table:<connection string>[;Table=name][;Create=true], "
          + "dynamodb:<table>?endpoint=...&region=...[&create=true] (see 'Store URIs' in the README). "
          + "Passwords and keys in it are never printed.")
  String uri;

  ConfiguredStore open() {
    return Stores.open(uri);
  }
}
