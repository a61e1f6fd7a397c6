package dev.beckon.micrometer;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Tag values from closed sets: whatever a stored reference, an activity or a connector answer
 * holds, a low-cardinality tag never takes more than a handful of values, and no value is longer
 * than a few dozen characters.
 */
final class TagValues {

  private TagValues() {}

  /** Channel ids of the Bot Framework and the Agents SDK (their {@code Channels} constants). */
  static final Set<String> CHANNELS =
      Set.of(
          "alexa",
          "console",
          "cortana",
          "directline",
          "directlinespeech",
          "email",
          "emulator",
          "facebook",
          "groupme",
          "kik",
          "line",
          "m365extensions",
          "msteams",
          "omnichannel",
          "outlook",
          "skype",
          "skypeforbusiness",
          "slack",
          "sms",
          "telegram",
          "telephony",
          "test",
          "twilio-sms",
          "webchat");

  /** Activity types of the Bot Framework schema. */
  static final Set<String> ACTIVITY_TYPES =
      Set.of(
          "message",
          "contactRelationUpdate",
          "conversationUpdate",
          "typing",
          "endOfConversation",
          "event",
          "invoke",
          "invokeResponse",
          "deleteUserData",
          "messageUpdate",
          "messageDelete",
          "installationUpdate",
          "messageReaction",
          "suggestion",
          "trace",
          "handoff",
          "command",
          "commandResult");

  /** The longest id kept as a high-cardinality value. */
  static final int MAX_ID = 256;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  static String channel(@Nullable String channelId) {
    return channelId != null && CHANNELS.contains(channelId) ? channelId : "other";
  }

  static String activityType(@Nullable String type) {
    return type != null && ACTIVITY_TYPES.contains(type) ? type : "other";
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
  }

  static String id(String id) {
    if (id.length() <= MAX_ID) {
      return id;
    }
    int end = MAX_ID;
    if (Character.isHighSurrogate(id.charAt(end - 1))) {
      end--;
    }
    return id.substring(0, end);
  }

  /**
   * A name chosen in code (a store's, a broadcast's): refused unless 1 to 64 characters of {@code
   * A-Z a-z 0-9 _ . -}.
   */
  static String name(String value, String what) {
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " must be 1..64 characters of A-Z a-z 0-9 _ . - (it is a tag value)");
    }
    return value;
  }

  /** A name given at run time (a retry's operation): kept when it is a valid name, else other. */
  static String nameOrOther(@Nullable String value) {
    return value != null && NAME.matcher(value).matches() ? value : "other";
  }

  /** A store's default tag value, after its class: {@code JdbcReferenceRepository} is jdbc. */
  static String storeOf(Class<?> type) {
    if (type.getSimpleName().equals("InMemoryReferenceRepository")) {
      return "memory";
    }
    String n = type.getSimpleName();
    if (n.endsWith("ReferenceRepository")) {
      n = n.substring(0, n.length() - "ReferenceRepository".length());
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n.length() && sb.length() < 64; i++) {
      char c = Character.toLowerCase(n.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      }
    }
    return sb.length() == 0 ? "custom" : sb.toString();
  }
}
