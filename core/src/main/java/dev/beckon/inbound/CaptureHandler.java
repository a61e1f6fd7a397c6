package dev.beckon.inbound;

import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.codec.Capture;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.ReferenceTooLargeException;
import dev.beckon.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint logic of a bot that speaks first: validate the request, parse the activity, keep the
 * store in step with who can be reached, then hand the activity to the bot. Framework-neutral —
 * headers and body in, status and outcome out — so it fits a servlet, the JDK {@code HttpServer},
 * Spring or anything else:
 *
 * <pre>{@code
 * CaptureHandler handler = CaptureHandler.builder(repository)
 *     .authentication(AuthenticationConfig.publicCloud(appId))
 *     .onActivity((activity, reference, outcome) -> bot.handle(activity))
 *     .build();
 * CaptureHandler.Result r = handler.handle(request::getHeader, body);
 * response.setStatus(r.status());
 * }</pre>
 *
 * <p>What it does with each activity (after the token is valid):
 *
 * <ul>
 *   <li>{@code installationUpdate} {@code add}: save; {@code remove}: delete.
 *   <li>{@code conversationUpdate} with the bot in {@code membersRemoved}, or Teams {@code
 *       teamDeleted}: delete; anything else, including {@code teamRestored} and the bot in {@code
 *       membersAdded}: save.
 *   <li>every other activity with a conversation (messages first): save — the reference is
 *       refreshed, since a channel may move a conversation to another serviceUrl.
 * </ul>
 *
 * A request refused for any reason (missing or invalid token, body too large or malformed) stores
 * nothing and never reaches the bot. Bad input never raises: an oversized body or reference is a
 * 413, a body that is not UTF-8, not JSON within Beckon's limits, or not a usable activity (an
 * over-long id, say) is a 400 — or a 401 when the request has no token at all, so a caller without
 * a token learns only that it needs one. These checks are bounded and run before the token check,
 * which needs the activity's {@code channelId} and {@code serviceUrl}; the token check still runs
 * before anything is stored or handed to the bot. Only {@link ActivityListener} exceptions
 * propagate. Thread-safe.
 */
public final class CaptureHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureHandler.class);

  /** What happened to a request. */
  public enum Outcome {
    /** The reference was saved (inserted or refreshed). */
    SAVED,
    /** The reference was deleted: the bot can no longer reach the conversation. */
    REMOVED,
    /** Valid, but nothing to store (no conversation). */
    IGNORED,
    /** The token was missing or invalid (401). */
    UNAUTHORIZED,
    /** The body is not a usable activity (400). */
    MALFORMED,
    /** The body, or the reference it carries, is larger than allowed (413). */
    TOO_LARGE,
    /** The store failed (500: the channel will retry). */
    FAILED
  }

  /**
   * The answer to give.
   *
   * @param status the HTTP status to answer with
   * @param outcome what happened
   * @param activity the parsed activity, when it was parsed
   * @param reference the captured reference, when there was one
   * @param message a short explanation (never a token)
   */
  public record Result(
      int status,
      Outcome outcome,
      @Nullable Activity activity,
      @Nullable ConversationReference reference,
      String message) {}

  /** The bot's own handling, called after a valid activity was captured. */
  @FunctionalInterface
  public interface ActivityListener {
    /**
     * Handles an activity. Exceptions propagate to the caller of {@link #handle}.
     *
     * @param activity the activity
     * @param reference its reference, or {@code null} when it has no conversation
     * @param outcome what the handler did with the reference
     */
    void onActivity(Activity activity, @Nullable ConversationReference reference, Outcome outcome);
  }

  private final ReferenceRepository repository;
  private final InboundAuthenticator authenticator;
  private final int maxBodyBytes;
  private final ActivityListener listener;

  private CaptureHandler(Builder b) {
    this.repository = b.repository;
    this.authenticator =
        b.authenticator != null ? b.authenticator : new InboundAuthenticator(b.config);
    this.maxBodyBytes = b.maxBodyBytes;
    this.listener = b.listener;
  }

  /**
   * Starts a builder.
   *
   * @param repository where references are kept
   * @return the builder
   */
  public static Builder builder(ReferenceRepository repository) {
    return new Builder(repository);
  }

  /**
   * Handles one request.
   *
   * @param headers header lookup by name (case-insensitive as your framework provides it)
   * @param body the request body
   * @return what to answer
   */
  public Result handle(Function<String, @Nullable String> headers, byte[] body) {
    return handle(headers.apply("Authorization"), body);
  }

  /**
   * Handles one request.
   *
   * @param authorization the {@code Authorization} header, or {@code null}
   * @param body the request body
   * @return what to answer
   */
  public Result handle(@Nullable String authorization, byte[] body) {
    if (body == null || body.length == 0) {
      return new Result(400, Outcome.MALFORMED, null, null, "empty body");
    }
    if (body.length > maxBodyBytes) {
      return new Result(
          413,
          Outcome.TOO_LARGE,
          null,
          null,
          "body is " + body.length + " bytes; the limit is " + maxBodyBytes);
    }
    Activity activity;
    try {
      // bounded and cheap (body size above, Jackson's read constraints inside): done before the
      // token check because the token is checked against the activity's channelId and serviceUrl.
      // Nothing of the body reaches the store or the bot before the token is valid.
      activity = ActivityJson.read(body);
    } catch (MalformedReferenceException e) {
      // nothing is touched either way; a caller without any token learns only that it needs one
      boolean noToken =
          !authenticator.isAnonymous() && (authorization == null || authorization.isBlank());
      return noToken
          ? new Result(401, Outcome.UNAUTHORIZED, null, null, "missing Authorization header")
          : new Result(400, Outcome.MALFORMED, null, null, reason(e));
    }
    try {
      authenticator.authenticate(authorization, activity.channelId(), activity.serviceUrl());
    } catch (AuthenticationException e) {
      LOG.debug("Refused an inbound request: {}", e.getMessage());
      return new Result(401, Outcome.UNAUTHORIZED, null, null, reason(e));
    }
    if (activity.conversation() == null) {
      listener.onActivity(activity, null, Outcome.IGNORED);
      return new Result(200, Outcome.IGNORED, activity, null, "no conversation to capture");
    }
    ConversationReference reference;
    try {
      reference = Capture.reference(activity);
    } catch (MalformedReferenceException e) {
      return new Result(400, Outcome.MALFORMED, activity, null, reason(e));
    }
    Outcome outcome;
    try {
      if (removesBot(activity)) {
        repository.delete(reference.key());
        outcome = Outcome.REMOVED;
      } else {
        repository.save(reference);
        outcome = Outcome.SAVED;
      }
    } catch (ReferenceTooLargeException e) {
      return new Result(413, Outcome.TOO_LARGE, activity, null, reason(e));
    } catch (StoreException e) {
      LOG.warn("Could not store the reference of an inbound activity: {}", e.getMessage());
      return new Result(500, Outcome.FAILED, activity, reference, "store failed");
    }
    listener.onActivity(activity, reference, outcome);
    return new Result(
        200, outcome, activity, reference, outcome.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Our exceptions always carry a message; Throwable's may be null, so fall back to the type. */
  private static String reason(Exception e) {
    return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
  }

  static boolean removesBot(Activity a) {
    String bot = a.recipient() == null ? null : a.recipient().id();
    if ("installationUpdate".equals(a.type())) {
      Object action = a.extra().get("action");
      return action instanceof String s && s.startsWith("remove");
    }
    if ("conversationUpdate".equals(a.type())) {
      if (a.channelData() instanceof Map<?, ?> cd && "teamDeleted".equals(cd.get("eventType"))) {
        return true;
      }
      Object removed = a.extra().get("membersRemoved");
      if (bot != null && removed instanceof List<?> members) {
        for (Object m : members) {
          if (m instanceof Map<?, ?> member && bot.equals(member.get("id"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final ReferenceRepository repository;
    private AuthenticationConfig config = AuthenticationConfig.anonymous();
    private @Nullable InboundAuthenticator authenticator;
    private int maxBodyBytes = 256 * 1024;
    private ActivityListener listener = (a, r, o) -> {};
    private boolean configured;

    private Builder(ReferenceRepository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    /**
     * How tokens are validated. Required: use {@link AuthenticationConfig#anonymous()} explicitly
     * for a local bot without an app id.
     *
     * @param value the configuration
     * @return this builder
     */
    public Builder authentication(AuthenticationConfig value) {
      this.config = Objects.requireNonNull(value, "authentication");
      this.configured = true;
      return this;
    }

    /**
     * Shares an authenticator (and its key cache) between handlers.
     *
     * @param value the authenticator
     * @return this builder
     */
    public Builder authenticator(InboundAuthenticator value) {
      this.authenticator = Objects.requireNonNull(value, "authenticator");
      this.configured = true;
      return this;
    }

    /**
     * The largest body accepted (413 above it). Default 256 KiB.
     *
     * @param value bytes, at least 1 KiB
     * @return this builder
     */
    public Builder maxBodyBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024 but was " + value);
      }
      this.maxBodyBytes = value;
      return this;
    }

    /**
     * The bot's handling, called after capture.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder onActivity(ActivityListener value) {
      this.listener = Objects.requireNonNull(value, "onActivity");
      return this;
    }

    /**
     * Builds the handler.
     *
     * @return the handler
     * @throws IllegalStateException when no authentication was configured
     */
    public CaptureHandler build() {
      if (!configured) {
        throw new IllegalStateException(
            "configure authentication(...): AuthenticationConfig.publicCloud(appId), "
                + "usGovernment(appId), or anonymous() for local use only");
      }
      // judged on the authenticator the handler will use: a shared one replaces the config
      boolean anonymous =
          authenticator != null ? authenticator.isAnonymous() : config.isAnonymous();
      if (anonymous) {
        LOG.warn(
            "CaptureHandler built with anonymous authentication: no token is validated, so anyone who can "
                + "reach the endpoint can post activities and store references. For the Bot Framework Emulator and "
                + "local tests only; a bot with an app id uses AuthenticationConfig.publicCloud(appId)");
      }
      return new CaptureHandler(this);
    }
  }
}
