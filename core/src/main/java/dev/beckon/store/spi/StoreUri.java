package dev.beckon.store.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A store URI split into its base and its options, for {@link StoreProvider}s: one parser, one set
 * of error messages and one way to add a table or table creation, whatever the store's syntax. A
 * URI is {@code <base><start><option><separator><option>...}, an option {@code name} or {@code
 * name=value}:
 *
 * <pre>{@code
 * // jdbc:sqlite:refs.db#table=mine&create
 * StoreUri u = StoreUri.parse(uri, new StoreUri.Syntax("#", "&", "[#&]", false, false));
 * u.base();             // "jdbc:sqlite:refs.db"
 * u.get("table");       // "mine"
 * u.flag("create");     // true
 * }</pre>
 *
 * Immutable and thread-safe. Methods raise {@link IllegalArgumentException} with messages that name
 * the store's scheme and may quote the URI's options (callers redact secrets).
 */
public final class StoreUri {

  /**
   * How a store writes its options.
   *
   * @param start what ends the base and starts the options (its first occurrence), e.g. {@code #}
   * @param separator what {@link #with} writes between two options, e.g. {@code &}
   * @param split a regular expression of what separates options when reading, e.g. {@code [#&]}
   * @param ignoreCase whether option names are compared ignoring case
   * @param decode whether names and values are %-decoded ({@code
   *     application/x-www-form-urlencoded})
   */
  public record Syntax(
      String start, String separator, String split, boolean ignoreCase, boolean decode) {}

  private final String uri;
  private final String base;
  private final Syntax syntax;
  private final List<String[]> options; // {name, value ("" when bare), the option as written}

  private StoreUri(String uri, Syntax syntax) {
    this.uri = uri;
    this.syntax = syntax;
    int at = uri.indexOf(syntax.start());
    this.base = at < 0 ? uri : uri.substring(0, at);
    this.options = new ArrayList<>();
    if (at >= 0) {
      for (String part : uri.substring(at + syntax.start().length()).split(syntax.split(), -1)) {
        if (!part.isBlank()) {
          int eq = part.indexOf('=');
          String name = decode(eq < 0 ? part : part.substring(0, eq)).strip();
          options.add(new String[] {name, eq < 0 ? "" : decode(part.substring(eq + 1)), part});
        }
      }
    }
  }

  /**
   * Splits a URI.
   *
   * @param uri the store URI
   * @param syntax how the store writes its options
   * @return the parts
   * @throws IllegalArgumentException when {@code decode} is on and an option is not %-encoded
   */
  public static StoreUri parse(String uri, Syntax syntax) {
    return new StoreUri(uri, syntax);
  }

  /**
   * The URI up to its options, e.g. {@code jdbc:sqlite:refs.db}.
   *
   * @return the base
   */
  public String base() {
    return base;
  }

  /**
   * The value of an option (the last one of that name).
   *
   * @param name the option's name
   * @return its value, {@code ""} for a bare name, or {@code null} when the URI has no such option
   */
  public @Nullable String get(String name) {
    String value = null;
    for (String[] o : options) {
      value = named(o, name) ? o[1] : value;
    }
    return value;
  }

  /**
   * Whether an option is on: given bare ({@code #create}) or as {@code =true}.
   *
   * @param name the option's name
   * @return whether it is on
   */
  public boolean flag(String name) {
    String v = get(name);
    return v != null && (v.isEmpty() || v.equalsIgnoreCase("true"));
  }

  /**
   * Refuses options a store does not know.
   *
   * @param known the names the store takes
   * @param hint how to write them, for the message, e.g. {@code use #table=name and/or #create}
   * @return this
   * @throws IllegalArgumentException naming the first unknown option and the hint
   */
  public StoreUri requireOnly(Set<String> known, String hint) {
    for (String[] o : options) {
      if (known.stream().noneMatch(k -> named(o, k))) {
        throw new IllegalArgumentException(
            "unknown " + scheme() + ": option '" + o[0] + "' (" + hint + ")");
      }
    }
    return this;
  }

  /**
   * The options as written, but those named, each followed by the separator: what a store passes on
   * to its client (an Azure connection string, say).
   *
   * @param excluded the names to leave out
   * @return the other options, e.g. {@code AccountName=a;AccountKey=k;}
   */
  public String others(Set<String> excluded) {
    StringBuilder out = new StringBuilder();
    for (String[] o : options) {
      if (excluded.stream().noneMatch(k -> named(o, k))) {
        out.append(o[2]).append(syntax.separator());
      }
    }
    return out.toString();
  }

  /**
   * What identifies the data, from the options: their names (lower case when case is ignored) and
   * values, sorted, those named left out (credentials, table creation).
   *
   * @param excluded the names to leave out
   * @return the sorted options
   */
  public SortedMap<String, String> identity(Set<String> excluded) {
    SortedMap<String, String> out = new TreeMap<>();
    for (String[] o : options) {
      if (excluded.stream().noneMatch(k -> named(o, k))) {
        out.put(syntax.ignoreCase() ? o[0].toLowerCase(Locale.ROOT) : o[0], o[1].strip());
      }
    }
    return out;
  }

  /**
   * The URI with a table option, as {@link StoreProvider#withTable} wants it: unchanged when {@code
   * table} is {@code null} or already named.
   *
   * @param table the table, or {@code null}
   * @param name the option's name, e.g. {@code table}
   * @return the URI
   * @throws IllegalArgumentException when the URI names another table
   */
  public StoreUri withTable(@Nullable String table, String name) {
    String named = get(name);
    requireSameTable(table, named, name + "=" + named);
    return table == null || named != null ? this : with(name + "=" + table);
  }

  /**
   * The URI asking for its table to be created, as {@link StoreProvider#withTable} wants it.
   *
   * @param create whether to ask for it
   * @param option the option as this store writes it, e.g. {@code create} or {@code Create=true}
   * @return the URI
   * @throws IllegalArgumentException when the URI says not to create it
   */
  public StoreUri withCreate(boolean create, String option) {
    String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
    String said = get(name);
    if (!create || flag(name)) {
      return this;
    }
    if (said != null) {
      throw new IllegalArgumentException(
          "--create-table: the store URI says " + name + "=" + said + "; give one or the other");
    }
    return with(option);
  }

  /**
   * The URI with one more option, written after the others.
   *
   * @param option the option as written, e.g. {@code create}
   * @return the URI
   */
  public StoreUri with(String option) {
    boolean open = uri.endsWith(syntax.start()) || uri.endsWith(syntax.separator());
    String sep = !uri.contains(syntax.start()) ? syntax.start() : open ? "" : syntax.separator();
    return new StoreUri(uri + sep + option, syntax);
  }

  /**
   * The URI with another base and the same options.
   *
   * @param value the new base
   * @return the URI
   */
  public StoreUri withBase(String value) {
    return new StoreUri(value + uri.substring(base.length()), syntax);
  }

  /**
   * A server URI with a table given apart written as its path, for {@link StoreProvider#withTable}
   * of a store whose URI names its table there ({@code redis://host:port/prefix}): unchanged when
   * {@code table} is {@code null}, when the URI names it already, or when the URI has no {@code
   * ://} (opening it says what is wrong).
   *
   * @param uri the URI, e.g. {@code redis://127.0.0.1:6379?timeout=5}
   * @param table the table, or {@code null}
   * @param what how the URI names its table, for the message, e.g. {@code its key prefix}
   * @return the URI, e.g. {@code redis://127.0.0.1:6379/mine?timeout=5}
   * @throws IllegalArgumentException when the URI's path names another table
   */
  public static String withPathTable(String uri, @Nullable String table, String what) {
    int end = uri.indexOf("://") + 3;
    if (table == null || end < 3) {
      return uri;
    }
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    int stop = end;
    while (stop < uri.length() && "?#".indexOf(uri.charAt(stop)) < 0) {
      stop++;
    }
    String named = uri.substring(end, stop).replaceFirst("^/", "");
    requireSameTable(table, named, what + " /" + named);
    return named.isEmpty() ? uri.substring(0, end) + "/" + table + uri.substring(stop) : uri;
  }

  /**
   * Refuses a table given apart from the URI when the URI names another one.
   *
   * @param table the table given apart, or {@code null}
   * @param named the table the URI names, or {@code null} (or empty) when it names none
   * @param written how the URI names it, for the message, e.g. {@code #table=a}
   * @throws IllegalArgumentException saying to give the table once
   */
  public static void requireSameTable(
      @Nullable String table, @Nullable String named, String written) {
    if (table != null && named != null && !named.isEmpty() && !named.equals(table)) {
      throw new IllegalArgumentException(
          "table "
              + table
              + " conflicts with the table the store URI names ("
              + written
              + "); give the table once");
    }
  }

  /**
   * The URI as written, with what was added.
   *
   * @return the URI
   */
  @Override
  public String toString() {
    return uri;
  }

  private boolean named(String[] option, String name) {
    return syntax.ignoreCase() ? option[0].equalsIgnoreCase(name) : option[0].equals(name);
  }

  private String scheme() {
    int colon = uri.indexOf(':');
    return colon < 0 ? uri : uri.substring(0, colon);
  }

  private String decode(String s) {
    if (!syntax.decode()) {
      return s;
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          scheme() + ": an option is not %-encoded correctly: " + e.getMessage(), e);
    }
  }
}
