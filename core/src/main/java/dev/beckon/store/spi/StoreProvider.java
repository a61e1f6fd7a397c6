package dev.beckon.store.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Opens the store a URI names: how a storage module makes itself reachable by tools that name no
 * store, such as the {@code beckon} CLI and the examples ({@code beckon refs list --store
 * redis://127.0.0.1:6379}).
 *
 * <h2>Implementing a provider</h2>
 *
 * <ol>
 *   <li>Write a public class with a public no-argument constructor in the storage module, e.g.
 *       {@code dev.beckon.storage.redis.RedisStoreProvider implements StoreProvider}. It keeps no
 *       state of its own (one instance serves every URI, from any thread).
 *   <li>Register it twice, for the module path and for the class path: {@code provides
 *       dev.beckon.store.spi.StoreProvider with dev.beckon.storage.redis.RedisStoreProvider;} in
 *       the module's {@code module-info.java}, and the class's binary name on one line of {@code
 *       src/main/resources/META-INF/services/dev.beckon.store.spi.StoreProvider}.
 *   <li>Tools find it with {@link java.util.ServiceLoader#load(Class)}: the module's jar on the
 *       path is all a user adds.
 * </ol>
 *
 * <h2>Store URIs</h2>
 *
 * A store URI is {@code <scheme>:<the rest>}; the scheme chooses the provider ({@link #schemes()},
 * compared ignoring case) and the rest is the provider's own syntax: how to reach the server, the
 * table (whatever the store has instead of one, such as a key prefix), and whether to create it.
 * The provider creates the clients it needs from the URI and closes them when the {@link
 * OpenedStore} is closed: this is the one place a store parses configuration and owns clients; the
 * repository itself still takes the client it is given.
 *
 * <h2>Secrets</h2>
 *
 * A URI may carry a password, an account key or a token. The caller hides them before printing
 * anything: the userinfo password ({@code scheme://user:password@host}) and the value of common
 * secret parameters ({@code password=}, {@code AccountKey=}, {@code token=}, {@code
 * SharedAccessSignature=}, ...) always, and the parameters a provider adds in {@link
 * #secretParameters()}. Exceptions this interface throws may therefore quote the URI (the caller
 * redacts their messages); {@link OpenedStore#description()} must not (it is printed as it is).
 *
 * <h2>Errors</h2>
 *
 * Every method raises only {@link IllegalArgumentException} for a URI that is malformed or has an
 * unknown option (nothing was contacted; the message names what is wrong and how to write it), and
 * {@link #open} raises {@link IllegalStateException} or a {@link dev.beckon.store.StoreException}
 * when the store cannot be reached or set up. Methods other than {@link #open} never contact a
 * server.
 */
public interface StoreProvider {

  /**
   * The URI schemes this provider opens, lower case and without the colon, e.g. {@code
   * Set.of("redis", "rediss")}. A scheme is a letter followed by letters, digits, {@code +}, {@code
   * -} or {@code .}; two providers on one path must not share one.
   *
   * @return the schemes, not empty
   */
  Set<String> schemes();

  /**
   * The URI syntax in one line, for help texts and error messages: the scheme, where the server is,
   * the table and its default, the option that creates it, e.g. {@code
   * redis://[user:password@]host:port[/prefix] (rediss:// for TLS; the key prefix is the table,
   * default beckon)}.
   *
   * @return the usage line, without a line break
   */
  String usage();

  /**
   * How a URI of this store asks {@link #open} to create its table when it is missing, as a user
   * writes it, e.g. {@code #create} or {@code &create=true}; empty when the store has no table to
   * create (then {@link #withTable} ignores {@code create}).
   *
   * @return the option, or empty
   */
  Optional<String> createOption();

  /**
   * The URI with a table and table creation given apart from it (the CLI's {@code --table} and
   * {@code --create-table}) written into it in this store's syntax: for a JDBC store {@code
   * withTable("jdbc:sqlite:refs.db", "mine", true)} is {@code
   * jdbc:sqlite:refs.db#table=mine&create}.
   *
   * @param uri a URI of one of {@link #schemes()}
   * @param table the table (whatever the store has instead, such as a key prefix), or {@code null}
   *     to keep the URI's; the caller has checked that it holds no white space and none of {@code #
   *     & ; ? = / \ %}
   * @param create whether the URI should ask for the table to be created when missing
   * @return the URI with both applied ({@code uri} itself when there is nothing to apply)
   * @throws IllegalArgumentException when the URI already names a different table, or says not to
   *     create the table while {@code create} is asked for (the message says to give it once)
   */
  String withTable(String uri, @Nullable String table, boolean create);

  /**
   * What identifies the data a URI reaches, however it is written: two URIs of this provider reach
   * the same data exactly when their identities are equal (defaults filled in, options that do not
   * choose the data such as table creation and credentials dropped, case folded where the store
   * ignores it). Tools use it to refuse copying a store onto itself.
   *
   * @param uri a URI of one of {@link #schemes()}
   * @return the identity (without secrets)
   * @throws IllegalArgumentException when the URI is malformed
   */
  String identity(String uri);

  /**
   * Names of URI parameters whose values are secrets in this store's syntax, beyond the common ones
   * callers always hide (see the class comment): a caller hides {@code name=value} up to the next
   * {@code ;}, {@code &}, quote or white space, the name matched ignoring case.
   *
   * @return the names, empty by default
   */
  default Set<String> secretParameters() {
    return Set.of();
  }

  /**
   * Creates the clients the URI describes and the repository over them, and creates the table first
   * when the URI asks for it ({@link #createOption()}). Nothing is left open when it fails.
   *
   * @param uri a URI of one of {@link #schemes()}
   * @return the store, owning the clients created for it; the caller closes it
   * @throws IllegalArgumentException when the URI is malformed, has an unknown option, or needs a
   *     driver or library that is not on the class path (nothing was contacted)
   * @throws IllegalStateException when the store cannot be reached or its table created (a {@link
   *     dev.beckon.store.StoreException} may also come from the repository itself)
   */
  OpenedStore open(String uri);

  /**
   * Whether this provider opens a URI: whether it starts with one of {@link #schemes()} and a
   * colon, ignoring case.
   *
   * @param uri a store URI
   * @return whether {@link #open} takes it
   */
  default boolean accepts(String uri) {
    int colon = uri.indexOf(':');
    return colon > 0 && schemes().contains(uri.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /**
   * Parses the URI that names a store's server, with the errors every provider words alike: a
   * syntax error names its index (never the URI, which may hold a password), a host is required,
   * and a port must be 1..65535.
   *
   * @param text the URI as the user gave it
   * @param what what it is, for messages, e.g. {@code "redis URI"}
   * @param example a valid example, e.g. {@code "redis://127.0.0.1:6379/prefix"}
   * @return the parsed URI, with a host
   * @throws IllegalArgumentException naming what is wrong
   */
  static URI serverUri(String text, String what, String example) {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          what
              + " is not valid: "
              + e.getReason()
              + " at index "
              + e.getIndex()
              + " (characters such as spaces or ^ must be %-encoded)");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException(what + " needs a host, e.g. " + example);
    }
    if (u.getPort() >= 0 && (u.getPort() < 1 || u.getPort() > 65_535)) {
      throw new IllegalArgumentException(
          "the port of " + what + " must be 1..65535, not " + u.getPort());
    }
    return u;
  }

  /**
   * {@link #serverUri} for a server whose credentials never come from the URI (a cloud SDK's
   * credential chain, say): a URI with userinfo ({@code user:password@}) is refused, so that a
   * secret given there is neither used nor kept.
   *
   * @param text the URI as the user gave it
   * @param what what it is, for messages, e.g. {@code "dynamodb endpoint"}
   * @param example a valid example, e.g. {@code "http://127.0.0.1:4567"}
   * @param credentials where the credentials come from instead, e.g. {@code "the AWS default
   *     chain"}
   * @return the parsed URI, with a host and without userinfo
   * @throws IllegalArgumentException naming what is wrong
   */
  static URI endpointUri(String text, String what, String example, String credentials) {
    URI u = serverUri(text, what, example);
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " must not carry credentials (user:password@): they come from "
              + credentials);
    }
    return u;
  }

  /**
   * Runs what needs a library that the store module declares optional (a connection pool, an HTTP
   * client), and words its absence alike for every store.
   *
   * @param <T> what it makes
   * @param scheme the URI scheme, e.g. {@code jdbc}
   * @param library the library's name and coordinates, e.g. {@code HikariCP (com.zaxxer:HikariCP)}
   * @param use the code that loads the library (in a class of its own, so that the provider loads
   *     without it)
   * @return what {@code use} made
   * @throws IllegalArgumentException when the library is not on the class path
   */
  static <T> T withOptionalLibrary(String scheme, String library, Supplier<T> use) {
    try {
      return use.get();
    } catch (NoClassDefFoundError e) {
      throw new IllegalArgumentException(
          scheme + ": store URIs need " + library + " on the class path", e);
    }
  }

  /**
   * The exception for a client that cannot be created or cannot connect while {@link #open} opens a
   * store, worded alike for every store: {@code cannot connect: } and the first line of the
   * client's message (a connection pool, say, prints its configuration on the lines after it).
   *
   * @param cause what the client raised
   * @return the exception for {@link #open} to throw
   */
  static IllegalStateException cannotConnect(RuntimeException cause) {
    String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    int nl = m.indexOf('\n');
    return new IllegalStateException("cannot connect: " + (nl < 0 ? m : m.substring(0, nl)), cause);
  }
}
