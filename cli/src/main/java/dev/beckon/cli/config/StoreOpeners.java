package dev.beckon.cli.config;

/** Creates the client and repository for each store URI scheme (see {@link ConfiguredStore}). */
final class StoreOpeners {

  private StoreOpeners() {}

  /**
   * {@code jdbc:<driver url>[#table=name][#create]} — any JDBC URL whose driver is on the class
   * path (SQLite, H2, PostgreSQL, MariaDB ship with the CLI). {@code #create} runs {@code
   * createSchema()} first. Userinfo ({@code jdbc:mariadb://user:password@host/db}) is passed to the
   * driver as its user and password, out of the URL. The options combine with {@code #} or {@code
   * &}: {@code #table=x#create} and {@code #table=x&create} are the same.
   */
  static ConfiguredStore jdbc(String uri) {
    JdbcUri parsed = JdbcUri.parse(uri);
    String url = parsed.url();
    String table = parsed.table();
    boolean create = parsed.create();
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(url);
    if (parsed.user() != null) {
      config.setUsername(parsed.user());
      config.setPassword(parsed.password());
    }
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(10_000);
    config.setPoolName("beckon-cli");
    com.zaxxer.hikari.HikariDataSource ds;
    try {
      ds = new com.zaxxer.hikari.HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot connect: " + ConfiguredStore.firstLine(e), e);
    }
    try {
      dev.beckon.storage.jdbc.JdbcReferenceRepository.Builder b =
          dev.beckon.storage.jdbc.JdbcReferenceRepository.builder(ds);
      if (table != null) {
        b.tableName(table);
      }
      dev.beckon.storage.jdbc.JdbcReferenceRepository repo = b.build();
      if (create) {
        repo.createSchema();
      }
      return new ConfiguredStore(
          repo, "jdbc " + ConfiguredStore.redact(url), java.util.List.of(ds));
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /** {@code redis://[user:password@]host:port[/keyPrefix]} (or {@code rediss://} for TLS). */
  static ConfiguredStore redis(String uri) {
    java.net.URI u = uri(uri, "redis URI");
    String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    String prefix = path.isEmpty() ? "beckon" : path;
    java.net.URI server =
        java.net.URI.create(
            u.getScheme()
                + "://"
                + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
                + u.getHost()
                + ":"
                + (u.getPort() < 0 ? 6379 : u.getPort()));
    redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.create(server);
    try {
      dev.beckon.storage.redis.RedisReferenceRepository repo =
          dev.beckon.storage.redis.RedisReferenceRepository.builder(client)
              .keyPrefix(prefix)
              .build();
      return new ConfiguredStore(
          repo, "redis " + u.getHost() + " prefix " + prefix, java.util.List.of(client));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * {@code azure-table:<connection string>[;Table=name][;Create=true]} (default table {@code
   * beckonreferences}).
   */
  static ConfiguredStore azureTable(String connection) {
    String table = "beckonreferences";
    boolean create = false;
    StringBuilder cs = new StringBuilder();
    for (String part : connection.split(";", -1)) {
      if (part.regionMatches(true, 0, "Table=", 0, 6)) {
        table = part.substring(6);
      } else if (part.equalsIgnoreCase("Create=true")) {
        create = true;
      } else if (!part.isBlank()) {
        cs.append(part).append(';');
      }
    }
    com.azure.data.tables.TableClient client =
        new com.azure.data.tables.TableClientBuilder()
            .connectionString(cs.toString())
            .tableName(table)
            .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build())
            .buildClient();
    dev.beckon.storage.azuretable.AzureTableReferenceRepository repo =
        dev.beckon.storage.azuretable.AzureTableReferenceRepository.builder(client).build();
    if (create) {
      repo.createTable();
    }
    return new ConfiguredStore(repo, "azure table " + table, java.util.List.of());
  }

  /**
   * {@code dynamodb:<table>[?region=us-east-1&endpoint=http://127.0.0.1:4567]}. Credentials come
   * from the AWS default chain, except for a loopback endpoint (dynalite), which gets static local
   * credentials.
   */
  static ConfiguredStore dynamoDb(String spec) {
    int q = spec.indexOf('?');
    String table = q < 0 ? spec : spec.substring(0, q);
    java.util.Map<String, String> params = query(q < 0 ? "" : spec.substring(q + 1));
    for (String name : params.keySet()) {
      if (!java.util.Set.of("region", "endpoint", "create").contains(name)) {
        throw new IllegalArgumentException(
            "unknown dynamodb: parameter '"
                + name
                + "' (use region, endpoint and create=true; credentials come from the AWS default chain)");
      }
    }
    if (table.isBlank()) {
      throw new IllegalArgumentException(
          "dynamodb: needs a table name, e.g. dynamodb:beckon_references?region=eu-west-1");
    }
    String region =
        params.getOrDefault("region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
    software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder b =
        software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
            .region(software.amazon.awssdk.regions.Region.of(region))
            .httpClient(
                software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                    .connectionTimeout(java.time.Duration.ofSeconds(5))
                    .socketTimeout(java.time.Duration.ofSeconds(30))
                    .build());
    String endpoint = params.get("endpoint");
    if (endpoint != null) {
      java.net.URI uri = uri(endpoint, "dynamodb endpoint");
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "the dynamodb endpoint must not carry credentials (user:password@): "
                + "they come from the AWS default chain");
      }
      b.endpointOverride(uri);
      if (isLoopback(uri.getHost())) {
        b.credentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    "local", "local")));
      }
    }
    software.amazon.awssdk.services.dynamodb.DynamoDbClient client = b.build();
    dev.beckon.storage.dynamodb.DynamoDbReferenceRepository repo =
        dev.beckon.storage.dynamodb.DynamoDbReferenceRepository.builder(client)
            .tableName(table)
            .build();
    if ("true".equals(params.get("create"))) {
      repo.createTable();
    }
    return new ConfiguredStore(repo, "dynamodb table " + table, java.util.List.of(client));
  }

  /**
   * Characters a table name given apart from the URI may not hold: they would change the URI's
   * syntax.
   */
  private static final java.util.regex.Pattern TABLE_NAME =
      java.util.regex.Pattern.compile("[^\\s#&;?=/\\\\%]+");

  /**
   * The store URI with a table and table creation given apart from it ({@code --table}, {@code
   * --create-table}) written into it, in the URI's own syntax: {@code #table=} and {@code #create}
   * for {@code jdbc:}, the key prefix path for {@code redis://} (which has no table to create),
   * {@code ;Table=} and {@code ;Create=true} for {@code azure-table:}, the table and {@code
   * create=true} for {@code dynamodb:}.
   *
   * @throws IllegalArgumentException when the URI already names another table, says {@code
   *     create=false}, or the name holds a character of the URI syntax
   */
  static String withTable(
      String uri, @org.jspecify.annotations.Nullable String table, boolean create) {
    if (table == null && !create) {
      return uri;
    }
    if (table != null && !TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "'" + table + "' is not a table name (no spaces and none of # & ; ? = / \\ %)");
    }
    String lower = uri.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("jdbc:")) {
      int hash = uri.indexOf('#');
      String base = hash < 0 ? uri : uri.substring(0, hash);
      java.util.List<String> parts = new java.util.ArrayList<>();
      String named = null;
      boolean creates = false;
      for (String part : hash < 0 ? new String[0] : uri.substring(hash + 1).split("[#&]")) {
        if (part.isEmpty()) {
          continue;
        }
        parts.add(part);
        named = part.startsWith("table=") ? part.substring("table=".length()) : named;
        creates |= part.equals("create") || part.equals("create=true");
      }
      if (table != null && named == null) {
        parts.add("table=" + table);
      }
      if (create && !creates) {
        parts.add("create");
      }
      conflict(named, table, "#table=");
      return base + (parts.isEmpty() ? "" : "#" + String.join("&", parts));
    }
    if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
      int start = uri.indexOf("://") + 3;
      int end = start;
      while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
        end++;
      }
      String rest = uri.substring(end);
      int stop = 0;
      while (stop < rest.length() && "?#".indexOf(rest.charAt(stop)) < 0) {
        stop++;
      }
      String prefix = rest.substring(0, stop).replaceFirst("^/", "");
      if (table == null || !prefix.isEmpty()) {
        conflict(prefix.isEmpty() ? null : prefix, table, "its key prefix /");
        return uri; // --create-table: Redis has no table to create
      }
      return uri.substring(0, end) + "/" + table + rest.substring(stop);
    }
    if (lower.startsWith("azure-table:")) {
      String named = null;
      boolean creates = false;
      for (String part : uri.substring("azure-table:".length()).split(";", -1)) {
        if (part.regionMatches(true, 0, "Table=", 0, 6)) {
          named = part.substring(6);
        } else if (part.regionMatches(true, 0, "Create=", 0, 7)) {
          creates = true;
          if (create && !part.equalsIgnoreCase("Create=true")) {
            throw new IllegalArgumentException(
                "--create-table: the store URI says " + part.strip() + "; give one or the other");
          }
        }
      }
      conflict(named, table, ";Table=");
      StringBuilder out = new StringBuilder(uri);
      String sep = uri.endsWith(";") || uri.endsWith(":") ? "" : ";";
      if (table != null && named == null) {
        out.append(sep).append("Table=").append(table);
        sep = ";";
      }
      if (create && !creates) {
        out.append(sep).append("Create=true");
      }
      return out.toString();
    }
    if (lower.startsWith("dynamodb:")) {
      String spec = uri.substring("dynamodb:".length());
      int q = spec.indexOf('?');
      String named = q < 0 ? spec : spec.substring(0, q);
      String query = q < 0 ? "" : spec.substring(q + 1);
      conflict(named.isEmpty() ? null : named, table, "dynamodb:");
      String createParam = query(query).get("create");
      if (create && createParam != null && !createParam.equals("true")) {
        throw new IllegalArgumentException(
            "--create-table: the store URI says create=" + createParam + "; give one or the other");
      }
      if (create && createParam == null) {
        query = query.isEmpty() ? "create=true" : query + "&create=true";
      }
      return "dynamodb:"
          + (named.isEmpty() && table != null ? table : named)
          + (query.isEmpty() ? "" : "?" + query);
    }
    return uri; // an unknown scheme: ConfiguredStore.open says so
  }

  private static void conflict(
      @org.jspecify.annotations.Nullable String named,
      @org.jspecify.annotations.Nullable String table,
      String syntax) {
    if (named != null && table != null && !named.equals(table)) {
      throw new IllegalArgumentException(
          "table "
              + table
              + " conflicts with the table the store URI names ("
              + syntax
              + named
              + "); give the table once");
    }
  }

  /** A {@code jdbc:} store URI split into the driver URL and Beckon's options. */
  record JdbcUri(
      String url,
      @org.jspecify.annotations.Nullable String user,
      @org.jspecify.annotations.Nullable String password,
      @org.jspecify.annotations.Nullable String table,
      boolean create) {

    /**
     * {@code jdbc:driver://user:password@}: most drivers do not take userinfo, so it becomes the
     * pool's user and password.
     */
    private static final java.util.regex.Pattern USERINFO =
        java.util.regex.Pattern.compile("^(jdbc:[^/]*//)([^/@?;]*)@");

    /** {@code //host:port}, the authority most JDBC URLs share (userinfo skipped). */
    private static final java.util.regex.Pattern AUTHORITY_PORT =
        java.util.regex.Pattern.compile("//(?:[^/@?;]*@)?(\\[[^\\]]*\\]|[^:/?;,\\[]*):(\\d+)");

    static JdbcUri parse(String uri) {
      String url = uri;
      String table = null;
      boolean create = false;
      int hash = uri.indexOf('#');
      if (hash >= 0) {
        url = uri.substring(0, hash);
        for (String part : uri.substring(hash + 1).split("[#&]", -1)) {
          if (part.startsWith("table=")) {
            table = part.substring("table=".length());
          } else if (part.equals("create") || part.equals("create=true")) {
            create = true;
          } else if (!part.isEmpty()) {
            throw new IllegalArgumentException(
                "unknown jdbc: option '#"
                    + part
                    + "' (use #table=name and/or #create, combined as #table=name&create)");
          }
        }
      }
      if (url.length() <= "jdbc:".length() || url.charAt("jdbc:".length()) == ':') {
        throw new IllegalArgumentException(
            "'"
                + url
                + "' names no JDBC driver: write jdbc:<driver>:..., "
                + "e.g. jdbc:sqlite:refs.db or jdbc:postgresql://127.0.0.1:5432/db?user=...");
      }
      String user = null;
      String password = null;
      java.util.regex.Matcher u = USERINFO.matcher(url);
      if (u.find()) {
        String info = u.group(2);
        int colon = info.indexOf(':');
        user = decode(colon < 0 ? info : info.substring(0, colon));
        password = colon < 0 ? null : decode(info.substring(colon + 1));
        url = u.group(1) + url.substring(u.end());
      }
      java.util.regex.Matcher m = AUTHORITY_PORT.matcher(url);
      if (m.find()) {
        port(m.group(2), "the port in " + url);
      }
      try {
        java.sql.DriverManager.getDriver(url);
      } catch (java.sql.SQLException e) {
        throw new IllegalArgumentException(
            "no JDBC driver on the class path accepts "
                + url
                + " (the CLI ships sqlite, h2, postgresql and mariadb; check the driver name and the URL's syntax)");
      }
      return new JdbcUri(url, user, password, table, create);
    }

    private static String decode(String s) {
      try {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return s;
      }
    }
  }

  /**
   * A port number, checked.
   *
   * @throws IllegalArgumentException when it is not 1..65535
   */
  static int port(String text, String what) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(what + " must be 1..65535, not " + text);
    }
    return port;
  }

  /** A URI, parsed, its syntax error an {@link IllegalArgumentException} naming the option. */
  static java.net.URI uri(String text, String what) {
    try {
      java.net.URI u = new java.net.URI(text);
      if (u.getHost() == null) {
        throw new IllegalArgumentException(
            what
                + " needs a host, e.g. "
                + (what.startsWith("redis")
                    ? "redis://127.0.0.1:6379/prefix"
                    : "http://127.0.0.1:4567"));
      }
      if (u.getPort() >= 0) {
        port(Integer.toString(u.getPort()), "the port of " + what);
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          what
              + " is not valid: "
              + e.getReason()
              + " at index "
              + e.getIndex()
              + " (characters such as spaces or ^ must be %-encoded)");
    }
  }

  /**
   * What identifies the store a URI names, whatever way it is written: equal for two URIs that
   * reach the same data (defaults filled in, options that do not choose the data dropped, case
   * folded where the backend ignores it; credentials dropped).
   */
  static String identity(String uri) {
    String lower = uri.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("jdbc:")) {
      JdbcUri j = JdbcUri.parse(uri);
      String url = j.url();
      if (url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12) && !url.contains("memory")) {
        String file = url.substring(12);
        int q = file.indexOf('?');
        file = q < 0 ? file : file.substring(0, q);
        url =
            "jdbc:sqlite:"
                + java.nio.file.Path.of(file.startsWith("file:") ? file.substring(5) : file)
                    .toAbsolutePath()
                    .normalize();
      }
      return url
          + "#table="
          + (j.table() == null
              ? dev.beckon.storage.jdbc.JdbcReferenceRepository.DEFAULT_TABLE_NAME
              : j.table());
    }
    if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
      java.net.URI u = uri(uri, "redis URI");
      String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
      return u.getScheme().toLowerCase(java.util.Locale.ROOT)
          + "://"
          + u.getHost().toLowerCase(java.util.Locale.ROOT)
          + ":"
          + (u.getPort() < 0 ? 6379 : u.getPort())
          + "/"
          + (path.isEmpty() ? "beckon" : path);
    }
    if (lower.startsWith("azure-table:")) {
      java.util.TreeMap<String, String> parts = new java.util.TreeMap<>();
      parts.put("table", "beckonreferences");
      for (String part : uri.substring("azure-table:".length()).split(";", -1)) {
        int eq = part.indexOf('=');
        String k =
            (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(java.util.Locale.ROOT);
        if (!k.isEmpty()
            && !k.equals("create")
            && !k.equals("accountkey")
            && !k.equals("sharedaccesssignature")) {
          parts.put(k, eq < 0 ? "" : part.substring(eq + 1).strip());
        }
      }
      return "azure-table:" + parts;
    }
    if (lower.startsWith("dynamodb:")) {
      String spec = uri.substring("dynamodb:".length());
      int q = spec.indexOf('?');
      java.util.Map<String, String> params =
          new java.util.TreeMap<>(query(q < 0 ? "" : spec.substring(q + 1)));
      params.remove("create");
      params.putIfAbsent("region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
      return "dynamodb:" + (q < 0 ? spec : spec.substring(0, q)) + params;
    }
    return uri;
  }

  static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost")
            || host.startsWith("127.")
            || host.equals("[::1]")
            || host.equals("::1"));
  }

  static java.util.Map<String, String> query(String q) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String part : q.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k =
          java.net.URLDecoder.decode(
              eq < 0 ? part : part.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
      String v =
          eq < 0
              ? ""
              : java.net.URLDecoder.decode(
                  part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
