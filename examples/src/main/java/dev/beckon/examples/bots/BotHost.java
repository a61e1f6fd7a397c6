package dev.beckon.examples.bots;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.examples.config.BotConfig;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Sender;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.store.ReferenceRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Runs an example bot: opens the configured store, builds the sender, and serves {@code POST
 * /api/messages} through a {@link CaptureHandler} on the JDK's HTTP server — the wiring every
 * example shares, in one place. Point the Bot Framework Emulator at {@link #endpoint()} (leave App
 * ID and password empty for anonymous mode).
 *
 * <pre>{@code
 * try (BotHost host = BotHost.open(BotConfig.fromEnvironment())) {
 *   ReminderBot bot = new ReminderBot(host.repository(), host.sender(), System.out::println);
 *   host.start(bot);
 * }
 * }</pre>
 */
public final class BotHost implements AutoCloseable {

  /** Largest request body read; the capture handler refuses bodies over its own limit (256 KiB). */
  private static final int MAX_READ = 1024 * 1024;

  private final BotConfig config;
  private final ConfiguredStore store;
  private final BotConnectorSender sender;
  private final HttpServer server;
  private final Deque<AutoCloseable> closeFirst = new ArrayDeque<>();
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "bot-http");
            t.setDaemon(true);
            return t;
          });

  private BotHost(
      BotConfig config, ConfiguredStore store, BotConnectorSender sender, HttpServer server) {
    this.config = config;
    this.store = store;
    this.sender = sender;
    this.server = server;
    server.setExecutor(workers);
  }

  /**
   * Opens the store, builds the sender and binds the port (requests are served after {@link
   * #start}).
   *
   * @param config the configuration
   * @return the host
   * @throws IllegalArgumentException for a bad store URI
   * @throws IOException when the port cannot be bound
   */
  public static BotHost open(BotConfig config) throws IOException {
    ConfiguredStore store = ConfiguredStore.open(config.store());
    BotConnectorSender sender = null;
    try {
      TrustPolicy trust = TrustPolicy.publicCloud();
      for (String h : config.trustedHosts()) {
        trust = trust.withTrustedHost(h);
      }
      BotConnectorSender.Builder b = BotConnectorSender.builder().trustPolicy(trust);
      if (config.anonymous()) {
        b.anonymous();
      } else {
        ClientCredentials.Builder creds =
            ClientCredentials.builder(config.appId(), config.appPassword());
        if (config.tenantId() != null) {
          creds.tenant(config.tenantId());
        }
        b.credentials(creds.build());
      }
      sender = b.build();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
      return new BotHost(config, store, sender, server);
    } catch (IOException | RuntimeException e) {
      if (sender != null) {
        sender.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * The configured store's repository.
   *
   * @return the repository
   */
  public ReferenceRepository repository() {
    return store.repository();
  }

  /**
   * A description of the store (no secrets).
   *
   * @return e.g. {@code jdbc jdbc:sqlite:beckon-examples.db}
   */
  public String storeDescription() {
    return store.description();
  }

  /**
   * The sender (anonymous, or with the configured credentials).
   *
   * @return the sender
   */
  public Sender sender() {
    return sender;
  }

  /**
   * A delivery queue and what it is.
   *
   * @param queue the queue
   * @param description where it keeps its rows (no secrets), e.g. {@code jdbc:sqlite:bot.db table
   *     beckon_deliveries}
   * @param durable whether it survives a restart
   */
  public record OpenedQueue(DeliveryQueue queue, String description, boolean durable) {}

  /**
   * Opens the durable delivery queue in the store's own database: a {@link JdbcDeliveryQueue}
   * (table {@code beckon_deliveries}, created when missing) when the store is an SQLite or H2
   * database ({@code jdbc:sqlite:…}, {@code jdbc:h2:…}; single node, see docs/delivery.md). Any
   * other store gets an {@link InMemoryDeliveryQueue}, said so in the description: its promises do
   * not survive a restart.
   *
   * @return the queue
   */
  public OpenedQueue openQueue() {
    String uri = config.store();
    int hash = uri.indexOf('#');
    String url = hash < 0 ? uri : uri.substring(0, hash);
    String lower = url.toLowerCase(Locale.ROOT);
    DataSource ds = null;
    if (lower.startsWith("jdbc:sqlite:")) {
      org.sqlite.SQLiteConfig sqlite = new org.sqlite.SQLiteConfig();
      sqlite.setBusyTimeout(10_000);
      org.sqlite.SQLiteDataSource s = new org.sqlite.SQLiteDataSource(sqlite);
      s.setUrl(url);
      ds = s;
    } else if (lower.startsWith("jdbc:h2:")) {
      org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL(url);
      ds = h2;
    }
    if (ds == null) {
      return new OpenedQueue(
          new InMemoryDeliveryQueue(),
          "in memory (the store is not SQLite or H2: promises do not survive a restart)",
          false);
    }
    JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(ds).build();
    q.createSchema();
    int cut = url.indexOf(';');
    String shown = cut < 0 ? url : url.substring(0, cut);
    int query = shown.indexOf('?');
    shown = query < 0 ? shown : shown.substring(0, query);
    return new OpenedQueue(q, shown + " table " + q.tableName(), true);
  }

  /**
   * Closes something of the bot's (its delivery worker) when the host closes, before the sender and
   * the store; the last registered is closed first.
   *
   * @param resource what to close
   */
  public void onClose(AutoCloseable resource) {
    synchronized (closeFirst) {
      closeFirst.push(resource);
    }
  }

  /**
   * Serves another path next to {@code /api/messages} (a webhook, for instance).
   *
   * @param path the path, e.g. {@code /api/notify}
   * @param handler its handler
   */
  public void route(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /**
   * Serves {@code POST /api/messages}: every valid activity is captured (its reference saved) and
   * then handed to the bot.
   *
   * @param bot the bot
   * @return this host
   */
  public BotHost start(CaptureHandler.ActivityListener bot) {
    CaptureHandler handler =
        CaptureHandler.builder(store.repository())
            .authentication(
                config.anonymous()
                    ? AuthenticationConfig.anonymous()
                    : AuthenticationConfig.publicCloud(config.appId()))
            .onActivity(bot)
            .build();
    server.createContext("/api/messages", ex -> messages(handler, ex));
    server.start();
    return this;
  }

  private static void messages(CaptureHandler handler, HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().add("Allow", "POST");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_READ);
      }
      CaptureHandler.Result r = handler.handle(ex.getRequestHeaders()::getFirst, body);
      ex.sendResponseHeaders(r.status(), -1);
    }
  }

  /**
   * The messaging endpoint to give the Emulator or the Azure Bot resource.
   *
   * @return e.g. {@code http://127.0.0.1:3978/api/messages}
   */
  public URI endpoint() {
    return URI.create(
        "http://" + config.bindAddress() + ":" + server.getAddress().getPort() + "/api/messages");
  }

  /**
   * The base URI of the server, for other routes.
   *
   * @return e.g. {@code http://127.0.0.1:3978}
   */
  public URI baseUri() {
    return URI.create("http://" + config.bindAddress() + ":" + server.getAddress().getPort());
  }

  /**
   * A single-thread scheduler on a daemon thread, for an example's timed work.
   *
   * @param name the thread's name
   * @return the scheduler
   */
  static ScheduledExecutorService daemonTimer(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** Stops serving, then closes the sender and the store. */
  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    synchronized (closeFirst) {
      while (!closeFirst.isEmpty()) {
        try {
          closeFirst.pop().close();
        } catch (Exception e) {
          // closing on the way out: nothing to recover
        }
      }
    }
    sender.close();
    store.close();
  }

  /**
   * The {@code main} of every example: reads {@link BotConfig} from the environment, builds the
   * bot, prints where it listens, and serves until the process is stopped (Ctrl+C). A bad
   * configuration prints one line and exits with status 2.
   *
   * @param title the example's name, for the banner
   * @param bot builds the bot from the host (its repository, sender and routes)
   * @param out where the banner and the bot's log go
   */
  public static void runUntilStopped(
      String title, Function<BotHost, CaptureHandler.ActivityListener> bot, PrintStream out) {
    BotConfig config;
    BotHost host;
    try {
      config = BotConfig.fromEnvironment();
      host = open(config);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println(title + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    CaptureHandler.ActivityListener listener;
    try {
      listener = bot.apply(host);
    } catch (IllegalArgumentException e) {
      host.close();
      System.err.println(title + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  host.close();
                  stopped.countDown();
                },
                "bot-shutdown"));
    host.start(listener);
    out.println("== " + title + " ==");
    out.println("store: " + host.storeDescription());
    out.println(
        "mode: "
            + (config.anonymous()
                ? "anonymous (Bot Framework Emulator, App ID empty)"
                : "app " + config.appId()));
    out.println("listening on " + host.endpoint());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
