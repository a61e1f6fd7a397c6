package dev.beckon.testkit;

import dev.beckon.internal.send.HttpClient5Transport;
import dev.beckon.send.Timeouts;
import dev.beckon.send.transport.HttpTransport;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;

/** The HttpTransport compatibility kit on Beckon's own transport (Apache HttpClient 5). */
class HttpClient5TransportTest extends HttpTransportContract {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @Override
  protected HttpTransport createTransport() {
    return new HttpClient5Transport(
        Timeouts.defaults().connect(),
        Timeouts.defaults().response(),
        Timeouts.defaults().overall(),
        4,
        1,
        timer);
  }

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }
}
