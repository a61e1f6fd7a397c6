package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.json.UnreadableJsonException;
import dev.beckon.internal.model.PlainValues;
import dev.beckon.internal.model.TextRules;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ServiceUrl;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed, path-aware reads from Jackson trees, shared by every decoder of this package: each failure
 * is a {@link MalformedReferenceException} naming the path.
 */
final class Nodes {

  private Nodes() {}

  /** The path of a field ({@link PlainValues#join}). */
  static String join(String parent, String field) {
    return PlainValues.join(parent, field);
  }

  /** Parses text with {@link Json}, its refusal becoming a {@link MalformedReferenceException}. */
  static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (UnreadableJsonException e) {
      throw new MalformedReferenceException("$", String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * Parses UTF-8 bytes with {@link Json}, its refusal becoming a {@link
   * MalformedReferenceException}.
   */
  static JsonNode parse(byte[] utf8) {
    try {
      return Json.parse(utf8);
    } catch (UnreadableJsonException e) {
      throw new MalformedReferenceException("$", String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * Decodes UTF-8 strictly ({@link Json#text}), a refusal becoming a {@link
   * MalformedReferenceException}.
   */
  static String text(byte[] utf8) {
    try {
      return Json.text(utf8);
    } catch (UnreadableJsonException e) {
      throw new MalformedReferenceException("$", String.valueOf(e.getMessage()), e);
    }
  }

  /** Applies {@link ServiceUrl}'s rule to a field being decoded. */
  static void requireServiceUrl(@Nullable String value, String path) {
    String problem = ServiceUrl.problem(value);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
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
    String name = name(field, parent);
    m.put(name, value(value, join(parent, name)));
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

  /**
   * Converts a Jackson tree node to a frozen plain value, refusing what Beckon cannot hold exactly:
   * a string or key that is not well-formed UTF-16, a number that is not finite or would not read
   * back from its canonical text ({@link PlainValues}).
   *
   * @param node the node
   * @param path where it sits, for error messages ({@code extra.x[2]})
   * @return the value
   * @throws MalformedReferenceException naming the path
   */
  static @Nullable Object value(JsonNode node, String path) {
    switch (node.getNodeType()) {
      case STRING -> {
        String text = node.textValue();
        String problem = TextRules.textProblem(text);
        if (problem != null) {
          throw new MalformedReferenceException(path, problem);
        }
        return text;
      }
      case BOOLEAN -> {
        return node.booleanValue();
      }
      case NUMBER -> {
        return number(node, path);
      }
      case OBJECT -> {
        LinkedHashMap<String, @Nullable Object> m = new LinkedHashMap<>(node.size() * 2);
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String key = name(e.getKey(), path);
          m.put(key, value(e.getValue(), join(path, key)));
        }
        return PlainValues.adoptObject(m);
      }
      case ARRAY -> {
        ArrayList<@Nullable Object> l = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode n : node) {
          l.add(value(n, path + "[" + i++ + "]"));
        }
        return PlainValues.adoptList(l);
      }
      case NULL -> {
        return null;
      }
      default ->
          throw new MalformedReferenceException(
              path, "is " + describe(node) + ", not a JSON value");
    }
  }

  /**
   * Checks a field name read from JSON.
   *
   * @param key the name
   * @param parent the path of the object it is in
   * @return the name
   * @throws MalformedReferenceException when it is not well-formed UTF-16
   */
  static String name(String key, String parent) {
    String problem = TextRules.textProblem(key);
    if (problem != null) {
      throw new MalformedReferenceException(
          parent.isEmpty() ? "$" : parent, "has a field name that " + problem);
    }
    return key;
  }

  private static Number number(JsonNode node, String path) {
    Number value;
    if (node.isIntegralNumber()) {
      value =
          node.isInt()
              ? (Number) node.intValue()
              : node.isLong() ? (Number) node.longValue() : node.bigIntegerValue();
    } else if (node.isDouble() || node.isFloat()) {
      // only in trees built by the caller: Beckon's own parser reads BigDecimal
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        throw new MalformedReferenceException(path, "is " + d + ", which JSON cannot represent");
      }
      value =
          node.isFloat()
              ? new BigDecimal(Float.toString(node.floatValue()))
              : BigDecimal.valueOf(d);
    } else {
      value = node.decimalValue();
    }
    Number normal = PlainValues.normalise(value, path);
    String problem = PlainValues.numberProblem(normal);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
    return normal;
  }
}
