package dev.beckon.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Typed, path-aware reads from Jackson trees, shared by the reference and activity readers. */
final class Nodes {

  private Nodes() {}

  /**
   * The path of a field: {@code parent.field}, or {@code parent["…"]} (JSON-quoted, at most 100
   * characters shown) for a name that is empty or not plain ASCII, so a path is never blank and
   * never ambiguous.
   */
  static String join(String parent, String field) {
    boolean plain =
        !field.isEmpty()
            && field.length() <= 100
            && field
                .chars()
                .allMatch(
                    c ->
                        c < 128
                            && (Character.isLetterOrDigit(c)
                                || c == '_'
                                || c == '$'
                                || c == '@'
                                || c == '-'
                                || c == ':'));
    if (plain) {
      return parent.isEmpty() ? field : parent + "." + field;
    }
    String shown = field.length() > 100 ? field.substring(0, 100) + "…" : field;
    String quoted =
        "[\""
            + new String(
                com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(shown))
            + "\"]";
    return (parent.isEmpty() ? "$" : parent) + quoted;
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
    String s = value.textValue();
    String problem = TextRules.textProblem(s);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
    return s;
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
    return checkId(s, path, true);
  }

  /** An optional id (activity, account, tenant): absent or null is {@code null}. */
  static @Nullable String optId(JsonNode value, String path) {
    String s = optString(value, path);
    return s == null ? null : checkId(s, path, false);
  }

  static String checkId(String s, String path, boolean required) {
    String problem = TextRules.idProblem(s, required);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
    return s;
  }

  /** Puts an unknown field into the extra map, checking its name and value. */
  static Map<String, @Nullable Object> putExtra(
      @Nullable Map<String, @Nullable Object> extra, String parent, String field, JsonNode value) {
    Map<String, @Nullable Object> m = extra == null ? new LinkedHashMap<>() : extra;
    String name = JsonValues.name(field, parent);
    m.put(name, JsonValues.fromNode(value, join(parent, name)));
    return m;
  }

  /**
   * Runs a value constructor, turning the {@link IllegalArgumentException} it raises for a value
   * the reader did not already refuse into a {@link MalformedReferenceException} at {@code path}.
   */
  static <T> T construct(String path, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw new MalformedReferenceException(
          path.isEmpty() ? "$" : path, String.valueOf(e.getMessage()), e);
    }
  }

  static @Nullable Boolean optBoolean(JsonNode value, String path) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new MalformedReferenceException(
          path, "must be true or false but was " + describe(value));
    }
    return value.booleanValue();
  }

  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
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
    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      JsonNode v = e.getValue();
      switch (f) {
        case "id" -> id = optId(v, join(path, f));
        case "name" -> name = optString(v, join(path, f));
        case "aadObjectId" -> aad = optString(v, join(path, f));
        case "role" -> role = optString(v, join(path, f));
        default -> extra = putExtra(extra, path, f, v);
      }
    }
    String i = id;
    String n = name;
    String a = aad;
    String r = role;
    Map<String, @Nullable Object> x = extra == null ? Map.of() : extra;
    return construct(path, () -> new ChannelAccount(i, n, a, r, x));
  }

  static @Nullable ConversationAccount optConversation(
      JsonNode node, String path, boolean required) {
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
    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
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
        case "tenantId" -> tenant = optId(v, join(path, f));
        case "aadObjectId" -> aad = optString(v, join(path, f));
        case "role" -> role = optString(v, join(path, f));
        default -> extra = putExtra(extra, path, f, v);
      }
    }
    if (id == null) {
      throw new MalformedReferenceException(join(path, "id"), "is required");
    }
    String i = id;
    String n = name;
    Boolean g = isGroup == null ? group : isGroup;
    String t = type;
    String te = tenant;
    String a = aad;
    String r = role;
    Map<String, @Nullable Object> x = extra == null ? Map.of() : extra;
    return construct(path, () -> new ConversationAccount(i, n, g, t, te, a, r, x));
  }
}
