package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.model.TextRules;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Import (and export) of Bot Framework v3 {@code ResumptionCookie} JSON — the form the seed article
 * stored:
 *
 * <pre>{@code
 * { "address": {"botId": "…", "channelId": "emulator", "userId": "…",
 *               "conversationId": "…", "serviceUrl": "http://localhost:8546"},
 *   "userName": "User", "isTrustedServiceUrl": true, "isGroup": false, "locale": "en-GB" }
 * }</pre>
 *
 * <p>camelCase and PascalCase names (plain Newtonsoft) are both read; a name that appears in two
 * letter cases ({@code channelId} and {@code ChannelID}) is refused as ambiguous. The ids follow
 * the {@link dev.beckon.reference.ReferenceKey} rules and every string must be well-formed UTF-16;
 * the JSON limits are those of {@link ReferenceJson}. {@code locale}, {@code userName}, {@code
 * isGroup}, {@code botId} and {@code userId} may be missing. {@code isTrustedServiceUrl} is
 * ignored: trust is decided by policy, not by the cookie. Mapping: {@code botId → bot.id}, {@code
 * userId → user.id}, {@code userName → user.name}, {@code conversationId → conversation.id}, {@code
 * isGroup → conversation.isGroup}.
 *
 * <p>The v3 {@code GZipSerialize} form (.NET BinaryFormatter inside gzip inside base64) is
 * recognised and refused: deserializing BinaryFormatter data is a known remote-code-execution
 * class, and Beckon never does it. Thread-safe.
 */
public final class ResumptionCookies {

  private static final byte[] BINARY_FORMATTER_HEADER = {0x00, 0x01, 0x00, 0x00, 0x00, (byte) 0xFF};

  private ResumptionCookies() {}

  /**
   * Reads a v3 ResumptionCookie.
   *
   * @param cookie the cookie JSON (camelCase or PascalCase)
   * @return the v4 reference it stands for (no {@code activityId})
   * @throws MalformedReferenceException naming the field ({@code address.conversationId}, …), or
   *     explaining why a binary {@code GZipSerialize} cookie is refused
   */
  public static ConversationReference read(String cookie) {
    if (cookie == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    if (cookie.length() > Json.MAX_DOCUMENT_LENGTH) {
      // bounds the base64 decoding of the binary check below as the parser bounds JSON
      throw new MalformedReferenceException(
          "$",
          "input is " + cookie.length() + " characters; the limit is " + Json.MAX_DOCUMENT_LENGTH);
    }
    String s = cookie.strip();
    if (!s.startsWith("{")) {
      refuseBinary(s);
    }
    JsonNode root = Nodes.parse(s);
    if (!root.isObject()) {
      throw new MalformedReferenceException("$", "a ResumptionCookie must be a JSON object");
    }
    JsonNode address = field(root, "address");
    if (address == null || address.isNull()) {
      throw new MalformedReferenceException("address", "is required");
    }
    if (!address.isObject()) {
      throw new MalformedReferenceException("address", "must be a JSON object");
    }
    String botId = optId(address, "botId", "address.botId");
    String channelId = requireId(address, "channelId", "address.channelId");
    String userId = optId(address, "userId", "address.userId");
    String conversationId = requireId(address, "conversationId", "address.conversationId");
    String serviceUrl = requireString(address, "serviceUrl", "address.serviceUrl");
    Nodes.requireServiceUrl(serviceUrl, "address.serviceUrl");
    String userName = optString(root, "userName", "userName");
    String locale = optString(root, "locale", "locale");
    Boolean isGroup = null;
    JsonNode g = field(root, "isGroup");
    if (g != null && !g.isNull()) {
      if (!g.isBoolean()) {
        throw new MalformedReferenceException("isGroup", "must be true or false");
      }
      isGroup = g.booleanValue();
    }
    Boolean group = isGroup;
    try {
      ChannelAccount user =
          userId == null && userName == null
              ? null
              : new ChannelAccount(userId, userName, null, null, Map.of());
      ChannelAccount bot =
          botId == null ? null : new ChannelAccount(botId, null, null, null, Map.of());
      return new ConversationReference(
          null,
          user,
          bot,
          new ConversationAccount(conversationId, null, group, null, null, null, null, Map.of()),
          channelId,
          locale,
          serviceUrl,
          Map.of());
    } catch (IllegalArgumentException e) {
      throw new MalformedReferenceException("address", String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * Writes the v3 ResumptionCookie JSON (camelCase) a reference maps to, for systems still on v3.
   * {@code isTrustedServiceUrl} is written as {@code false}: Beckon decides trust by policy. {@code
   * isGroup} is left out when the reference does not say. {@code read(write(r))} is {@code r}
   * without what v3 cannot carry (activity id, names other than the user's, extra fields).
   *
   * @param reference the reference
   * @return cookie JSON
   */
  public static String write(ConversationReference reference) {
    Map<String, @Nullable Object> address = new LinkedHashMap<>();
    address.put("botId", reference.bot() == null ? null : reference.bot().id());
    address.put("channelId", reference.channelId());
    address.put("userId", reference.user() == null ? null : reference.user().id());
    address.put("conversationId", reference.conversation().id());
    address.put("serviceUrl", reference.serviceUrl());
    Map<String, @Nullable Object> cookie = new LinkedHashMap<>();
    cookie.put("address", address);
    cookie.put("userName", reference.user() == null ? null : reference.user().name());
    cookie.put("isTrustedServiceUrl", false);
    if (reference.conversation().isGroup() != null) {
      // omitted when unknown (v3 reads a missing isGroup as false), so the cookie reads back equal
      cookie.put("isGroup", reference.conversation().isGroup());
    }
    cookie.put("locale", reference.locale());
    return new String(
        Json.write(gen -> dev.beckon.internal.json.JsonValues.write(gen, cookie)),
        StandardCharsets.UTF_8);
  }

  private static void refuseBinary(String s) {
    byte[] raw;
    try {
      raw = Base64.getMimeDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedReferenceException(
          "$", "not a ResumptionCookie: expected a JSON object", e);
    }
    if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      String what = "gzip data inside base64";
      try {
        byte[] inner = CompactReference.gunzip(raw, 64 * 1024);
        if (startsWith(inner, BINARY_FORMATTER_HEADER)) {
          what = ".NET BinaryFormatter data inside gzip inside base64";
        }
      } catch (MalformedReferenceException tooLargeOrCorrupt) {
        // still refused below, as gzip data
      }
      throw new MalformedReferenceException(
          "$",
          "this is the v3 GZipSerialize form of a ResumptionCookie ("
              + what
              + "). Beckon never"
              + " reads it: BinaryFormatter deserialization is a remote-code-execution risk and"
              + " .NET-only. Export the cookie as JSON in the v3 bot (JsonConvert.SerializeObject)"
              + " and import that instead");
    }
    throw new MalformedReferenceException("$", "not a ResumptionCookie: expected a JSON object");
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable JsonNode field(JsonNode object, String camelName) {
    JsonNode found = null;
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (n.equalsIgnoreCase(camelName)) {
        if (found != null) {
          throw new MalformedReferenceException(
              camelName, "appears more than once in different letter cases");
        }
        found = object.get(n);
      }
    }
    return found;
  }

  private static @Nullable String optString(JsonNode object, String name, String path) {
    JsonNode v = field(object, name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new MalformedReferenceException(path, "must be a string");
    }
    String s = v.textValue();
    String problem = TextRules.textProblem(s);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
    return s;
  }

  private static String requireString(JsonNode object, String name, String path) {
    String v = optString(object, name, path);
    if (v == null) {
      throw new MalformedReferenceException(path, "is required");
    }
    if (v.isBlank()) {
      throw new MalformedReferenceException(path, "must not be blank");
    }
    return v;
  }

  private static String requireId(JsonNode object, String name, String path) {
    return checkId(requireString(object, name, path), path, true);
  }

  private static @Nullable String optId(JsonNode object, String name, String path) {
    String v = optString(object, name, path);
    return v == null ? null : checkId(v, path, false);
  }

  private static String checkId(String v, String path, boolean required) {
    String problem = TextRules.idProblem(v, required);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
    return v;
  }
}
