package dev.beckon.benchmarks;

import dev.beckon.testkit.FakeConnector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast loopback Bot Connector every sender benchmark posts to, in a process of its own so that
 * the benchmark's CPU figures are the client's alone.
 */
public final class LoopbackConnector implements AutoCloseable {

  private final Process process;
  private final String serviceUrl;

  private LoopbackConnector(Process process, String serviceUrl) {
    this.process = process;
    this.serviceUrl = serviceUrl;
  }

  /**
   * Starts the server process.
   *
   * @return the running server
   * @throws Exception on failure
   */
  public static LoopbackConnector start() throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                LoopbackConnector.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String url = in.readLine();
    if (url == null) {
      throw new IllegalStateException("loopback connector did not start");
    }
    return new LoopbackConnector(p, url);
  }

  /** Returns the service URL to post to. */
  public String serviceUrl() {
    return serviceUrl;
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Server main: prints the service URL, serves until standard input closes.
   *
   * @param args none
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try (FakeConnector c = FakeConnector.start()) {
      c.recordRequests(false);
      System.out.println(c.serviceUrl());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close stdin
      }
    }
  }
}
