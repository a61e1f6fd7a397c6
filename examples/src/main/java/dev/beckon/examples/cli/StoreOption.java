package dev.beckon.examples.cli;

import dev.beckon.examples.config.ConfiguredStore;
import picocli.CommandLine.Option;

/** The {@code --store URI} option shared by the commands that read or write a store. */
final class StoreOption {

  @Option(names = "--store", required = true, paramLabel = "URI",
      description = "The store: jdbc:..., redis://host:port[/prefix], azure-table:<connection string>, "
          + "dynamodb:<table>?endpoint=...&region=... (see 'Store URIs' in the README).")
  String uri;

  ConfiguredStore open() {
    return Stores.open(uri);
  }
}
