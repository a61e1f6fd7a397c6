package dev.beckon.testkit;

import dev.beckon.internal.send.HttpClient5Transport;
import dev.beckon.send.HttpTransport;
import dev.beckon.send.Timeouts;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;

/** The HttpTransport compatibility kit on Beckon's own transport (Apache HttpClient 5). */
class HttpClient5TransportTest extends HttpTransportContract {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @Override
  protected HttpTransport createTransport() {
    return new HttpClient5Transport(Timeouts.defaults(), 4, 1, timer);
  }

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }
}
