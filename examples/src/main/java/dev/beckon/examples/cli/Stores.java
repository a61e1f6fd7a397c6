package dev.beckon.examples.cli;

import dev.beckon.store.ReferenceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens a store from a URI, creating the client the store needs (the CLI owns and closes it).
 *
 * <ul>
 *   <li>{@code jdbc:<driver url>} — e.g. {@code jdbc:sqlite:refs.db},
 *       {@code jdbc:postgresql://127.0.0.1/test?user=postgres}; optional {@code #table=name}</li>
 *   <li>{@code redis://host:port[/keyPrefix]}</li>
 *   <li>{@code azure-table:<connection string>[;Table=name]}</li>
 *   <li>{@code dynamodb:<table>[?endpoint=http://...&region=us-east-1]}</li>
 * </ul>
 */
final class Stores {

  private Stores() {}

  /** An opened store and what must be closed after it. */
  static final class Opened implements AutoCloseable {
    final ReferenceRepository repository;
    final String description;
    private final List<AutoCloseable> resources;

    Opened(ReferenceRepository repository, String description, List<AutoCloseable> resources) {
      this.repository = repository;
      this.description = description;
      this.resources = new ArrayList<>(resources);
    }

    @Override
    public void close() {
      for (AutoCloseable c : resources) {
        try {
          c.close();
        } catch (Exception e) {
          // closing a client we created; nothing to recover
        }
      }
    }
  }

  static Opened open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "--store needs a URI");
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("jdbc:")) {
        return StoreOpeners.jdbc(uri);
      }
      if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
        return StoreOpeners.redis(uri);
      }
      if (lower.startsWith("azure-table:")) {
        return StoreOpeners.azureTable(uri.substring("azure-table:".length()));
      }
      if (lower.startsWith("dynamodb:")) {
        return StoreOpeners.dynamoDb(uri.substring("dynamodb:".length()));
      }
    } catch (BeckonCli.CliFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BeckonCli.CliFailure(BeckonCli.FAILED,
          "cannot open store " + redact(uri) + ": " + BeckonCli.oneLine(e));
    }
    throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "unknown store URI scheme in '" + redact(uri)
        + "': use jdbc:, redis://, azure-table: or dynamodb:");
  }

  /** Hides passwords and account keys in a URI for messages. */
  static String redact(String uri) {
    return uri.replaceAll("(?i)(AccountKey|password|SharedAccessSignature|secret)=[^;&]*", "$1=***")
        .replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
  }
}
