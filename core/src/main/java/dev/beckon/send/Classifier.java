package dev.beckon.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.retry.RetryStrategy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Bot Connector answer to an outcome kind and reads error codes and Retry-After (PROTOCOL.md
 * §3). Whether an answer is retried is not decided here but by {@link
 * dev.beckon.retry.RetryCause#ofStatus}.
 */
final class Classifier {

  private static final Set<String> GONE_403 =
      Set.of("ConversationBlockedByUser", "BotNotInConversationRoster", "MessageWritesBlocked");

  private Classifier() {}

  /**
   * The longest error code kept; longer ones are cut (they are identifiers, not prose). Correlation
   * ids have a stricter rule of their own: {@link SendOutcome#readCorrelationId}.
   */
  public static final int MAX_CODE_LENGTH = 128;

  /**
   * A header or code value cut to {@link #MAX_CODE_LENGTH} characters.
   *
   * @param value the value, or {@code null}
   * @return the value, cut, or {@code null} when absent or blank
   */
  public static @Nullable String bounded(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return printable(value, MAX_CODE_LENGTH);
  }

  /**
   * Control characters become spaces (no forged log lines); cut to {@code max} characters, never
   * inside a surrogate pair.
   */
  private static @Nullable String printable(String value, int max) {
    if (value.isBlank()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(Math.min(value.length(), max + 1));
    int end = Math.min(value.length(), max);
    if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (end < value.length()) {
      sb.append('…');
    }
    return sb.toString();
  }

  /**
   * The error code of an error body in either shape: {@code {"error":{"code":…}}} or Teams' {@code
   * {"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\",…}"}} (the sub-code wins).
   *
   * @param body the response body
   * @return the code, or {@code null}
   */
  public static @Nullable String errorCode(@Nullable String body) {
    return bounded(rawErrorCode(body));
  }

  private static @Nullable String rawErrorCode(@Nullable String body) {
    if (body == null || body.isBlank() || body.length() > 64 * 1024) {
      return null;
    }
    try {
      JsonNode n = Json.parse(body);
      JsonNode err = n.get("error");
      if (err != null && err.isObject() && err.path("code").isTextual()) {
        return err.path("code").asText();
      }
      if (n.has("errorCode")) {
        JsonNode msg = n.get("message");
        if (msg != null && msg.isTextual() && msg.asText().startsWith("{")) {
          try {
            JsonNode inner = Json.parse(msg.asText());
            if (inner.path("subCode").isTextual()) {
              return inner.path("subCode").asText();
            }
          } catch (RuntimeException ignored) {
            // not JSON inside: fall back to the numeric code
          }
        }
        JsonNode code = n.get("errorCode");
        return code.isTextual() || code.isNumber() ? code.asText() : null;
      }
    } catch (RuntimeException ignored) {
      // not JSON
    }
    return null;
  }

  /**
   * The human-readable message of an error body, if any (bounded).
   *
   * @param body the body
   * @return the message or {@code null}
   */
  public static @Nullable String errorMessage(@Nullable String body) {
    if (body == null || body.isBlank() || body.length() > 64 * 1024) {
      return null;
    }
    try {
      JsonNode n = Json.parse(body);
      JsonNode m = n.path("error").path("message");
      if (!m.isTextual()) {
        m = n.path("message");
      }
      return m.isTextual() ? printable(m.asText(), 300) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The kind of a final answer.
   *
   * @param status the HTTP status
   * @param code the error code, if any
   * @return the kind
   */
  public static SendOutcome.Kind kind(int status, @Nullable String code) {
    if (status >= 200 && status < 300) {
      return SendOutcome.Kind.DELIVERED;
    }
    return switch (status) {
      case 401 -> SendOutcome.Kind.UNAUTHORIZED;
      case 403 ->
          code != null && GONE_403.contains(code)
              ? SendOutcome.Kind.CONVERSATION_GONE
              : "InvalidBotApiHost".equals(code)
                  ? SendOutcome.Kind.REJECTED
                  : SendOutcome.Kind.FORBIDDEN;
      case 404 -> SendOutcome.Kind.CONVERSATION_GONE;
      case 429 -> SendOutcome.Kind.THROTTLED;
      case 400, 405, 409, 413, 415 -> SendOutcome.Kind.REJECTED;
      default ->
          status >= 400 && status < 500 ? SendOutcome.Kind.REJECTED : SendOutcome.Kind.FAILED;
    };
  }

  /**
   * Parses {@code Retry-After}: delay-seconds or an HTTP date (RFC 1123), capped at {@link
   * RetryStrategy#MAX_RETRY_AFTER}. A date in the past is {@link Duration#ZERO} (the caller still
   * waits its backoff); anything else (negative, fractional, another date format) counts as absent.
   *
   * @param value the header
   * @param now the current time
   * @return the wait, or {@code null} when absent or unreadable
   */
  public static @Nullable Duration retryAfter(@Nullable String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return null; // only control characters: trim() removes them, isBlank() does not see them
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // delay-seconds: any number of digits; more than 10 is more than the cap anyway
      long s = v.length() > 10 ? Long.MAX_VALUE : Long.parseLong(v);
      return s > RetryStrategy.MAX_RETRY_AFTER.toSeconds()
          ? RetryStrategy.MAX_RETRY_AFTER
          : Duration.ofSeconds(s);
    }
    if (v.length() > 64) {
      return null;
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative()
          ? Duration.ZERO
          : d.compareTo(RetryStrategy.MAX_RETRY_AFTER) > 0 ? RetryStrategy.MAX_RETRY_AFTER : d;
    } catch (DateTimeException | ArithmeticException notADate) {
      return null;
    }
  }
}
