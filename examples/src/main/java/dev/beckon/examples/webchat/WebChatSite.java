package dev.beckon.examples.webchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.testkit.DirectLineChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Microsoft's Web Chat on a {@link DirectLineChannel}'s own origin: the page, its script, the
 * channel's address and secret, and {@code webchat.js} (botframework-webchat 4.18.1, fetched by
 * {@code scripts/demo.sh --browser} or {@code scripts/test.sh} into {@code .test-servers/}, never
 * committed). Web Chat polls the channel (no WebSocket) and loads nothing from elsewhere: the
 * channel serves every page with a {@code Content-Security-Policy} of {@code 'self'}.
 */
public final class WebChatSite {

  /** Where the fetch scripts put webchat.js, under the checkout. */
  public static final Path DEFAULT_WEBCHAT_JS =
      Path.of(".test-servers", "webchat", "4.18.1", "webchat.js");

  private static final ObjectMapper JSON = new ObjectMapper();

  private WebChatSite() {}

  /**
   * Serves Web Chat on the channel: {@code /} (the page), {@code /app.js}, {@code /config.js} and
   * {@code /webchat.js}.
   *
   * @param channel the channel
   * @param webchatJs the {@code dist/webchat.js} file of botframework-webchat
   * @param pollingInterval how often Web Chat polls the channel (200 ms or more)
   * @throws IllegalArgumentException when {@code webchatJs} is not a readable file (the message
   *     says how to fetch it)
   */
  public static void serve(DirectLineChannel channel, Path webchatJs, Duration pollingInterval) {
    if (!Files.isRegularFile(webchatJs)) {
      throw new IllegalArgumentException(
          "no Web Chat bundle at "
              + webchatJs.toAbsolutePath()
              + ": scripts/demo.sh --browser fetches it (botframework-webchat 4.18.1 from the npm registry)");
    }
    try {
      channel.serve("/", "text/html; charset=utf-8", resource("index.html"));
      channel.serve("/app.js", "text/javascript; charset=utf-8", resource("app.js"));
      channel.serve("/webchat.js", "text/javascript; charset=utf-8", Files.readAllBytes(webchatJs));
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("domain", channel.directLineUrl());
      config.put("secret", channel.secret());
      config.put("pollingInterval", Math.max(200, pollingInterval.toMillis()));
      channel.serve(
          "/config.js",
          "text/javascript; charset=utf-8",
          ("window.BECKON_WEBCHAT = " + JSON.writeValueAsString(config) + ";\n")
              .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = WebChatSite.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource " + name + " is missing from the examples jar");
      }
      return in.readAllBytes();
    }
  }
}
