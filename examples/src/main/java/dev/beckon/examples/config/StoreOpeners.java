package dev.beckon.examples.config;

/** Creates the client and repository for each store URI scheme (see {@link ConfiguredStore}). */
final class StoreOpeners {

  private StoreOpeners() {}

  /**
   * {@code jdbc:<driver url>[#table=name][#create]} — any JDBC URL whose driver is on the class
   * path (SQLite, H2, PostgreSQL, MariaDB ship with the CLI). {@code #create} runs
   * {@code createSchema()} first.
   */
  static ConfiguredStore jdbc(String uri) {
    String url = uri;
    String table = null;
    boolean create = false;
    int hash = uri.indexOf('#');
    if (hash >= 0) {
      url = uri.substring(0, hash);
      for (String part : uri.substring(hash + 1).split("#")) {
        if (part.startsWith("table=")) {
          table = part.substring("table=".length());
        } else if (part.equals("create")) {
          create = true;
        } else if (!part.isEmpty()) {
          throw new IllegalArgumentException("unknown jdbc: option '#" + part + "' (use #table=name or #create)");
        }
      }
    }
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(10_000);
    config.setPoolName("beckon-cli");
    com.zaxxer.hikari.HikariDataSource ds;
    try {
      ds = new com.zaxxer.hikari.HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot connect to " + ConfiguredStore.redact(url) + ": " + ConfiguredStore.firstLine(e), e);
    }
    try {
      dev.beckon.storage.jdbc.JdbcReferenceRepository.Builder b = dev.beckon.storage.jdbc.JdbcReferenceRepository.builder(ds);
      if (table != null) {
        b.tableName(table);
      }
      dev.beckon.storage.jdbc.JdbcReferenceRepository repo = b.build();
      if (create) {
        repo.createSchema();
      }
      return new ConfiguredStore(repo, "jdbc " + ConfiguredStore.redact(url), java.util.List.of(ds));
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /** {@code redis://[user:password@]host:port[/keyPrefix]} (or {@code rediss://} for TLS). */
  static ConfiguredStore redis(String uri) {
    java.net.URI u = java.net.URI.create(uri);
    String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    String prefix = path.isEmpty() ? "beckon" : path;
    java.net.URI server = java.net.URI.create(u.getScheme() + "://" + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
        + u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort()));
    redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.create(server);
    try {
      dev.beckon.storage.redis.RedisReferenceRepository repo =
          dev.beckon.storage.redis.RedisReferenceRepository.builder(client).keyPrefix(prefix).build();
      return new ConfiguredStore(repo, "redis " + u.getHost() + " prefix " + prefix, java.util.List.of(client));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** {@code azure-table:<connection string>[;Table=name][;Create=true]} (default table {@code beckonreferences}). */
  static ConfiguredStore azureTable(String connection) {
    String table = "beckonreferences";
    boolean create = false;
    StringBuilder cs = new StringBuilder();
    for (String part : connection.split(";")) {
      if (part.regionMatches(true, 0, "Table=", 0, 6)) {
        table = part.substring(6);
      } else if (part.equalsIgnoreCase("Create=true")) {
        create = true;
      } else if (!part.isBlank()) {
        cs.append(part).append(';');
      }
    }
    com.azure.data.tables.TableClient client = new com.azure.data.tables.TableClientBuilder()
        .connectionString(cs.toString()).tableName(table)
        .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build()).buildClient();
    dev.beckon.storage.azuretable.AzureTableReferenceRepository repo =
        dev.beckon.storage.azuretable.AzureTableReferenceRepository.builder(client).build();
    if (create) {
      repo.createTable();
    }
    return new ConfiguredStore(repo, "azure table " + table, java.util.List.of());
  }

  /**
   * {@code dynamodb:<table>[?region=us-east-1&endpoint=http://127.0.0.1:4567]}. Credentials come
   * from the AWS default chain, except for a loopback endpoint (dynalite), which gets static
   * local credentials.
   */
  static ConfiguredStore dynamoDb(String spec) {
    int q = spec.indexOf('?');
    String table = q < 0 ? spec : spec.substring(0, q);
    java.util.Map<String, String> params = query(q < 0 ? "" : spec.substring(q + 1));
    if (table.isBlank()) {
      throw new IllegalArgumentException("dynamodb: needs a table name, e.g. dynamodb:beckon_references?region=eu-west-1");
    }
    String region = params.getOrDefault("region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
    software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder b =
        software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
            .region(software.amazon.awssdk.regions.Region.of(region))
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofSeconds(5))
                .socketTimeout(java.time.Duration.ofSeconds(30)).build());
    String endpoint = params.get("endpoint");
    if (endpoint != null) {
      java.net.URI uri = java.net.URI.create(endpoint);
      b.endpointOverride(uri);
      if (isLoopback(uri.getHost())) {
        b.credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")));
      }
    }
    software.amazon.awssdk.services.dynamodb.DynamoDbClient client = b.build();
    dev.beckon.storage.dynamodb.DynamoDbReferenceRepository repo =
        dev.beckon.storage.dynamodb.DynamoDbReferenceRepository.builder(client).tableName(table).build();
    if ("true".equals(params.get("create"))) {
      repo.createTable();
    }
    return new ConfiguredStore(repo, "dynamodb table " + table, java.util.List.of(client));
  }

  static boolean isLoopback(String host) {
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
  }

  static java.util.Map<String, String> query(String q) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String part : q.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
