package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.store.StoredReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code beckon send}: one proactive message to one stored reference. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description =
        "Send a message (text or an Adaptive Card) to one stored reference. Exit 0 when delivered, 1 when not, 3 when the reference does not exist.")
final class SendCommand implements Runnable {

  @Mixin StoreOption store;

  @Option(names = "--channel", required = true, description = "Channel id, e.g. msteams.")
  String channel;

  @Option(
      names = "--conversation",
      required = true,
      description = "Conversation id, exactly as stored.")
  String conversation;

  @Mixin SenderOptions sending;
  @Mixin MessageOptions message;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    ReferenceKey key;
    try {
      key = ReferenceKey.of(channel, conversation);
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, e.getMessage());
    }
    var activity = message.activity();
    try (ConfiguredStore s = store.open();
        BotConnectorSender sender = sending.sender()) {
      StoredReference ref =
          s.repository()
              .find(key)
              .orElseThrow(
                  () ->
                      new BeckonCli.CliFailure(
                          BeckonCli.NOT_FOUND,
                          "no reference for channel '"
                              + channel
                              + "', conversation '"
                              + conversation
                              + "'"));
      SendOutcome o = sender.send(ref.reference(), activity);
      if (!o.delivered()) {
        throw new BeckonCli.CliFailure(
            BeckonCli.FAILED,
            "not delivered: "
                + o.kind()
                + (o.errorCode() == null ? "" : " " + o.errorCode())
                + (o.message() == null ? "" : " — " + BeckonCli.speak(o.message())));
      }
      spec.commandLine()
          .getOut()
          .println("delivered (activity " + o.id() + ", " + o.attempts() + " attempt(s))");
    }
  }
}
