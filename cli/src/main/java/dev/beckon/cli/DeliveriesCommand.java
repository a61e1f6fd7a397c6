package dev.beckon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.cli.config.ConfiguredQueue;
import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code beckon deliveries list | status | cancel | retry | purge}, over {@code --queue URI}. */
@Command(
    name = "deliveries",
    mixinStandardHelpOptions = true,
    description = "List, inspect, cancel, retry or purge the deliveries of a queue.",
    subcommands = {
      DeliveriesCommand.ListDeliveries.class,
      DeliveriesCommand.Status.class,
      DeliveriesCommand.Cancel.class,
      DeliveriesCommand.Retry.class,
      DeliveriesCommand.Purge.class
    })
final class DeliveriesCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: list, status, cancel, retry or purge");
  }

  /** Runs an operation on a delivery key; a key the queue refuses is a usage error. */
  static <T> T onKey(String key, Function<String, T> operation) {
    try {
      return operation.apply(key);
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "delivery key: " + BeckonCli.oneLine(e));
    }
  }

  static BeckonCli.CliFailure notFound(String key) {
    return new BeckonCli.CliFailure(BeckonCli.NOT_FOUND, "no delivery with key '" + key + "'");
  }

  /** A status as one JSON object (canonical field names, instants in ISO-8601). */
  static String json(DeliveryStatus s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("deliveryKey", s.deliveryKey());
    o.put("channelId", s.to().channelId());
    o.put("conversationId", s.to().conversationId());
    o.put("state", s.state().name());
    o.put("attempts", s.attempts());
    o.put("notBefore", s.notBefore().toString());
    o.put("inFlight", s.inFlight());
    o.put("lastOutcome", s.lastOutcome());
    o.put("activityId", s.activityId());
    o.put("createdAt", s.createdAt().toString());
    o.put("updatedAt", s.updatedAt().toString());
    return o.toString();
  }

  /** A status as one tab-separated line: key, state, attempts, next due, channel, conversation. */
  static String line(DeliveryStatus s) {
    return String.join(
        "\t",
        s.deliveryKey(),
        s.state().name() + (s.inFlight() ? "*" : ""),
        Integer.toString(s.attempts()),
        s.notBefore().toString(),
        s.to().channelId(),
        s.to().conversationId(),
        s.lastOutcome() == null ? "-" : s.lastOutcome().replaceAll("\\p{Cntrl}", " "));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List deliveries, one per line (key, state (* while a worker holds it), attempts, next"
              + " due, channel, conversation, last outcome), or as JSON lines; one page at a time"
              + " (the next page's --cursor is printed on stderr), or every page with --all.")
  static final class ListDeliveries implements Runnable {
    @Mixin QueueOption queue;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only this state: ${COMPLETION-CANDIDATES}.")
    DeliveryState state;

    @Option(
        names = "--limit",
        defaultValue = "100",
        converter = OptionTypes.ListLimit.class,
        paramLabel = "N",
        description = "Deliveries per page, 1..1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--cursor",
        paramLabel = "CURSOR",
        description = "Go on from an earlier page: the cursor it printed.")
    String cursor;

    @Option(names = "--all", description = "Every page, one after the other, to the end.")
    boolean all;

    @Option(names = "--json", description = "Print one JSON object per delivery and line.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (ConfiguredQueue q = queue.open()) {
        long n = 0;
        long unreadable = 0;
        String at = cursor;
        do {
          DeliveryPage page;
          try {
            page = q.queue().list(state, at, limit);
          } catch (IllegalArgumentException e) {
            throw new BeckonCli.CliFailure(
                BeckonCli.BAD_INPUT, "--cursor: " + BeckonCli.oneLine(e));
          }
          for (DeliveryStatus s : page.items()) {
            out.println(json ? json(s) : line(s));
            n++;
          }
          unreadable += page.unreadable();
          at = page.next();
        } while (all && at != null);
        err.println(
            n
                + " delivery(ies)"
                + (unreadable == 0
                    ? ""
                    : ", " + unreadable + " unreadable row(s) skipped (their status raises)")
                + (at == null ? "" : "; next page: --cursor " + at));
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Print what the queue knows of one delivery (exit 3 if there is none).")
  static final class Status implements Runnable {
    @Mixin QueueOption queue;

    @Parameters(paramLabel = "KEY", description = "The delivery key, as scheduled.")
    String key;

    @Option(names = "--json", description = "Print it as one JSON object.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (ConfiguredQueue q = queue.open()) {
        Optional<DeliveryStatus> s = onKey(key, q.queue()::status);
        DeliveryStatus st = s.orElseThrow(() -> notFound(key));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(json(st));
          return;
        }
        out.println("key:          " + st.deliveryKey());
        out.println("to:           " + st.to().channelId() + " / " + st.to().conversationId());
        out.println("state:        " + st.state() + (st.inFlight() ? " (being sent now)" : ""));
        out.println("attempts:     " + st.attempts());
        out.println((st.state().terminal() ? "first due:    " : "due:          ") + st.notBefore());
        out.println("last outcome: " + (st.lastOutcome() == null ? "-" : st.lastOutcome()));
        out.println("activity id:  " + (st.activityId() == null ? "-" : st.activityId()));
        out.println("created:      " + st.createdAt());
        out.println("updated:      " + st.updatedAt());
      }
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
          "Cancel a pending delivery (exit 0); exit 1 when it has ended or a worker is sending it"
              + " right now, 3 when there is none.")
  static final class Cancel implements Runnable {
    @Mixin QueueOption queue;

    @Parameters(paramLabel = "KEY", description = "The delivery key, as scheduled.")
    String key;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (ConfiguredQueue q = queue.open()) {
        DeliveryQueue dq = q.queue();
        if (onKey(key, dq::cancel)) {
          spec.commandLine().getOut().println("cancelled " + key);
          return;
        }
        DeliveryStatus st = onKey(key, dq::status).orElseThrow(() -> notFound(key));
        throw new BeckonCli.CliFailure(
            BeckonCli.FAILED,
            "not cancelled: "
                + key
                + (st.inFlight()
                    ? " is being sent right now (try again once its attempt is recorded)"
                    : " has ended " + st.state()));
      }
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description =
          "Schedule an ended FAILED, UNKNOWN, DEAD or GONE delivery again: it becomes PENDING with"
              + " its attempts reset to 0 (the retry model's attempt cap starts over; its deadline"
              + " still counts from the first due time). Exit 1 when it is PENDING, DELIVERED or"
              + " CANCELLED, 3 when there is none.")
  static final class Retry implements Runnable {
    @Mixin QueueOption queue;

    @Parameters(paramLabel = "KEY", description = "The delivery key, as scheduled.")
    String key;

    @Option(
        names = "--in",
        defaultValue = "0s",
        converter = OptionTypes.Age.class,
        paramLabel = "DURATION",
        description = "Due after this long (default now).")
    Duration in;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (ConfiguredQueue q = queue.open()) {
        DeliveryQueue dq = q.queue();
        Instant due = Instant.now().plus(in);
        if (onKey(key, k -> dq.retry(k, due))) {
          spec.commandLine()
              .getOut()
              .println("pending again: " + key + " (attempts reset to 0, due " + due + ")");
          return;
        }
        DeliveryStatus st = onKey(key, dq::status).orElseThrow(() -> notFound(key));
        throw new BeckonCli.CliFailure(
            BeckonCli.FAILED,
            "not retried: "
                + key
                + " is "
                + st.state()
                + (st.inFlight() ? " and being sent" : "")
                + " (only FAILED, UNKNOWN, DEAD and GONE deliveries are retried)");
      }
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description =
          "Remove ended deliveries (any state but PENDING) last changed longer ago than"
              + " --older-than; their keys may then be scheduled again.")
  static final class Purge implements Runnable {
    @Mixin QueueOption queue;

    @Option(
        names = "--older-than",
        required = true,
        converter = OptionTypes.Age.class,
        paramLabel = "DURATION",
        description = "e.g. 7d, 24h, 30m or PT12H (0s..3650d).")
    Duration olderThan;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (ConfiguredQueue q = queue.open()) {
        Instant before = Instant.now().minus(olderThan);
        long n = q.queue().purge(before);
        spec.commandLine()
            .getOut()
            .println("purged " + n + " ended delivery(ies) last changed before " + before);
      }
    }
  }
}
