package dev.beckon.micrometer;

import dev.beckon.auth.AccessToken;
import dev.beckon.auth.TokenProvider;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A token provider whose every call is one {@code beckon.token} Observation, a child of the send
 * that asked for it when the send's observation is in scope. Nothing of the token reaches the
 * observation: its outcome is success or the error.
 */
final class ObservedTokenProvider implements TokenProvider {

  private final TokenProvider delegate;
  private final ObservationRegistry registry;
  private final @Nullable TokenObservationConvention custom;
  private final TokenObservationConvention defaults;

  ObservedTokenProvider(
      TokenProvider delegate,
      ObservationRegistry registry,
      @Nullable TokenObservationConvention custom,
      TokenObservationConvention defaults) {
    this.delegate = Objects.requireNonNull(delegate, "tokenProvider");
    this.registry = registry;
    this.custom = custom;
    this.defaults = defaults;
  }

  @Override
  public CompletableFuture<AccessToken> token() {
    TokenContext context = new TokenContext();
    Observation observation =
        Observation.createNotStarted(custom, defaults, () -> context, registry).start();
    CompletableFuture<AccessToken> token;
    try {
      token = observation.scoped(delegate::token);
    } catch (RuntimeException e) {
      context.finish();
      observation.error(e);
      observation.stop();
      throw e;
    }
    // a future of our own: the caller sees the delegate's exception as it was, not wrapped
    CompletableFuture<AccessToken> result = new CompletableFuture<>();
    // a handle we do not wait on: the callback completes result itself
    var unused =
        token.whenComplete(
            (t, error) -> {
              context.finish();
              if (error != null) {
                observation.error(ObservedSender.unwrap(error));
              }
              observation.stop();
              if (error != null) {
                result.completeExceptionally(error);
              } else {
                result.complete(t);
              }
            });
    return result;
  }

  @Override
  public String toString() {
    return "ObservedTokenProvider[" + delegate + "]";
  }
}
