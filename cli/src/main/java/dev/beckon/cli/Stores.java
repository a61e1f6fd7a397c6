package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;

/** Opens the store of a {@code --store} URI ({@link ConfiguredStore}), mapping failures to exit codes. */
final class Stores {

  private Stores() {}

  static ConfiguredStore open(String uri) {
    return open(uri, null, false);
  }

  static ConfiguredStore open(String uri, String table, boolean createTable) {
    try {
      return ConfiguredStore.open(uri, table, createTable);
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, (uri == null || uri.isBlank() ? "--store: " : "")
          + BeckonCli.oneLine(e));
    } catch (RuntimeException e) {
      throw new BeckonCli.CliFailure(BeckonCli.FAILED,
          "cannot open store " + ConfiguredStore.redact(uri) + ": " + BeckonCli.oneLine(e));
    }
  }
}
