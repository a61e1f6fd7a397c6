package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;

/**
 * Opens the store of a {@code --store} URI ({@link ConfiguredStore}), mapping failures to exit
 * codes.
 */
final class Stores {

  private Stores() {}

  /**
   * The URI with a {@code --table}-like option and {@code --create-table} applied ({@link
   * ConfiguredStore#withTable}); a conflict is a usage error naming the option.
   */
  static String withTable(String uri, String tableOption, String table, boolean createTable) {
    try {
      return ConfiguredStore.withTable(uri, table, createTable);
    } catch (IllegalArgumentException e) {
      String m = BeckonCli.oneLine(e);
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT, m.startsWith("--") ? m : tableOption + ": " + m);
    }
  }

  static ConfiguredStore open(String uri) {
    try {
      return ConfiguredStore.open(uri);
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT,
          (uri == null || uri.isBlank() ? "--store: " : "") + BeckonCli.oneLine(e));
    } catch (RuntimeException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.FAILED,
          "cannot open store " + ConfiguredStore.redact(uri) + ": " + BeckonCli.oneLine(e));
    }
  }
}
