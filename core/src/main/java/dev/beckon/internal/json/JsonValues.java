package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.codec.MalformedReferenceException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plain JSON values (String, Boolean, Number, List, Map, null): deep-frozen copies, conversion from
 * Jackson trees, and writing. Frozen values keep insertion order and allow JSON nulls.
 *
 * <p>Numbers are kept exactly, in the form the reader produces: {@link Integer}, {@link Long} or
 * {@link BigInteger} for integers (the smallest that holds the value), {@link BigDecimal} for
 * anything written with a fraction or an exponent (trailing zeros kept). Freezing normalises other
 * number types to that form, so a value written and read back is equal to the frozen one. A number
 * is accepted only when it can be written and read back: finite, its canonical text (what {@link
 * BigDecimal#toString()} gives) at most {@value #MAX_NUMBER_LENGTH} characters and its scale within
 * &plusmn;{@value #MAX_SCALE} (Jackson's {@code StreamReadConstraints} bound the length of a
 * number's text, not its exponent: {@code 82969e2147483646} is short, but its canonical form {@code
 * 8.2969E+2147483650} is no longer a Java number). Strings and keys must be well-formed UTF-16
 * ({@link TextRules}).
 */
public final class JsonValues {

  /** Longest canonical text of an accepted number, in characters (the parser's limit too). */
  public static final int MAX_NUMBER_LENGTH = 256;

  /** Largest magnitude of an accepted number's scale (its decimal exponent, negated). */
  public static final int MAX_SCALE = 9_999;

  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private JsonValues() {}

  /**
   * A deep, immutable, order-keeping copy of a JSON object.
   *
   * @param map the object, {@code null} is taken as empty
   * @param path where it sits, for error messages
   * @return the frozen object
   * @throws IllegalArgumentException naming the path when a value is not a plain JSON value
   */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> freezeObject(
      @Nullable Map<String, ? extends @Nullable Object> map, String path) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    if (map instanceof FrozenObject) {
      return (Map<String, @Nullable Object>) map;
    }
    LinkedHashMap<String, @Nullable Object> copy = new LinkedHashMap<>(map.size() * 2);
    for (Map.Entry<String, ? extends @Nullable Object> e : map.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException(path + " has a null key");
      }
      String keyProblem = TextRules.textProblem(e.getKey());
      if (keyProblem != null) {
        throw new IllegalArgumentException(path + " has a key that " + keyProblem);
      }
      copy.put(e.getKey(), freeze(e.getValue(), Nodes.join(path, e.getKey())));
    }
    return new FrozenObject(copy);
  }

  /**
   * A deep, immutable copy of a JSON array.
   *
   * @param list the array, {@code null} is taken as empty
   * @param path where it sits, for error messages
   * @return the frozen array
   */
  @SuppressWarnings("unchecked")
  public static List<@Nullable Object> freezeList(
      @Nullable List<? extends @Nullable Object> list, String path) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    if (list instanceof FrozenArray) {
      return (List<@Nullable Object>) list;
    }
    ArrayList<@Nullable Object> copy = new ArrayList<>(list.size());
    int i = 0;
    for (Object o : list) {
      copy.add(freeze(o, path + "[" + i++ + "]"));
    }
    return new FrozenArray(copy);
  }

  /**
   * A deep, immutable copy of any JSON value.
   *
   * @param value the value
   * @param path where it sits, for error messages
   * @return the frozen value
   */
  @SuppressWarnings("unchecked")
  public static @Nullable Object freeze(@Nullable Object value, String path) {
    if (value == null || value instanceof Boolean) {
      return value;
    }
    if (value instanceof String str) {
      TextRules.requireText(str, path);
      return str;
    }
    if (value instanceof Number n) {
      Number normal = normalise(n, path);
      String problem = numberProblem(normal);
      if (problem != null) {
        throw new IllegalArgumentException(path + " " + problem);
      }
      return normal;
    }
    if (value instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw new IllegalArgumentException(path + " has a key that is not a string: " + k);
        }
      }
      return freezeObject((Map<String, ?>) m, path);
    }
    if (value instanceof List<?> l) {
      return freezeList(l, path);
    }
    throw new IllegalArgumentException(
        path
            + " is a "
            + value.getClass().getName()
            + "; only String, Boolean, Number, List, Map and null are JSON values");
  }

  /**
   * Converts a Jackson tree node to a frozen plain value, refusing what Beckon cannot hold exactly:
   * a string or key that is not well-formed UTF-16, a number that is not finite or would not read
   * back from its canonical text (see the class comment).
   *
   * @param node the node
   * @param path where it sits, for error messages ({@code extra.x[2]})
   * @return the value
   * @throws MalformedReferenceException naming the path
   */
  public static @Nullable Object fromNode(JsonNode node, String path) {
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
        if (node.isEmpty()) {
          return new FrozenObject(new LinkedHashMap<>());
        }
        LinkedHashMap<String, @Nullable Object> m = new LinkedHashMap<>(node.size() * 2);
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String key = name(e.getKey(), path);
          m.put(key, fromNode(e.getValue(), Nodes.join(path, key)));
        }
        return new FrozenObject(m);
      }
      case ARRAY -> {
        ArrayList<@Nullable Object> l = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode n : node) {
          l.add(fromNode(n, path + "[" + i++ + "]"));
        }
        return new FrozenArray(l);
      }
      case NULL -> {
        return null;
      }
      default ->
          throw new MalformedReferenceException(
              path, "is " + Nodes.describe(node) + ", not a JSON value");
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
  public static String name(String key, String parent) {
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
    Number normal = normalise(value, path);
    String problem = numberProblem(normal);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
    return normal;
  }

  /** The reader's form of a number: Integer, Long, BigInteger, or BigDecimal with a scale. */
  private static Number normalise(Number n, String path) {
    if (n instanceof Integer || n instanceof Long) {
      return n instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE
          ? (Number) l.intValue()
          : n;
    }
    if (n instanceof Short || n instanceof Byte) {
      return n.intValue();
    }
    if (n instanceof BigInteger bi) {
      if (bi.compareTo(INT_MIN) >= 0 && bi.compareTo(INT_MAX) <= 0) {
        return bi.intValue();
      }
      if (bi.compareTo(LONG_MIN) >= 0 && bi.compareTo(LONG_MAX) <= 0) {
        return bi.longValue();
      }
      return bi;
    }
    if (n instanceof BigDecimal bd) {
      // written as plain digits, a scale-0 decimal reads back as an integer
      return bd.scale() == 0 ? normalise(bd.unscaledValue(), path) : bd;
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot represent");
      }
      return n instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
    }
    throw new IllegalArgumentException(
        path
            + " is a "
            + n.getClass().getName()
            + "; only Integer, Long, Short, Byte, BigInteger, BigDecimal, Double and Float are JSON numbers");
  }

  private static @Nullable String numberProblem(Number n) {
    if (n instanceof BigDecimal bd) {
      if (Math.abs((long) bd.scale()) > MAX_SCALE) {
        return "is a number whose exponent is out of range (scale "
            + bd.scale()
            + "; the limit is ±"
            + MAX_SCALE
            + ")";
      }
      if (bd.toString().length() > MAX_NUMBER_LENGTH) {
        return "is a number longer than " + MAX_NUMBER_LENGTH + " characters in canonical form";
      }
    } else if (n instanceof BigInteger bi && bi.toString().length() > MAX_NUMBER_LENGTH) {
      return "is a number longer than " + MAX_NUMBER_LENGTH + " characters";
    }
    return null;
  }

  /**
   * Writes a plain JSON value.
   *
   * @param g the generator
   * @param value the value
   * @throws IOException from the generator
   */
  public static void write(JsonGenerator g, @Nullable Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof BigInteger bi) {
      g.writeNumber(bi);
    } else if (value instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else if (value instanceof Float f) {
      g.writeNumber(f);
    } else if (value instanceof Number n) {
      g.writeNumber(n.longValue());
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      writeFields(g, m);
      g.writeEndObject();
    } else if (value instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /**
   * Writes the entries of an object as fields of the object currently open.
   *
   * @param g the generator
   * @param m the entries
   * @throws IOException from the generator
   */
  public static void writeFields(JsonGenerator g, Map<?, ?> m) throws IOException {
    if (m.isEmpty()) {
      return;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      g.writeFieldName((String) e.getKey());
      write(g, e.getValue());
    }
  }

  /** An immutable, order-keeping JSON object that allows null values. */
  private static final class FrozenObject extends AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> delegate;

    @SuppressWarnings("NonApiType") // a LinkedHashMap on purpose: the order is the JSON document's
    FrozenObject(LinkedHashMap<String, @Nullable Object> delegate) {
      this.delegate = Collections.unmodifiableMap(delegate);
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
      return delegate.entrySet();
    }

    @Override
    public @Nullable Object get(Object key) {
      return delegate.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return delegate.containsKey(key);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }

  /** An immutable JSON array that allows null elements. */
  private static final class FrozenArray extends AbstractList<@Nullable Object>
      implements java.util.RandomAccess {
    private final List<@Nullable Object> delegate;

    FrozenArray(List<@Nullable Object> delegate) {
      this.delegate = delegate;
    }

    @Override
    public @Nullable Object get(int index) {
      return delegate.get(index);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }
}
