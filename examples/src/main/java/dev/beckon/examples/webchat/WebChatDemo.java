package dev.beckon.examples.webchat;

import dev.beckon.examples.bots.BotHost;
import dev.beckon.examples.bots.NotifyWhenDoneBot;
import dev.beckon.examples.config.BotConfig;
import dev.beckon.testkit.DirectLineChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The browser demo ({@code scripts/demo.sh --browser}): Microsoft's Web Chat in your browser,
 * talking through a local Direct Line channel ({@link DirectLineChannel}) to the notify-when-done
 * bot ({@link NotifyWhenDoneBot}), which keeps references and its promises in one SQLite file. Ask
 * it to "prepare my report": it answers, and a few seconds later it speaks first. Java only: no
 * Node, no cloud account; everything listens on 127.0.0.1.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code BECKON_WEBCHAT_PORT}</td><td>port of the page</td><td>{@code 3980}</td></tr>
 *   <tr><td>{@code BECKON_WEBCHAT_JS}</td><td>botframework-webchat's {@code dist/webchat.js}</td>
 *       <td>{@code .test-servers/webchat/4.18.1/webchat.js}</td></tr>
 *   <tr><td>{@code BECKON_STORE}</td><td>the store (and queue) file</td>
 *       <td>{@code jdbc:sqlite:beckon-webchat-demo.db#create}</td></tr>
 *   <tr><td>{@code BECKON_JOB_SECONDS}</td><td>how long the "report" takes</td><td>5</td></tr>
 * </table>
 */
public final class WebChatDemo {

  /** The default port of the page. */
  public static final int DEFAULT_PORT = 3980;

  private WebChatDemo() {}

  /**
   * Runs the demo until Ctrl+C.
   *
   * @param args ignored
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    // bound the time of one request on the JDK servers (read once, before the first server starts)
    System.setProperty("sun.net.httpserver.maxReqTime", "10");
    System.setProperty("sun.net.httpserver.maxRspTime", "30");
    Map<String, String> env = System.getenv();
    int port;
    try {
      port = Integer.parseInt(env.getOrDefault("BECKON_WEBCHAT_PORT", "" + DEFAULT_PORT).strip());
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      System.err.println("BECKON_WEBCHAT_PORT must be a port number");
      System.exit(2);
      return;
    }
    Path js =
        Path.of(env.getOrDefault("BECKON_WEBCHAT_JS", WebChatSite.DEFAULT_WEBCHAT_JS.toString()));
    String store = env.getOrDefault("BECKON_STORE", "jdbc:sqlite:beckon-webchat-demo.db#create");
    Duration job =
        Duration.ofMillis(
            (long) (Double.parseDouble(env.getOrDefault("BECKON_JOB_SECONDS", "5")) * 1000));
    Running r;
    try {
      r = start(store, port, js, job, System.out);
    } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
      System.err.println("Beckon browser demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  r.close();
                  stopped.countDown();
                },
                "demo-shutdown"));
    System.out.println();
    System.out.println(
        "open " + r.channel().baseUrl() + " in your browser (Ctrl+C stops the demo)");
    System.out.flush();
    stopped.await();
  }

  /**
   * The running demo.
   *
   * @param channel the Direct Line channel serving the page
   * @param host the bot's host
   * @param bot the bot
   */
  public record Running(DirectLineChannel channel, BotHost host, NotifyWhenDoneBot bot)
      implements AutoCloseable {
    /** Stops the page, the bot's worker, the bot's endpoint and the store. */
    @Override
    public void close() {
      channel.close();
      host.close();
    }
  }

  /**
   * Starts the bot and the page.
   *
   * @param store the store URI (SQLite or H2 keeps the queue in the same database)
   * @param port the page's port (0: any free port)
   * @param webchatJs botframework-webchat's {@code dist/webchat.js}
   * @param job how long the report takes
   * @param out where the bot narrates
   * @return the running demo
   * @throws IOException when a port cannot be bound
   * @throws IllegalArgumentException for a bad store URI or a missing webchat.js
   */
  public static Running start(String store, int port, Path webchatJs, Duration job, PrintStream out)
      throws IOException {
    BotHost host = BotHost.open(new BotConfig(store, "127.0.0.1", 0, null, null, null, List.of()));
    try {
      BotHost.OpenedQueue q = host.openQueue();
      NotifyWhenDoneBot bot =
          new NotifyWhenDoneBot(
              host.repository(),
              host.sender(),
              q.queue(),
              job,
              line -> out.println("[bot] " + line));
      host.onClose(bot);
      host.start((activity, reference, outcome) -> bot.onActivity(activity, reference));
      DirectLineChannel channel =
          DirectLineChannel.start(
              URI.create(host.endpoint().toString()), port, "beckon-bot", "Beckon Bot");
      try {
        WebChatSite.serve(channel, webchatJs, Duration.ofMillis(500));
      } catch (RuntimeException e) {
        channel.close();
        throw e;
      }
      out.println("== Beckon browser demo: a bot that speaks first, in Microsoft Web Chat ==");
      out.println("store: " + host.storeDescription());
      out.println("queue: " + q.description());
      out.println("bot endpoint: " + host.endpoint());
      return new Running(channel, host, bot);
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }
}
