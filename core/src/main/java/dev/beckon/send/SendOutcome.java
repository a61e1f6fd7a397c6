package dev.beckon.send;

import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.RetryCause;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one send. Protocol failures are outcomes, never exceptions, so a caller (or a
 * broadcast) can account for every send. Built with {@link #builder(Kind)} (a test's fake sender
 * too):
 *
 * <pre>{@code
 * SendOutcome ok = SendOutcome.builder(SendOutcome.Kind.DELIVERED).status(201).id("1:abc").build();
 * SendOutcome busy =
 *     SendOutcome.builder(SendOutcome.Kind.THROTTLED).status(429).retryAfter(Duration.ofSeconds(2)).build();
 * }</pre>
 *
 * @param kind the category
 * @param status the last HTTP status, or 0 when no response was received
 * @param id the new activity id (or, for a created conversation, the conversation id), when
 *     delivered
 * @param errorCode the service's error code ({@code ConversationBlockedByUser}, Teams sub-codes
 *     such as {@code MessageWritesBlocked}, …) or a Beckon code ({@code UntrustedServiceUrl},
 *     {@code Timeout}, …), or {@code null}
 * @param message a human-readable explanation, or {@code null} when delivered with nothing to note
 *     (a delivered answer whose body was too large to read says so here); never a token
 * @param correlationId the service's {@code MS-CV} or {@code X-Correlating-OperationId}, for
 *     Microsoft support, or {@code null}: a {@linkplain #readCorrelationId valid} one only, so it
 *     is safe in a log line, the SLF4J MDC or a span attribute
 * @param retryAfter the service's {@code Retry-After} on a 429, at most 1 hour (larger values are
 *     read as 1 hour; a date in the past as zero; an unreadable one as absent), or {@code null}
 * @param attempts how many requests were made
 * @param conversation for a created conversation: a ready-to-save reference to it, else {@code
 *     null}
 */
public record SendOutcome(
    Kind kind,
    int status,
    @Nullable String id,
    @Nullable String errorCode,
    @Nullable String message,
    @Nullable String correlationId,
    @Nullable Duration retryAfter,
    int attempts,
    @Nullable ConversationReference conversation) {

  /** The categories of PROTOCOL.md §3. */
  public enum Kind {
    /** Delivered; {@link #id()} holds the new activity id. */
    DELIVERED,
    /** 429 and still throttled after the retries allowed. Retry later. */
    THROTTLED,
    /** 403 blocked/removed or 404: the conversation is gone and the reference is stale. */
    CONVERSATION_GONE,
    /** 403 not allowed now (disabled by admin, permissions). Retrying will not help. */
    FORBIDDEN,
    /** 401: the bot's credentials are wrong. Retrying will not help. */
    UNAUTHORIZED,
    /**
     * 400/413, an untrusted service URL, a government tenant on the public host. Fix the request.
     */
    REJECTED,
    /** 5xx or connection failures after the retries allowed. */
    FAILED,
    /**
     * The request may or may not have been delivered (a timeout or reset after it was sent). Never
     * used for a request that certainly did not leave: that is {@link #FAILED} (could not connect)
     * or {@link #REJECTED} (the HTTP client refused the request itself), with the cause named.
     */
    UNKNOWN
  }

  /**
   * Validates.
   *
   * @param kind the category
   * @param status the last HTTP status, or 0 when no response was received
   * @param id the new activity id (or, for a created conversation, the conversation id), when
   *     delivered
   * @param errorCode the service's error code ({@code ConversationBlockedByUser}, Teams sub-codes
   *     such as {@code MessageWritesBlocked}, …) or a Beckon code ({@code UntrustedServiceUrl},
   *     {@code Timeout}, …), or {@code null}
   * @param message a human-readable explanation, or {@code null} when delivered with nothing to
   *     note (a delivered answer whose body was too large to read says so here); never a token
   * @param correlationId the service's {@code MS-CV} or {@code X-Correlating-OperationId}, for
   *     Microsoft support, or {@code null}; a {@linkplain #readCorrelationId valid} one only
   * @param retryAfter the service's {@code Retry-After} on a 429, at most 1 hour (larger values are
   *     read as 1 hour; a date in the past as zero; an unreadable one as absent), or {@code null}
   * @param attempts how many requests were made
   * @param conversation for a created conversation: a ready-to-save reference to it, else {@code
   *     null}
   * @throws IllegalArgumentException when {@code correlationId} is not a valid one
   */
  public SendOutcome {
    Objects.requireNonNull(kind, "kind");
    if (correlationId != null && readCorrelationId(correlationId) == null) {
      throw new IllegalArgumentException(
          "correlationId must be 1.."
              + MAX_CORRELATION_ID_LENGTH
              + " characters of A-Z a-z 0-9 + / = . _ : - (an MS-CV or an operation id)");
    }
  }

  /** The longest correlation id an outcome holds (a correlation vector has at most 127). */
  public static final int MAX_CORRELATION_ID_LENGTH = 128;

  /**
   * The one rule for a correlation id read from a response header ({@code MS-CV}, {@code
   * X-Correlating-OperationId}), which is input from outside like any other: it is kept only when
   * it is 1 to {@value #MAX_CORRELATION_ID_LENGTH} characters of the correlation-vector alphabet
   * (base64 {@code A-Z a-z 0-9 + / =}, and {@code . _ : -} for its extensions and for GUIDs), after
   * surrounding spaces are trimmed. Anything else — longer, a control character, a quote, a space
   * inside, non-ASCII — is dropped whole rather than cut or escaped: it is no correlation id
   * Microsoft support could use, and it never reaches a log line, the MDC or a tag.
   *
   * <pre>{@code
   * SendOutcome.readCorrelationId(" k1Wd2R3s5aNq8qy/Xp6nYw.1.2 "); // "k1Wd2R3s5aNq8qy/Xp6nYw.1.2"
   * SendOutcome.readCorrelationId("cv\r\nX-Forged: 1");          // null
   * }</pre>
   *
   * @param header the header's value, or {@code null}
   * @return the correlation id, or {@code null} when absent or not valid
   */
  public static @Nullable String readCorrelationId(@Nullable String header) {
    if (header == null) {
      return null;
    }
    int start = 0;
    int end = header.length();
    while (start < end && (header.charAt(start) == ' ' || header.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (header.charAt(end - 1) == ' ' || header.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == start || end - start > MAX_CORRELATION_ID_LENGTH) {
      return null;
    }
    for (int i = start; i < end; i++) {
      char c = header.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '='
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return null;
      }
    }
    return header.substring(start, end);
  }

  /**
   * Whether it was delivered.
   *
   * @return {@code kind == DELIVERED}
   */
  public boolean delivered() {
    return kind == Kind.DELIVERED;
  }

  /**
   * Why sending the same thing again later may help, by the one retry classifier ({@link
   * RetryCause#ofStatus}) the sender and broadcasts use too: a 429 ({@code THROTTLED}); a 412, 502,
   * 503 or 504; or a failure without any answer ({@code FAILED} with status 0: could not connect, a
   * timeout before anything was sent). Never for another status (500 included), for {@code UNKNOWN}
   * (it may duplicate the message) nor for refusals.
   *
   * @return the cause, or {@code null} when retrying cannot help
   */
  public @Nullable RetryCause retryCause() {
    if (kind == Kind.THROTTLED) {
      return RetryCause.THROTTLED;
    }
    if (status != 0) {
      return RetryCause.ofStatus(status);
    }
    return kind == Kind.FAILED ? RetryCause.TRANSIENT : null;
  }

  /**
   * Whether sending the same thing again later may help: {@link #retryCause()} is not {@code null}.
   *
   * @return true when a later retry may succeed
   */
  public boolean retryable() {
    return retryCause() != null;
  }

  /**
   * Starts an outcome.
   *
   * @param kind the category
   * @return a builder with status 0, 0 attempts and every other field {@code null}
   */
  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /**
   * A builder holding this outcome's fields, to derive another.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder(kind)
        .status(status)
        .id(id)
        .errorCode(errorCode)
        .message(message)
        .correlationId(correlationId)
        .retryAfter(retryAfter)
        .attempts(attempts)
        .conversation(conversation);
  }

  /** Builder of a {@link SendOutcome}; not thread-safe. */
  public static final class Builder {
    private Kind kind;
    private int status;
    private @Nullable String id;
    private @Nullable String errorCode;
    private @Nullable String message;
    private @Nullable String correlationId;
    private @Nullable Duration retryAfter;
    private int attempts;
    private @Nullable ConversationReference conversation;

    private Builder(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * The category.
     *
     * @param value the kind
     * @return this builder
     */
    public Builder kind(Kind value) {
      this.kind = Objects.requireNonNull(value, "kind");
      return this;
    }

    /**
     * The last HTTP status.
     *
     * @param value the status, or 0 when no response was received
     * @return this builder
     */
    public Builder status(int value) {
      this.status = value;
      return this;
    }

    /**
     * The new activity (or conversation) id.
     *
     * @param value the id, or {@code null}
     * @return this builder
     */
    public Builder id(@Nullable String value) {
      this.id = value;
      return this;
    }

    /**
     * The service's or Beckon's error code.
     *
     * @param value the code, or {@code null}
     * @return this builder
     */
    public Builder errorCode(@Nullable String value) {
      this.errorCode = value;
      return this;
    }

    /**
     * A human-readable explanation; never a token.
     *
     * @param value the message, or {@code null}
     * @return this builder
     */
    public Builder message(@Nullable String value) {
      this.message = value;
      return this;
    }

    /**
     * The service's correlation id, {@linkplain SendOutcome#readCorrelationId valid} ({@link
     * #build()} refuses another).
     *
     * @param value the id, or {@code null}
     * @return this builder
     */
    public Builder correlationId(@Nullable String value) {
      this.correlationId = value;
      return this;
    }

    /**
     * The service's {@code Retry-After}.
     *
     * @param value the wait, or {@code null}
     * @return this builder
     */
    public Builder retryAfter(@Nullable Duration value) {
      this.retryAfter = value;
      return this;
    }

    /**
     * How many requests were made.
     *
     * @param value 0 or more
     * @return this builder
     */
    public Builder attempts(int value) {
      this.attempts = value;
      return this;
    }

    /**
     * A reference to a created conversation.
     *
     * @param value the reference, or {@code null}
     * @return this builder
     */
    public Builder conversation(@Nullable ConversationReference value) {
      this.conversation = value;
      return this;
    }

    /**
     * Builds the outcome.
     *
     * @return the outcome
     * @throws IllegalArgumentException when the correlation id is not a valid one
     */
    public SendOutcome build() {
      return new SendOutcome(
          kind, status, id, errorCode, message, correlationId, retryAfter, attempts, conversation);
    }
  }
}
