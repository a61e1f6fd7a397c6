package dev.beckon.cli;

import dev.beckon.activity.Activity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What {@code send} and {@code broadcast} send: a text or an Adaptive Card. */
final class MessageOptions {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Message message;

  static final class Message {
    @Option(names = "--text", description = "Text of the message.")
    String text;

    @Option(names = "--card", description = "An Adaptive Card JSON file to attach.")
    Path card;
  }

  @SuppressWarnings("unchecked")
  Activity activity() {
    if (message.text != null) {
      return Activity.message(message.text);
    }
    try {
      Map<String, Object> card =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readValue(Files.readString(message.card), Map.class);
      return Activity.message(null).withAttachment("application/vnd.microsoft.card.adaptive", card);
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT,
          "cannot read " + message.card + " as a JSON object: " + BeckonCli.oneLine(e));
    }
  }
}
