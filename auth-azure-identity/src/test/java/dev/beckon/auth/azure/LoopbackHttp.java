package dev.beckon.auth.azure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A loopback HTTP/1.1 server over raw sockets, plain or TLS: the fake identity endpoints. Records
 * every request and answers each with the handler's response. Connection: close, one thread per
 * exchange.
 */
final class LoopbackHttp implements AutoCloseable {

  /**
   * One request as received.
   *
   * @param method the method
   * @param target the path and query
   * @param headers lower-cased names
   * @param body the body, UTF-8
   */
  record Request(String method, String target, Map<String, String> headers, String body) {
    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    Map<String, String> query() {
      int q = target.indexOf('?');
      return q < 0 ? Map.of() : decode(target.substring(q + 1));
    }

    Map<String, String> form() {
      return decode(body);
    }
  }

  /**
   * One answer.
   *
   * @param status the status
   * @param body JSON
   */
  record Response(int status, String body) {}

  private static final Pattern AMP = Pattern.compile("&");

  private final ServerSocket server;
  private final Thread acceptor;
  private final Function<Request, Response> handler;
  final List<Request> requests = new CopyOnWriteArrayList<>();

  LoopbackHttp(@Nullable SSLContext tls, Function<Request, Response> handler) throws IOException {
    this.handler = handler;
    InetAddress lo = InetAddress.getLoopbackAddress();
    server =
        tls == null
            ? new ServerSocket(0, 50, lo)
            : tls.getServerSocketFactory().createServerSocket(0, 50, lo);
    acceptor = new Thread(this::serve, "loopback-identity-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket c = server.accept();
        Thread t = new Thread(() -> exchange(c), "loopback-identity-exchange");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void exchange(Socket c) {
    try (c) {
      InputStream in = c.getInputStream();
      String[] start = readLine(in).split(" ", 3);
      if (start.length < 2) {
        return;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      Request r = new Request(start[0], start[1], headers, body);
      requests.add(r);
      Response a = handler.apply(r);
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      OutputStream out = c.getOutputStream();
      out.write(
          ("HTTP/1.1 "
                  + a.status()
                  + " X\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
    } catch (IOException | RuntimeException e) {
      // the client hung up
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int ch = in.read(); ch >= 0 && ch != '\n'; ch = in.read()) {
      if (ch != '\r') {
        b.write(ch);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  static Map<String, String> decode(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : AMP.splitAsStream(s).toList()) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
