package dev.beckon.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ServiceUrl;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of a delivered (2xx) connector answer into its outcome: the new activity id, or
 * the created conversation. Total: whatever the service answered, the result is an outcome, never
 * an exception (an id that no reference can hold makes the outcome {@code UNKNOWN}).
 */
final class ConnectorResponses {

  private ConnectorResponses() {}

  /**
   * A delivered send, reply or update with the new activity id ({@code "id"}) when the body has
   * one.
   *
   * @param delivered the delivered outcome
   * @param body the response body, or {@code null} when none was read
   * @return the outcome with its id ({@code null} when the body has none)
   */
  public static SendOutcome activity(SendOutcome delivered, @Nullable String body) {
    return with(delivered, Json.topLevelString(body, "id"), null);
  }

  /**
   * A delivered create-conversation with a ready-to-save reference to the new conversation.
   *
   * @param delivered the delivered outcome
   * @param body the response body {@code {"id", "activityId"?, "serviceUrl"?}}, or {@code null}
   * @param from the reference the conversation was created from
   * @param p the parameters sent
   * @return DELIVERED with the reference, or UNKNOWN when the answer holds no usable id
   */
  public static SendOutcome conversation(
      SendOutcome delivered,
      @Nullable String body,
      ConversationReference from,
      ConversationParameters p) {
    JsonNode r = parse(body);
    String id = r == null ? null : text(r.get("id"));
    if (r == null || id == null) {
      return unknown(
          delivered,
          "NoConversationId",
          delivered.message() != null
              ? delivered.message()
              : "the service created a conversation but did not return its id");
    }
    String service = usableServiceUrl(text(r.get("serviceUrl")), from.serviceUrl());
    try {
      ConversationReference created =
          new ConversationReference(
              text(r.get("activityId")),
              p.member(),
              from.bot(),
              new ConversationAccount(
                  id,
                  null,
                  p.isGroup(),
                  p.isGroup() ? "channel" : "personal",
                  p.tenantId(),
                  null,
                  null,
                  Map.of()),
              from.channelId(),
              from.locale(),
              service,
              Map.of());
      return with(delivered, id, created);
    } catch (RuntimeException e) {
      String why = Classifier.bounded(e.getMessage());
      return unknown(
          delivered,
          "InvalidConversationResponse",
          "the service created a conversation but its answer cannot be a reference"
              + (why == null ? "" : ": " + why));
    }
  }

  /**
   * The serviceUrl the service answered with, or the request's when it is missing or breaks the
   * rule.
   */
  private static String usableServiceUrl(@Nullable String answered, String requested) {
    if (answered == null) {
      return requested;
    }
    try {
      ServiceUrl.parse(answered);
      return answered;
    } catch (IllegalArgumentException e) {
      return requested;
    }
  }

  private static SendOutcome unknown(SendOutcome delivered, String code, String message) {
    return SendOutcome.builder(SendOutcome.Kind.UNKNOWN)
        .status(delivered.status())
        .errorCode(code)
        .message(message)
        .correlationId(delivered.correlationId())
        .attempts(delivered.attempts())
        .build();
  }

  /**
   * The outcome with the activity id (and created conversation) it names.
   *
   * @param o the outcome
   * @param id the activity id, or {@code null}
   * @param c the created conversation, or {@code null}
   * @return the copy
   */
  public static SendOutcome with(
      SendOutcome o, @Nullable String id, @Nullable ConversationReference c) {
    return o.toBuilder().id(id).conversation(c).build();
  }

  private static @Nullable String text(@Nullable JsonNode n) {
    return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
  }

  private static @Nullable JsonNode parse(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.parse(body);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
