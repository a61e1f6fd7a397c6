package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredQueue;
import dev.beckon.cli.config.ConfiguredStore;
import picocli.CommandLine.Option;

/**
 * {@code --queue URI}, shared by {@code worker} and {@code deliveries}: the delivery queue, opened
 * from its URI as stores are ({@link ConfiguredQueue}), failures mapped to exit codes.
 */
final class QueueOption {

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "URI",
      description =
          "The delivery queue, written like a store URI of the same backend; passwords and keys in"
              + " it are never printed. The queues here take: ${bundle:"
              + StoreHelp.QUEUES
              + "}.")
  String uri;

  ConfiguredQueue open() {
    try {
      return ConfiguredQueue.open(uri);
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "--queue: " + BeckonCli.oneLine(e));
    } catch (RuntimeException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.FAILED,
          "cannot open queue " + ConfiguredStore.redact(uri) + ": " + BeckonCli.oneLine(e));
    }
  }
}
