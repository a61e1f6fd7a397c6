package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredQueue;
import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.send.BotConnectorSender;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code beckon worker}: runs a {@link DeliveryWorker} on a queue until SIGINT or SIGTERM (or
 * {@code --run-for}, or {@code --drain}), then stops it gracefully: no new claims, sends in flight
 * finish and are recorded within {@code --grace}, claims not yet sent are released.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Send the due deliveries of a queue, looking each reference up in the store at send time,"
            + " until SIGINT/SIGTERM (or --run-for, or --drain); then stop gracefully: no new claims,"
            + " sends in flight finish within --grace, claims not yet sent are released. A live"
            + " progress line on stderr, the counts on stdout. Run as many as you like on one queue."
            + " Exit 0 when it stopped gracefully (whatever the deliveries' outcomes: they are in"
            + " the queue, see 'beckon deliveries list --state'), 1 when sends were still in flight"
            + " after --grace (their claims are recorded UNKNOWN once the lease expires) or the"
            + " queue or store failed, 2 on bad usage.")
final class WorkerCommand implements Callable<Integer> {

  /** Set by {@link BeckonCli#main}: only a real process handles SIGINT and SIGTERM. */
  static volatile boolean handleSignals;

  private static final CountDownLatch EXITED = new CountDownLatch(1);
  private static volatile int exitCode = BeckonCli.FAILED;

  @Mixin StoreOption store;
  @Mixin QueueOption queue;
  @Mixin SenderOptions sending;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      converter = OptionTypes.WorkerConcurrency.class,
      paramLabel = "N",
      description = "Sends in flight at most, 1..1000 (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--lease",
      defaultValue = "5m",
      converter = OptionTypes.Lease.class,
      paramLabel = "DURATION",
      description =
          "How long a claim is exclusive, 1s..1h (default ${DEFAULT-VALUE}): longer than a send can"
              + " take; a dead worker's claims are taken over after it.")
  Duration lease;

  @Option(
      names = "--grace",
      defaultValue = "30s",
      converter = OptionTypes.Grace.class,
      paramLabel = "DURATION",
      description =
          "On stop, how long sends in flight may take to finish (default ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The worker's name in logs, 1-64 characters (default worker- and 8 hex).")
  String name;

  @Option(
      names = "--resend-unknown",
      description =
          "Send again a delivery that may have been delivered (an UNKNOWN outcome, a worker lost"
              + " during its send) instead of ending it UNKNOWN: a possible duplicate for a"
              + " possible loss.")
  boolean resendUnknown;

  @Option(
      names = "--drain",
      description = "Stop once nothing is due (a batch run, e.g. from cron), instead of waiting.")
  boolean drain;

  @Option(
      names = "--run-for",
      converter = OptionTypes.Grace.class,
      paramLabel = "DURATION",
      description = "Stop gracefully after this long (0s..1d), unless stopped before.")
  Duration runFor;

  @Spec CommandSpec spec;

  /** Called by {@link BeckonCli#main} with the exit code, before the JVM exits. */
  static void exited(int code) {
    exitCode = code;
    EXITED.countDown();
  }

  @Override
  public Integer call() {
    if (drain && runFor != null) {
      throw BeckonCli.usage(spec, "--drain and --run-for exclude each other");
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = handleSignals ? signalHook(stop) : null;
    try (ConfiguredStore s = store.open();
        ConfiguredQueue q = queue.open();
        BotConnectorSender sender = sending.sender()) {
      CountingQueue counting = new CountingQueue(q.queue());
      DeliveryWorker.Builder b =
          DeliveryWorker.builder(counting, s.repository(), sender)
              .concurrency(concurrency)
              .lease(lease)
              .resendUnknown(resendUnknown);
      if (name != null) {
        try {
          b.name(name);
        } catch (IllegalArgumentException e) {
          throw BeckonCli.usage(spec, "--name: " + e.getMessage());
        }
      }
      DeliveryWorker worker = b.build();
      err.printf(
          "[worker] %s on %s, references in %s, concurrency %d%n",
          worker.name(), q.description(), s.description(), concurrency);
      long started = System.nanoTime();
      ScheduledExecutorService ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "beckon-worker-progress");
                t.setDaemon(true);
                return t;
              });
      Runnable line =
          () -> {
            err.print(
                "\r" + ProgressLine.worker(counting.progress(), millisSince(started)) + "   ");
            err.flush();
          };
      var ticking = ticker.scheduleAtFixedRate(line, 1, 1, TimeUnit.SECONDS);
      boolean graceful;
      try {
        if (drain) {
          graceful = drain(worker, stop);
        } else {
          worker.start();
          await(stop, runFor);
          graceful = worker.stop(grace);
        }
      } finally {
        ticking.cancel(false);
        ticker.shutdownNow();
        line.run();
        err.println();
      }
      CountingQueue.Counts c = counting.progress();
      out.printf(
          Locale.ROOT,
          "worker %s stopped: claimed %,d, delivered %,d, gone %,d, failed %,d, unknown %,d,"
              + " dead %,d, retried %,d, released %,d, lost claims %,d%n",
          worker.name(),
          c.claimed(),
          c.delivered(),
          c.gone(),
          c.failed(),
          c.unknown(),
          c.dead(),
          c.retried(),
          c.released(),
          c.lost());
      if (!graceful) {
        err.println(
            "beckon: "
                + c.inFlight()
                + " send(s) were still in flight after the --grace of "
                + OptionTypes.words(grace)
                + "; their claims are recorded UNKNOWN once the lease expires");
        return BeckonCli.FAILED;
      }
      return 0;
    } finally {
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // a signal arrived: the hook is running and waits for the exit code
        }
      }
    }
  }

  /** Rounds of claims and sends until a round finds nothing due, or a stop is asked for. */
  private static boolean drain(DeliveryWorker worker, CountDownLatch stop) {
    while (stop.getCount() > 0 && worker.runOnce() > 0) {
      // runOnce returns when every claimed delivery is recorded
    }
    return true;
  }

  private static void await(CountDownLatch stop, Duration runFor) {
    try {
      if (runFor == null) {
        stop.await();
      } else {
        stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGINT and SIGTERM start the JVM's shutdown: the hook asks the worker to stop, waits until
   * {@link BeckonCli#main} has the exit code (the graceful stop and the summary are done), and ends
   * the process with that code rather than 128 + the signal's number.
   */
  private Thread signalHook(CountDownLatch stop) {
    long wait = grace.toMillis() + Duration.ofSeconds(30).toMillis();
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              int code = BeckonCli.FAILED;
              try {
                if (EXITED.await(wait, TimeUnit.MILLISECONDS)) {
                  code = exitCode;
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              System.out.flush();
              System.err.flush();
              Runtime.getRuntime().halt(code);
            },
            "beckon-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
