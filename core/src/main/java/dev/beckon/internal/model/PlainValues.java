package dev.beckon.internal.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plain JSON values (String, Boolean, Number, List, Map, null) as the model holds them: deep-frozen
 * copies that keep insertion order and allow JSON nulls. Reading them from a tree is the codecs'
 * job, writing them the JSON writers'; both hold to the rules here.
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
public final class PlainValues {

  /** Longest canonical text of an accepted number, in characters (the parser's limit too). */
  public static final int MAX_NUMBER_LENGTH = 256;

  /** Largest magnitude of an accepted number's scale (its decimal exponent, negated). */
  public static final int MAX_SCALE = 9_999;

  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private PlainValues() {}

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
      copy.put(e.getKey(), freeze(e.getValue(), join(path, e.getKey())));
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
   * Freezes an object whose values are already frozen (a reader built them), without copying or
   * checking again.
   *
   * @param fields the fields, each value a result of {@link #freeze} or of these adopt methods
   * @return the frozen object
   */
  @SuppressWarnings("NonApiType") // a LinkedHashMap on purpose: the order is the JSON document's
  public static Map<String, @Nullable Object> adoptObject(
      LinkedHashMap<String, @Nullable Object> fields) {
    return new FrozenObject(fields);
  }

  /**
   * Freezes an array whose elements are already frozen (a reader built them), without copying or
   * checking again.
   *
   * @param elements the elements, each a result of {@link #freeze} or of these adopt methods
   * @return the frozen array
   */
  public static List<@Nullable Object> adoptList(List<@Nullable Object> elements) {
    return new FrozenArray(elements);
  }

  /**
   * The path of a field: {@code parent.field}, or {@code parent["…"]} (JSON-quoted, at most 100
   * characters shown) for a name that is empty or not plain ASCII, so a path is never blank and
   * never ambiguous.
   *
   * @param parent the path of the object the field is in, empty for the top level
   * @param field the field name
   * @return the path
   */
  public static String join(String parent, String field) {
    if (plain(field)) {
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

  // a loop, not a stream: every field of every reference read passes here
  private static boolean plain(String field) {
    if (field.isEmpty() || field.length() > 100) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      boolean ok =
          c < 128
              && (Character.isLetterOrDigit(c)
                  || c == '_'
                  || c == '$'
                  || c == '@'
                  || c == '-'
                  || c == ':');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The reader's form of a number: Integer, Long, BigInteger, or BigDecimal with a scale.
   *
   * @param n the number
   * @param path where it sits, for error messages
   * @return the same value in the reader's form
   * @throws IllegalArgumentException when it is not finite or not a standard number type
   */
  public static Number normalise(Number n, String path) {
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

  /**
   * What keeps a number (in the reader's form) from being written and read back exactly.
   *
   * @param n the number, as {@link #normalise} gives it
   * @return the problem, or {@code null} when there is none
   */
  public static @Nullable String numberProblem(Number n) {
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
