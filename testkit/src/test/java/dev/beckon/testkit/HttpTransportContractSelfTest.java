package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.beckon.internal.send.HttpClient5Transport;
import dev.beckon.send.Timeouts;
import dev.beckon.send.transport.HttpTransport;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The HttpTransport kit catches broken transports: each one below breaks one promise, and the kit's
 * test for that promise fails while the rest pass.
 */
class HttpTransportContractSelfTest {

  /** Beckon's own transport, wrapped by the broken ones below. */
  abstract static class Wrapping extends HttpTransportContract {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    HttpClient5Transport delegate;

    @Override
    protected HttpTransport createTransport() {
      delegate =
          new HttpClient5Transport(
              Timeouts.defaults().connect(),
              Timeouts.defaults().response(),
              Timeouts.defaults().overall(),
              4,
              1,
              timer);
      return wrap(delegate);
    }

    abstract HttpTransport wrap(HttpTransport d);

    @AfterEach
    void closeDelegate() {
      delegate.close();
      timer.shutdownNow();
    }
  }

  /** Follows redirects, token included (to where the kit's server points them). */
  static class FollowsRedirects extends Wrapping {
    @Override
    HttpTransport wrap(HttpTransport d) {
      return (request, timeout) ->
          d.execute(request, timeout)
              .thenCompose(
                  r ->
                      r.status() / 100 == 3
                          ? d.execute(
                              new HttpTransport.Request(
                                  "GET",
                                  request.uri().resolve("/elsewhere"),
                                  request.headers(),
                                  null),
                              timeout)
                          : CompletableFuture.completedFuture(r));
    }
  }

  /** Reads the whole body, whatever its length. */
  static class Unbounded extends Wrapping {
    @Override
    HttpTransport wrap(HttpTransport d) {
      return (request, timeout) ->
          d.execute(
              new HttpTransport.Request(
                  request.method(),
                  request.uri(),
                  request.headers(),
                  request.body() == null ? new byte[0] : request.body(),
                  256 * 1024 * 1024),
              timeout);
    }
  }

  /** Reports a refused connection as an ordinary failure. */
  static class MisclassifiesRefusal extends Wrapping {
    @Override
    HttpTransport wrap(HttpTransport d) {
      return (request, timeout) ->
          d.execute(request, timeout)
              .exceptionallyCompose(
                  e -> CompletableFuture.failedFuture(new IllegalStateException("failed", e)));
    }
  }

  /** Ignores the timeout it is given. */
  static class IgnoresTimeout extends Wrapping {
    @Override
    HttpTransport wrap(HttpTransport d) {
      return (request, timeout) -> d.execute(request, Duration.ofSeconds(55));
    }
  }

  private final Set<String> failed = new HashSet<>();
  private final Set<String> passed = new HashSet<>();

  private void run(Class<?> kit) {
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
              return;
            }
            String method =
                id.getUniqueId().replaceAll(".*\\[(test-template|method):([^(]+)\\(.*", "$2");
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              passed.add(method);
            } else {
              failed.add(method);
            }
          }
        });
  }

  @Test
  void followingARedirectFailsTheRedirectTest() {
    run(FollowsRedirects.class);
    assertThat(failed).containsExactly("redirectsAreNotFollowed");
    assertThat(passed).contains("requestArrivesExactly", "endlessBodyIsCut");
  }

  @Test
  void readingTheWholeBodyFailsTheBoundTest() {
    run(Unbounded.class);
    assertThat(failed).contains("endlessBodyIsCut");
    assertThat(passed).contains("redirectsAreNotFollowed", "requestArrivesExactly");
  }

  @Test
  void misclassifyingARefusalFailsTheRefusalTest() {
    run(MisclassifiesRefusal.class);
    assertThat(failed).contains("refusedConnectionIsNotSent");
    assertThat(passed).contains("redirectsAreNotFollowed", "endlessBodyIsCut");
  }

  @Test
  void ignoringTheTimeoutFailsTheTimeoutTest() {
    run(IgnoresTimeout.class);
    assertThat(failed).containsExactly("timeoutIsHonoured");
  }
}
