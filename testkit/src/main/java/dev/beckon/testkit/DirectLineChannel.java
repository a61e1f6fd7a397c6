package dev.beckon.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small Direct Line v3 channel on 127.0.0.1, so that Microsoft's Web Chat (or any Direct Line
 * client) talks to a bot on this machine: the client side of Direct Line 3.0 with <b>polling</b>
 * (no WebSocket stream), and the Bot Connector endpoints the bot posts its answers and proactive
 * messages to. Same origin for the page it serves, the client API and the connector: no CORS.
 *
 * <pre>{@code
 * try (DirectLineChannel channel = DirectLineChannel.start(URI.create("http://127.0.0.1:3978/api/messages"))) {
 *   channel.serve("/", "text/html", page);     // a page that runs Web Chat against channel.directLineUrl()
 *   ... channel.transcript(conversationId) ...
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>endpoint</th><th>who calls it</th><th>does</th></tr>
 *   <tr><td>{@code POST /v3/directline/conversations}</td><td>the client, with {@code
 *       Authorization: Bearer} {@link #secret()}</td><td>starts a conversation; answers {@code
 *       conversationId} and a conversation token</td></tr>
 *   <tr><td>{@code GET /v3/directline/conversations/{id}}, {@code POST
 *       /v3/directline/tokens/refresh}</td><td>the client, with the conversation
 *       token</td><td>reconnect, token refresh (the same token)</td></tr>
 *   <tr><td>{@code POST /v3/directline/conversations/{id}/activities}</td><td>the client, with
 *       the conversation token</td><td>adds the user's activity to the transcript (an id, a
 *       timestamp, {@code channelId} {@code webchat}, {@link #serviceUrl()}) and posts it to the
 *       bot's endpoint; answers {@code {"id"}}, or 502 when the bot did not take it</td></tr>
 *   <tr><td>{@code GET /v3/directline/conversations/{id}/activities?watermark=n}</td><td>the
 *       client, polling</td><td>the transcript from {@code n}, and the next watermark</td></tr>
 *   <tr><td>{@code POST /v3/conversations/{id}/activities[/{replyToId}]}</td><td>the bot (the
 *       Bot Connector API; no token: anonymous mode, loopback only)</td><td>adds the bot's
 *       activity to the transcript; answers {@code {"id"}}</td></tr>
 * </table>
 *
 * <p>Everything from a client or the bot is hostile: bodies are bounded ({@link #MAX_CLIENT_BODY},
 * {@link #MAX_BOT_BODY}) and parsed with bounded nesting, string length and numbers; tokens are
 * random and compared in constant time; ids and watermarks are checked; the number of conversations
 * ({@link #MAX_CONVERSATIONS}) and of activities per conversation ({@link #MAX_ACTIVITIES}) is
 * bounded (429 past them); the call to the bot has a timeout. Not implemented: the WebSocket
 * stream, attachments upload, {@code GET …/activities} paging past {@link #MAX_ACTIVITIES},
 * create-conversation for the bot, and channel authentication (never expose it beyond 127.0.0.1).
 * The JDK server bounds the time of a request only when the JVM sets {@code
 * sun.net.httpserver.maxReqTime} and {@code maxRspTime} (seconds) before its first server starts;
 * the browser demo does. Thread-safe.
 */
public final class DirectLineChannel implements AutoCloseable {

  /** Largest body a Direct Line client may post (64 KiB). */
  public static final int MAX_CLIENT_BODY = 64 * 1024;

  /** Largest body the bot may post (256 KiB, the Bot Connector's own limit). */
  public static final int MAX_BOT_BODY = 256 * 1024;

  /** Most conversations kept; past it, a new conversation is refused with 429. */
  public static final int MAX_CONVERSATIONS = 1_000;

  /** Most activities kept per conversation; past it, posts are refused with 429. */
  public static final int MAX_ACTIVITIES = 1_000;

  /** The longest a post to the bot's endpoint may take. */
  public static final Duration BOT_TIMEOUT = Duration.ofSeconds(10);

  /** Largest nesting of a parsed body. */
  static final int MAX_DEPTH = 32;

  private static final Pattern DIRECT_LINE =
      Pattern.compile("^/v3/directline/conversations(?:/([^/]{1,128})(/activities)?)?/?$");
  private static final Pattern CONNECTOR =
      Pattern.compile("^/v3/conversations/([^/]{1,128})/activities(?:/([^/]{1,256}))?/?$");
  private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern WATERMARK = Pattern.compile("[0-9]{1,9}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(MAX_DEPTH)
                      .maxStringLength(MAX_BOT_BODY)
                      .maxNumberLength(64)
                      .maxNameLength(1024)
                      .build())
              .build());

  /** One conversation: its token and transcript. */
  private static final class Conversation {
    final String id;
    final String token;
    final List<ObjectNode> activities = new ArrayList<>();

    Conversation(String id, String token) {
      this.id = id;
      this.token = token;
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final HttpClient http;
  private final String secret = random(24);
  private final String botId;
  private final String botName;
  private volatile URI botEndpoint;
  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
  private final Map<String, Page> pages = new ConcurrentHashMap<>();

  @SuppressWarnings("ArrayRecordComponent") // private, never compared: the array is only read
  private record Page(String contentType, byte[] body) {}

  private DirectLineChannel(
      HttpServer server, ExecutorService pool, URI botEndpoint, String botId, String botName) {
    this.server = server;
    this.pool = pool;
    this.botEndpoint = botEndpoint;
    this.botId = botId;
    this.botName = botName;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Starts a channel on 127.0.0.1 with an ephemeral port, for a bot named {@code Beckon Bot}.
   *
   * @param botEndpoint the bot's messaging endpoint, e.g. {@code
   *     http://127.0.0.1:3978/api/messages}
   * @return the running channel
   * @throws UncheckedIOException when no port can be bound
   */
  public static DirectLineChannel start(URI botEndpoint) {
    return start(botEndpoint, 0, "beckon-bot", "Beckon Bot");
  }

  /**
   * Starts a channel on 127.0.0.1.
   *
   * @param botEndpoint the bot's messaging endpoint (a loopback http URL)
   * @param port the port (0: any free port)
   * @param botId the bot's account id in activities
   * @param botName the bot's display name
   * @return the running channel
   * @throws IllegalArgumentException when the endpoint is not {@code http} on a loopback address
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static DirectLineChannel start(URI botEndpoint, int port, String botId, String botName) {
    requireLoopback(botEndpoint);
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              8,
              r -> {
                Thread t = new Thread(r, "direct-line");
                t.setDaemon(true);
                return t;
              });
      s.setExecutor(pool);
      DirectLineChannel c = new DirectLineChannel(s, pool, botEndpoint, botId, botName);
      s.createContext("/", c::handle);
      s.start();
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireLoopback(URI endpoint) {
    Objects.requireNonNull(endpoint, "botEndpoint");
    String host = endpoint.getHost();
    if (!"http".equals(endpoint.getScheme())
        || host == null
        || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
      throw new IllegalArgumentException("the bot endpoint must be http on 127.0.0.1: " + endpoint);
    }
  }

  /**
   * Points the channel at another bot endpoint (a bot restarted on another port).
   *
   * @param endpoint the new endpoint (a loopback http URL)
   */
  public void botEndpoint(URI endpoint) {
    requireLoopback(endpoint);
    this.botEndpoint = endpoint;
  }

  /**
   * Serves a fixed resource (a page, a script) on a path of this origin, e.g. Web Chat's page, so
   * the page, the client API and the connector share one origin.
   *
   * @param path e.g. {@code /} or {@code /webchat.js}
   * @param contentType e.g. {@code text/html; charset=utf-8}
   * @param body the bytes
   */
  public void serve(String path, String contentType, byte[] body) {
    if (!path.startsWith("/") || path.startsWith("/v3/")) {
      throw new IllegalArgumentException("a page path starts with / and not with /v3/: " + path);
    }
    pages.put(path, new Page(contentType, body.clone()));
  }

  /**
   * The base URL of this origin.
   *
   * @return e.g. {@code http://127.0.0.1:40123/}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /**
   * The Direct Line domain to give the client ({@code createDirectLine({domain, token})}).
   *
   * @return e.g. {@code http://127.0.0.1:40123/v3/directline}
   */
  public String directLineUrl() {
    return baseUrl() + "v3/directline";
  }

  /**
   * The service URL the bot receives in every activity, where it posts its own.
   *
   * @return {@link #baseUrl()}
   */
  public String serviceUrl() {
    return baseUrl();
  }

  /**
   * The secret a client starts conversations with (random per channel).
   *
   * @return the secret
   */
  public String secret() {
    return secret;
  }

  /**
   * The ids of the conversations started so far.
   *
   * @return the ids
   */
  public List<String> conversationIds() {
    return List.copyOf(conversations.keySet());
  }

  /**
   * A conversation's transcript: the user's activities and the bot's, in the order the channel took
   * them.
   *
   * @param conversationId the conversation
   * @return the activities (empty for an unknown conversation)
   */
  public List<Activity> transcript(String conversationId) {
    Conversation c = conversations.get(conversationId);
    if (c == null) {
      return List.of();
    }
    synchronized (c) {
      return c.activities.stream().map(ActivityJson::read).toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  // ------------------------------------------------------------------ HTTP

  /**
   * Answers one exchange and closes it (the server's handler; package-private for the fuzz target,
   * which drives it with hostile requests in process).
   */
  void handle(HttpExchange ex) throws IOException {
    try (ex) {
      route(ex);
    }
  }

  /** Answers one request; a refusal is answered here, before the exchange is closed. */
  private void route(HttpExchange ex) throws IOException {
    try {
      ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      Matcher dl = DIRECT_LINE.matcher(path);
      Matcher bc = CONNECTOR.matcher(path);
      if (path.equals("/v3/directline/tokens/refresh") && method.equals("POST")) {
        Conversation c = byToken(ex);
        if (c == null) {
          send(ex, 403, error("TokenInvalid", "token is not valid"));
          return;
        }
        send(ex, 200, tokenAnswer(c));
      } else if (dl.matches()) {
        directLine(ex, method, dl.group(1), dl.group(2) != null);
      } else if (bc.matches()) {
        connector(
            ex, method, decode(bc.group(1)), bc.group(2) == null ? null : decode(bc.group(2)));
      } else if (method.equals("GET") && pages.containsKey(path)) {
        Page p = pages.get(path);
        ex.getResponseHeaders().set("Content-Type", p.contentType());
        ex.getResponseHeaders()
            .set(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:;"
                    + " font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        ex.sendResponseHeaders(200, p.body().length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(p.body());
        }
      } else {
        send(ex, 404, error("NotFound", "no such endpoint"));
      }
    } catch (BadRequest e) {
      send(ex, e.status, error(e.code, e.detail));
    } catch (RuntimeException e) {
      send(ex, 500, error("InternalError", e.getClass().getSimpleName()));
    }
  }

  private void directLine(
      HttpExchange ex, String method, @Nullable String rawId, boolean activities)
      throws IOException {
    if (rawId == null) {
      if (!method.equals("POST")) {
        throw new BadRequest(405, "MethodNotAllowed", "POST only");
      }
      if (!constantTimeEquals(bearer(ex), secret)) {
        throw new BadRequest(403, "TokenInvalid", "the secret is not valid");
      }
      drain(ex, 0);
      if (conversations.size() >= MAX_CONVERSATIONS) {
        throw new BadRequest(429, "TooManyConversations", "at most " + MAX_CONVERSATIONS);
      }
      Conversation c = new Conversation(random(16), random(24));
      conversations.put(c.id, c);
      send(ex, 201, tokenAnswer(c));
      return;
    }
    Conversation c = conversations.get(rawId);
    if (c == null || !constantTimeEquals(bearer(ex), c.token)) {
      throw new BadRequest(403, "TokenInvalid", "no such conversation for this token");
    }
    if (!activities) {
      if (!method.equals("GET")) {
        throw new BadRequest(405, "MethodNotAllowed", "GET only");
      }
      send(ex, 200, tokenAnswer(c));
    } else if (method.equals("GET")) {
      int from = watermark(ex.getRequestURI().getRawQuery());
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode list = answer.putArray("activities");
      synchronized (c) {
        for (int i = Math.min(from, c.activities.size()); i < c.activities.size(); i++) {
          list.add(c.activities.get(i));
        }
        answer.put("watermark", Integer.toString(c.activities.size()));
      }
      send(ex, 200, answer);
    } else if (method.equals("POST")) {
      ObjectNode a = parseActivity(readBody(ex, MAX_CLIENT_BODY));
      a.put("channelId", "webchat");
      a.put("serviceUrl", serviceUrl());
      a.putObject("conversation").put("id", c.id);
      ObjectNode recipient = a.putObject("recipient");
      recipient.put("id", botId).put("name", botName).put("role", "bot");
      JsonNode from = a.get("from");
      if (!(from instanceof ObjectNode f) || !f.path("id").isTextual()) {
        throw new BadRequest(400, "BadArgument", "from.id is required");
      }
      f.put("role", "user");
      String id = append(c, a);
      if (!toBot(a)) {
        throw new BadRequest(502, "BotError", "the bot did not take the activity");
      }
      send(ex, 200, JSON.createObjectNode().put("id", id));
    } else {
      throw new BadRequest(405, "MethodNotAllowed", "GET or POST");
    }
  }

  private void connector(
      HttpExchange ex, String method, String conversationId, @Nullable String replyTo)
      throws IOException {
    if (!method.equals("POST")) {
      throw new BadRequest(405, "MethodNotAllowed", "POST only");
    }
    Conversation c = conversations.get(conversationId);
    if (c == null) {
      throw new BadRequest(404, "ConversationNotFound", "no such conversation");
    }
    ObjectNode a = parseActivity(readBody(ex, MAX_BOT_BODY));
    a.put("channelId", "webchat");
    a.putObject("conversation").put("id", c.id);
    a.putObject("from").put("id", botId).put("name", botName).put("role", "bot");
    if (replyTo != null) {
      a.put("replyToId", replyTo);
    }
    send(ex, 200, JSON.createObjectNode().put("id", append(c, a)));
  }

  private String append(Conversation c, ObjectNode a) {
    synchronized (c) {
      if (c.activities.size() >= MAX_ACTIVITIES) {
        throw new BadRequest(
            429, "TooManyActivities", "at most " + MAX_ACTIVITIES + " per conversation");
      }
      String id = c.id + "|" + String.format("%07d", c.activities.size());
      a.put("id", id);
      a.put("timestamp", Instant.now().toString());
      c.activities.add(a);
      return id;
    }
  }

  private boolean toBot(ObjectNode activity) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(botEndpoint)
                  .timeout(BOT_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(activity.toString()))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ObjectNode tokenAnswer(Conversation c) {
    return JSON.createObjectNode()
        .put("conversationId", c.id)
        .put("token", c.token)
        .put("expires_in", 3600);
  }

  private @Nullable Conversation byToken(HttpExchange ex) {
    String token = bearer(ex);
    for (Conversation c : conversations.values()) {
      if (constantTimeEquals(token, c.token)) {
        return c;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ input, bounded

  /** A request that is refused: its status, code and message (no input echoed). */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final String detail;

    BadRequest(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.detail = message;
    }
  }

  /**
   * Parses a posted activity: a JSON object with a string {@code type}, at most {@link #MAX_DEPTH}
   * deep.
   *
   * @param body the body (already bounded in size)
   * @return the object
   * @throws IllegalArgumentException (a {@code BadRequest}, status 400) for anything else
   */
  static ObjectNode parseActivity(byte[] body) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "BadArgument", "the body is not JSON");
    } catch (IOException e) {
      throw new BadRequest(400, "BadArgument", "the body is unreadable");
    }
    if (!(n instanceof ObjectNode o) || !o.path("type").isTextual()) {
      throw new BadRequest(400, "BadArgument", "an activity is a JSON object with a type");
    }
    return o;
  }

  /**
   * Reads the watermark of a polling query: absent, empty or a number of at most 9 digits.
   *
   * @param rawQuery the query, or {@code null}
   * @return the watermark (0 when absent)
   * @throws IllegalArgumentException (a {@code BadRequest}, status 400) for anything else
   */
  static int watermark(@Nullable String rawQuery) {
    if (rawQuery == null || rawQuery.length() > 256) {
      if (rawQuery == null) {
        return 0;
      }
      throw new BadRequest(400, "BadArgument", "the query is too long");
    }
    for (String part : rawQuery.split("&", -1)) {
      if (part.startsWith("watermark=")) {
        String w = part.substring("watermark=".length());
        if (w.isEmpty()) {
          return 0;
        }
        if (!WATERMARK.matcher(w).matches()) {
          throw new BadRequest(400, "BadArgument", "the watermark is not a number");
        }
        return Integer.parseInt(w);
      }
    }
    return 0;
  }

  private static byte[] readBody(HttpExchange ex, int max) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new BadRequest(413, "BodyTooLarge", "at most " + max + " bytes");
      }
      return b;
    }
  }

  private static void drain(HttpExchange ex, int max) throws IOException {
    readBody(ex, Math.max(max, 4096));
  }

  private static String bearer(HttpExchange ex) {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || h.length() > 512 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return h.substring(7).strip();
  }

  private static String decode(String raw) {
    String s;
    try {
      s = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // a broken escape ("%zz", a trailing "%"): no id has it
      throw new BadRequest(404, "NotFound", "no such conversation or activity");
    }
    if (!CONVERSATION_ID.matcher(s).matches() && !s.matches("[A-Za-z0-9|._-]{1,256}")) {
      throw new BadRequest(404, "NotFound", "no such conversation or activity");
    }
    return s;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return !a.isEmpty()
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("code", code).put("message", message);
    return e;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
