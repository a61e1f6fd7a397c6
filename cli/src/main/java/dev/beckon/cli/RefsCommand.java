package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code beckon refs list | show | delete}. */
@Command(
    name = "refs",
    mixinStandardHelpOptions = true,
    description = "List, show or delete stored conversation references.",
    subcommands = {
      RefsCommand.ListRefs.class,
      RefsCommand.ShowRef.class,
      RefsCommand.DeleteRef.class
    })
final class RefsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: list, show or delete");
  }

  /** The key options. */
  static final class KeyOptions {
    @Option(names = "--channel", required = true, description = "Channel id, e.g. msteams.")
    String channel;

    @Option(
        names = "--conversation",
        required = true,
        description = "Conversation id, exactly as stored.")
    String conversation;

    BeckonCli.CliFailure notFound() {
      return new BeckonCli.CliFailure(
          BeckonCli.NOT_FOUND,
          "no reference for channel '" + channel + "', conversation '" + conversation + "'");
    }

    ReferenceKey key() {
      try {
        return ReferenceKey.of(channel, conversation);
      } catch (IllegalArgumentException e) {
        throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, e.getMessage());
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List references, one per line (channel, conversation id, user, serviceUrl), or as JSON lines.")
  static final class ListRefs implements Runnable {
    @Mixin StoreOption store;

    @Option(names = "--channel", description = "Only this channel.")
    String channel;

    @Option(names = "--tenant", description = "Only this tenant (Teams).")
    String tenant;

    @Option(
        names = "--limit",
        defaultValue = "1000",
        converter = OptionTypes.Count.class,
        description = "At most this many (default ${DEFAULT-VALUE}; 0 = all).")
    long limit;

    @Option(names = "--json", description = "Print canonical JSON, one reference per line.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      ListQuery q =
          (channel == null ? ListQuery.all() : ListQuery.channel(channel))
              .withTenant(tenant)
              .withPageSize(500);
      UnreadableRows unreadable = new UnreadableRows(spec.commandLine().getErr());
      try (ConfiguredStore s = store.open();
          Stream<StoredReference> refs = s.repository().stream(q, unreadable)) {
        long[] n = {0};
        (limit > 0 ? refs.limit(limit) : refs)
            .forEach(
                r -> {
                  n[0]++;
                  ConversationReference c = r.reference();
                  if (json) {
                    out.println(ReferenceJson.write(c));
                  } else {
                    out.println(
                        c.channelId()
                            + "\t"
                            + c.conversation().id()
                            + "\t"
                            + (c.user() == null ? "-" : c.user().id())
                            + "\t"
                            + c.serviceUrl());
                  }
                });
        spec.commandLine().getErr().println(n[0] + " reference(s)" + unreadable.summary("skipped"));
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print one reference as JSON (exit 3 if absent).")
  static final class ShowRef implements Runnable {
    @Mixin StoreOption store;

    @ArgGroup(exclusive = false, multiplicity = "1")
    KeyOptions key;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (ConfiguredStore s = store.open()) {
        Optional<StoredReference> r = s.repository().find(key.key());
        if (r.isEmpty()) {
          throw key.notFound();
        }
        spec.commandLine().getOut().println(ReferenceJson.writePretty(r.get().reference()));
        spec.commandLine().getErr().println("version " + r.get().version());
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete one reference (exit 3 if absent).")
  static final class DeleteRef implements Runnable {
    @Mixin StoreOption store;

    @ArgGroup(exclusive = false, multiplicity = "1")
    KeyOptions key;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (ConfiguredStore s = store.open()) {
        if (!s.repository().delete(key.key())) {
          throw key.notFound();
        }
        spec.commandLine().getOut().println("deleted");
      }
    }
  }
}
