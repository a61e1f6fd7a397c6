package dev.beckon.micrometer;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sender whose every call is one {@code beckon.send} Observation, and whose completion runs with
 * the connector's correlation id in the MDC. Thread-safe as its delegate.
 */
final class ObservedSender implements Sender {

  private static final Logger LOG = LoggerFactory.getLogger(ObservedSender.class);

  private final Sender delegate;
  private final ObservationRegistry registry;
  private final @Nullable SendObservationConvention custom;
  private final SendObservationConvention defaults;
  private volatile @Nullable Sender withoutRetries;

  ObservedSender(
      Sender delegate,
      ObservationRegistry registry,
      @Nullable SendObservationConvention custom,
      SendObservationConvention defaults) {
    this.delegate = Objects.requireNonNull(delegate, "sender");
    this.registry = registry;
    this.custom = custom;
    this.defaults = defaults;
  }

  @Override
  public CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity) {
    return observe(
        new SendContext(SendContext.Operation.SEND_ACTIVITY, to, activity, null),
        () -> delegate.sendAsync(to, activity));
  }

  @Override
  public CompletableFuture<SendOutcome> replyAsync(
      ConversationReference to, String replyToId, Activity activity) {
    return observe(
        new SendContext(SendContext.Operation.REPLY_TO_ACTIVITY, to, activity, replyToId),
        () -> delegate.replyAsync(to, replyToId, activity));
  }

  @Override
  public CompletableFuture<SendOutcome> updateAsync(
      ConversationReference to, String activityId, Activity activity) {
    return observe(
        new SendContext(SendContext.Operation.UPDATE_ACTIVITY, to, activity, activityId),
        () -> delegate.updateAsync(to, activityId, activity));
  }

  @Override
  public CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String activityId) {
    return observe(
        new SendContext(SendContext.Operation.DELETE_ACTIVITY, to, null, activityId),
        () -> delegate.deleteAsync(to, activityId));
  }

  @Override
  public CompletableFuture<SendOutcome> createConversationAsync(
      ConversationReference from, ConversationParameters parameters) {
    return observe(
        new SendContext(
            SendContext.Operation.CREATE_CONVERSATION, from, parameters.activity(), null),
        () -> delegate.createConversationAsync(from, parameters));
  }

  /** The delegate's one-attempt view, observed too: what a broadcast sends through. */
  @Override
  public Sender withoutRetries() {
    Sender view = withoutRetries;
    if (view == null) {
      Sender inner = delegate.withoutRetries();
      view = inner == delegate ? this : new ObservedSender(inner, registry, custom, defaults);
      withoutRetries = view;
    }
    return view;
  }

  private CompletableFuture<SendOutcome> observe(
      SendContext context, Supplier<CompletableFuture<SendOutcome>> call) {
    Observation observation =
        Observation.createNotStarted(custom, defaults, () -> context, registry).start();
    CompletableFuture<SendOutcome> sent;
    // in scope while the delegate starts: a token request it makes is this send's child
    try {
      sent = observation.scoped(call);
    } catch (RuntimeException e) {
      observation.error(e);
      observation.stop();
      throw e;
    }
    CompletableFuture<SendOutcome> result = new CompletableFuture<>();
    // a handle we do not wait on: the callback completes result itself
    var unused =
        sent.whenComplete(
            (outcome, error) -> {
              CorrelationMdc mdc =
                  CorrelationMdc.put(outcome == null ? null : outcome.correlationId());
              try {
                if (outcome != null) {
                  context.outcome(outcome);
                } else {
                  observation.error(
                      error == null ? new IllegalStateException("no outcome") : unwrap(error));
                }
                observation.stop();
                if (outcome != null) {
                  LOG.debug(
                      "{} on {}: {} (HTTP {}, {} attempt(s), correlation {})",
                      context.operation().value(),
                      TagValues.channel(context.reference().channelId()),
                      outcome.kind(),
                      outcome.status(),
                      outcome.attempts(),
                      outcome.correlationId());
                  result.complete(outcome);
                } else {
                  result.completeExceptionally(
                      error == null ? new IllegalStateException("no outcome") : error);
                }
              } finally {
                mdc.close();
              }
            });
    return result;
  }

  /** The failure inside a future's wrapper, for an observation's error. */
  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String toString() {
    return "ObservedSender[" + delegate + "]";
  }
}
