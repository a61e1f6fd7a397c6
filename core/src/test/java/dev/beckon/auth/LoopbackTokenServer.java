package dev.beckon.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token endpoint on loopback, over raw sockets (core's tests run on the module path, without
 * jdk.httpserver): records each form and answers from a script, then with a fresh token.
 */
final class LoopbackTokenServer implements AutoCloseable {

  /** One scripted answer; {@code endless} streams a chunked body that never ends. */
  record Answer(int status, String body, boolean endless) {
    static Answer json(int status, String body) {
      return new Answer(status, body, false);
    }

    static Answer endlessBody() {
      return new Answer(200, "", true);
    }
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final AtomicInteger tokens = new AtomicInteger();
  final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();

  LoopbackTokenServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "loopback-token-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/tenant/oauth2/v2.0/token");
  }

  void answerNext(Answer... answers) {
    synchronized (script) {
      script.addAll(List.of(answers));
    }
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket c = server.accept();
        Thread t = new Thread(() -> handle(c), "loopback-token-exchange");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket c) {
    try (c) {
      InputStream in = c.getInputStream();
      int length = 0;
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring(15).trim());
        }
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      Map<String, String> form = new HashMap<>();
      for (String pair : java.util.regex.Pattern.compile("&").splitAsStream(body).toList()) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      forms.add(form);
      Answer a;
      synchronized (script) {
        a = script.pollFirst();
      }
      if (a == null) {
        a =
            Answer.json(
                200,
                "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"token-"
                    + tokens.incrementAndGet()
                    + "\"}");
      }
      OutputStream out = c.getOutputStream();
      if (a.endless()) {
        out.write(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk =
            ("4000\r\n" + " ".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        while (true) {
          out.write(chunk); // until the client hangs up
        }
      }
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
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
      // the client hung up: expected for the endless body
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int ch;
    while ((ch = in.read()) >= 0 && ch != '\n') {
      if (ch != '\r') {
        b.write(ch);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
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
