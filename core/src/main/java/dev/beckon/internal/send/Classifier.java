package dev.beckon.internal.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.send.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Maps a Bot Connector answer to an outcome kind and reads error codes and Retry-After (PROTOCOL.md §3). */
public final class Classifier {

  private static final Set<String> GONE_403 =
      Set.of("ConversationBlockedByUser", "BotNotInConversationRoster", "MessageWritesBlocked");

  private Classifier() {}

  /** What to do with an answer. */
  public enum Action {
    /** Final: return the outcome. */
    DONE,
    /** Retry after backoff (or Retry-After). */
    RETRY
  }

  /**
   * The error code of an error body in either shape: {@code {"error":{"code":…}}} or Teams'
   * {@code {"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\",…}"}} (the sub-code wins).
   *
   * @param body the response body
   * @return the code, or {@code null}
   */
  public static @Nullable String errorCode(@Nullable String body) {
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
        return n.get("errorCode").asText();
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
      String m = n.path("error").path("message").asText(null);
      if (m == null) {
        m = n.path("message").asText(null);
      }
      return m == null ? null : (m.length() > 300 ? m.substring(0, 300) + "…" : m);
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
      case 403 -> code != null && GONE_403.contains(code) ? SendOutcome.Kind.CONVERSATION_GONE
          : "InvalidBotApiHost".equals(code) ? SendOutcome.Kind.REJECTED : SendOutcome.Kind.FORBIDDEN;
      case 404 -> SendOutcome.Kind.CONVERSATION_GONE;
      case 429 -> SendOutcome.Kind.THROTTLED;
      case 400, 405, 409, 413, 415 -> SendOutcome.Kind.REJECTED;
      default -> status >= 400 && status < 500 ? SendOutcome.Kind.REJECTED : SendOutcome.Kind.FAILED;
    };
  }

  /**
   * Whether a status is worth retrying: 412, 429, 502, 503, 504.
   *
   * @param status the status
   * @return true when transient
   */
  public static boolean transientStatus(int status) {
    return status == 412 || status == 429 || status == 502 || status == 503 || status == 504;
  }

  /**
   * Parses {@code Retry-After}: seconds or an HTTP date.
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
    try {
      long s = Long.parseLong(v);
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
