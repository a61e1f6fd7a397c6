package dev.beckon.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ReferenceKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Typed, path-aware reads from Jackson trees, shared by the reference and activity readers. */
final class Nodes {

  private Nodes() {}

  static String join(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new MalformedReferenceException(
          path.isEmpty() ? "$" : path, "must be a JSON object but was " + describe(node));
    }
  }

  static @Nullable String optString(JsonNode value, String path) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new MalformedReferenceException(path, "must be a string but was " + describe(value));
    }
    return value.textValue();
  }

  static String requireString(@Nullable JsonNode value, String path) {
    if (value == null || value.isNull()) {
      throw new MalformedReferenceException(path, "is required");
    }
    String s = optString(value, path);
    if (s == null || s.isBlank()) {
      throw new MalformedReferenceException(path, "must not be blank");
    }
    return s;
  }

  static String requireId(@Nullable JsonNode value, String path) {
    String s = requireString(value, path);
    if (s.length() > ReferenceKey.MAX_ID_LENGTH) {
      throw new MalformedReferenceException(
          path, "is " + s.length() + " characters long; the limit is " + ReferenceKey.MAX_ID_LENGTH);
    }
    return s;
  }

  static @Nullable Boolean optBoolean(JsonNode value, String path) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new MalformedReferenceException(path, "must be true or false but was " + describe(value));
    }
    return value.booleanValue();
  }

  static String describe(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      default:
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static @Nullable ChannelAccount optAccount(JsonNode node, String path) {
    if (node.isNull()) {
      return null;
    }
    requireObject(node, path);
    String id = null;
    String name = null;
    String aad = null;
    String role = null;
    Map<String, @Nullable Object> extra = null;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      JsonNode v = e.getValue();
      switch (f) {
        case "id" -> id = optString(v, join(path, f));
        case "name" -> name = optString(v, join(path, f));
        case "aadObjectId" -> aad = optString(v, join(path, f));
        case "role" -> role = optString(v, join(path, f));
        default -> {
          if (extra == null) {
            extra = new LinkedHashMap<>();
          }
          extra.put(f, JsonValues.fromNode(v));
        }
      }
    }
    return new ChannelAccount(id, name, aad, role, extra == null ? Map.of() : extra);
  }

  static @Nullable ConversationAccount optConversation(JsonNode node, String path, boolean required) {
    if (node.isNull()) {
      if (required) {
        throw new MalformedReferenceException(path, "is required");
      }
      return null;
    }
    requireObject(node, path);
    String id = null;
    String name = null;
    Boolean isGroup = null;
    Boolean group = null;
    String type = null;
    String tenant = null;
    String aad = null;
    String role = null;
    Map<String, @Nullable Object> extra = null;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      JsonNode v = e.getValue();
      switch (f) {
        case "id" -> id = requireId(v, join(path, f));
        case "name" -> name = optString(v, join(path, f));
        case "isGroup" -> isGroup = optBoolean(v, join(path, f));
        // botbuilder-java writes a spurious "group" next to "isGroup": read, never kept.
        case "group" -> group = v.isBoolean() ? v.booleanValue() : null;
        case "conversationType" -> type = optString(v, join(path, f));
        case "tenantId" -> tenant = optString(v, join(path, f));
        case "aadObjectId" -> aad = optString(v, join(path, f));
        case "role" -> role = optString(v, join(path, f));
        default -> {
          if (extra == null) {
            extra = new LinkedHashMap<>();
          }
          extra.put(f, JsonValues.fromNode(v));
        }
      }
    }
    if (id == null) {
      throw new MalformedReferenceException(join(path, "id"), "is required");
    }
    if (isGroup == null) {
      isGroup = group;
    }
    return new ConversationAccount(
        id, name, isGroup, type, tenant, aad, role, extra == null ? Map.of() : extra);
  }
}
