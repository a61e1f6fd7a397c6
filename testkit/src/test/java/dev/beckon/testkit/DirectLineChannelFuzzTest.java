package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.beckon.activity.Activity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Jazzer fuzz target for what {@link DirectLineChannel} parses from its callers: the method, the
 * raw path and query, the {@code Authorization} header and the body of every request, Direct Line
 * client side and Bot Connector side alike, driven in process through the server's own handler.
 * Whatever comes in: one answer with a status the channel documents (never a 500: nothing escapes
 * as an internal error), a JSON error body with a code for every refusal, the safety headers; no
 * conversation is started and no transcript grows without the secret or the conversation's token;
 * every activity in a transcript is the channel's (its conversation, a bot's posts are the bot's
 * and a client's the user's).
 *
 * <p>An input is text: the method, the path with its query ({@code {id}} stands for a live
 * conversation's id), the credential ({@code secret}, {@code token}, {@code none}, or a literal
 * header value), each on its own line, then the body. Seeds: {@code
 * src/test/resources/dev/beckon/testkit/DirectLineChannelFuzzTestInputs/request/}; the normal build
 * replays them (and the run is bounded by {@code maxDuration} when fuzzing). To fuzz: {@code
 * JAZZER_FUZZ=1 mvn -pl testkit test -Dtest=DirectLineChannelFuzzTest}.
 */
class DirectLineChannelFuzzTest {

  private static final Set<Integer> STATUSES = Set.of(200, 201, 400, 403, 404, 405, 413, 429, 502);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The bot's endpoint: a closed loopback port, so that every post to the bot fails fast. */
  private static final DirectLineChannel CHANNEL =
      DirectLineChannel.start(URI.create("http://127.0.0.1:9/api/messages"));

  private static final String CONVERSATION;
  private static final String TOKEN;

  static {
    Exchange start =
        new Exchange(
            "POST", uri("/v3/directline/conversations"), "Bearer " + CHANNEL.secret(), new byte[0]);
    try {
      CHANNEL.handle(start);
      JsonNode answer = JSON.readTree(start.out.toByteArray());
      CONVERSATION = answer.path("conversationId").asText();
      TOKEN = answer.path("token").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  @SuppressWarnings("try") // the guard is held for the block, never used inside it
  void request(byte[] input) throws IOException {
    try (SilentCloseable toTheBot =
        BugDetectors.allowNetworkConnections(
            (host, port) -> port == 9 && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      answer(input);
    }
  }

  private static void answer(byte[] input) throws IOException {
    int[] ends = new int[3];
    int at = 0;
    for (int i = 0; i < 3; i++) {
      int nl = indexOf(input, at);
      if (nl < 0) {
        return; // not an input of this target's shape
      }
      ends[i] = nl;
      at = nl + 1;
    }
    String method = text(input, 0, ends[0]);
    String target = text(input, ends[0] + 1, ends[1]).replace("{id}", CONVERSATION);
    String credential = text(input, ends[1] + 1, ends[2]);
    byte[] body = Arrays.copyOfRange(input, ends[2] + 1, input.length);
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      return; // the JDK server refuses such a request line before any handler
    }
    if (uri.getRawPath() == null || method.isEmpty()) {
      return;
    }
    boolean authorised = credential.equals("secret") || credential.equals("token");
    String header =
        switch (credential) {
          case "secret" -> "Bearer " + CHANNEL.secret();
          case "token" -> "Bearer " + TOKEN;
          case "none" -> null;
          default -> credential;
        };
    int conversations = CHANNEL.conversationIds().size();
    int transcript = CHANNEL.transcript(CONVERSATION).size();

    Exchange ex = new Exchange(method, uri, header, body);
    CHANNEL.handle(ex);

    assertThat(ex.answers).as("one answer").isEqualTo(1);
    assertThat(ex.status).as("status of %s %s", method, target).isIn(STATUSES);
    assertThat(ex.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    if (ex.status >= 400) {
      JsonNode error = JSON.readTree(ex.out.toByteArray());
      assertThat(error.path("error").path("code").isTextual()).as("an error code").isTrue();
    }
    if (!authorised) {
      assertThat(CHANNEL.conversationIds()).hasSize(conversations);
      boolean connector = uri.getRawPath().startsWith("/v3/conversations/");
      if (!connector) {
        assertThat(CHANNEL.transcript(CONVERSATION)).hasSize(transcript);
      }
    }
    List<Activity> activities = CHANNEL.transcript(CONVERSATION);
    assertThat(activities).hasSizeLessThanOrEqualTo(DirectLineChannel.MAX_ACTIVITIES);
    for (Activity a : activities) {
      assertThat(a.conversation().id()).isEqualTo(CONVERSATION);
      assertThat(a.from().role()).isIn("bot", "user");
    }
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  private static URI uri(String s) {
    return URI.create(s);
  }

  /** One request in memory: what the JDK server would hand the handler, and what it answered. */
  private static final class Exchange extends HttpExchange {
    final String method;
    final URI uri;
    final Headers requestHeaders = new Headers();
    final Headers responseHeaders = new Headers();
    final InputStream in;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = -1;
    int answers;

    Exchange(String method, URI uri, String authorization, byte[] body) {
      this.method = method;
      this.uri = uri;
      if (authorization != null) {
        requestHeaders.add("Authorization", authorization);
      }
      this.in = new ByteArrayInputStream(body);
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return method;
    }

    @Override
    public HttpContext getHttpContext() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return in;
    }

    @Override
    public OutputStream getResponseBody() {
      return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
      answers++;
      status = code;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 50000);
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 3978);
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void setStreams(InputStream i, OutputStream o) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
