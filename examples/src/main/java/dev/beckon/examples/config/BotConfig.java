package dev.beckon.examples.config;

import dev.beckon.cli.config.ConfiguredStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an example bot runs, read from environment variables so that the same bot runs against the
 * Bot Framework Emulator on a laptop and against a real channel with a cloud store, without a code
 * change.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code BECKON_STORE}</td><td>the store URI ({@link ConfiguredStore})</td>
 *       <td>{@code jdbc:sqlite:beckon-examples.db#create}</td></tr>
 *   <tr><td>{@code BECKON_PORT}</td><td>port of {@code /api/messages} (0: any free port)</td>
 *       <td>{@code 3978}, the Emulator's default</td></tr>
 *   <tr><td>{@code BECKON_BIND}</td><td>address to listen on</td><td>{@code 127.0.0.1}</td></tr>
 *   <tr><td>{@code MICROSOFT_APP_ID}, {@code MICROSOFT_APP_PASSWORD}</td>
 *       <td>the bot's credentials; both unset = anonymous mode (the Emulator with an empty App
 *       ID: no inbound token check, no outbound token, loopback service URLs only)</td>
 *       <td>unset</td></tr>
 *   <tr><td>{@code MICROSOFT_APP_TENANT_ID}</td><td>single-tenant bots: the app's tenant</td>
 *       <td>unset</td></tr>
 *   <tr><td>{@code BECKON_TRUSTED_HOSTS}</td><td>extra service URL hosts trusted with the
 *       token, comma-separated</td><td>none</td></tr>
 * </table>
 *
 * @param store the store URI
 * @param bindAddress the address to listen on
 * @param port the port (0: any free port)
 * @param appId the Microsoft app id, or {@code null} for anonymous mode
 * @param appPassword the app password, or {@code null} (never printed by {@link #toString()})
 * @param tenantId the app's tenant for single-tenant bots, or {@code null}
 * @param trustedHosts extra hosts trusted with the token
 */
public record BotConfig(
    String store,
    String bindAddress,
    int port,
    @Nullable String appId,
    @Nullable String appPassword,
    @Nullable String tenantId,
    List<String> trustedHosts) {

  /** The store used when {@code BECKON_STORE} is unset: an SQLite file in the working directory. */
  public static final String DEFAULT_STORE = "jdbc:sqlite:beckon-examples.db#create";

  /** The Emulator's default bot port. */
  public static final int DEFAULT_PORT = 3978;

  /**
   * Validates: a port in range, app id and password given together.
   *
   * @param store the store URI
   * @param bindAddress the address to listen on
   * @param port the port (0: any free port)
   * @param appId the Microsoft app id, or {@code null} for anonymous mode
   * @param appPassword the app password, or {@code null} (never printed by {@link #toString()})
   * @param tenantId the app's tenant for single-tenant bots, or {@code null}
   * @param trustedHosts extra hosts trusted with the token
   */
  public BotConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("BECKON_PORT must be between 0 and 65535, not " + port);
    }
    if ((appId == null) != (appPassword == null)) {
      throw new IllegalArgumentException(
          appId == null
              ? "MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is not: set both, or neither for the Emulator"
              : "MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not: set both, or neither for the Emulator");
    }
    trustedHosts = List.copyOf(trustedHosts);
  }

  /**
   * Reads the configuration from this process's environment.
   *
   * @return the configuration
   * @throws IllegalArgumentException naming the variable that is wrong
   */
  public static BotConfig fromEnvironment() {
    return from(System.getenv());
  }

  /**
   * Reads the configuration from a map of variables (blank values count as unset).
   *
   * @param env the variables
   * @return the configuration
   * @throws IllegalArgumentException naming the variable that is wrong
   */
  public static BotConfig from(Map<String, String> env) {
    String portText = value(env, "BECKON_PORT");
    int port = DEFAULT_PORT;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "BECKON_PORT must be a port number, not '" + portText + "'");
      }
    }
    List<String> hosts = new ArrayList<>();
    String hostList = value(env, "BECKON_TRUSTED_HOSTS");
    if (hostList != null) {
      for (String h : hostList.split(",", -1)) {
        if (!h.isBlank()) {
          hosts.add(h.strip());
        }
      }
    }
    String store = value(env, "BECKON_STORE");
    String bind = value(env, "BECKON_BIND");
    return new BotConfig(
        store == null ? DEFAULT_STORE : store,
        bind == null ? "127.0.0.1" : bind,
        port,
        value(env, "MICROSOFT_APP_ID"),
        value(env, "MICROSOFT_APP_PASSWORD"),
        value(env, "MICROSOFT_APP_TENANT_ID"),
        hosts);
  }

  /**
   * Whether the bot runs without credentials (the Emulator with an empty App ID).
   *
   * @return {@code appId == null}
   */
  public boolean anonymous() {
    return appId == null;
  }

  private static @Nullable String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Describes the configuration without the password and with the store's secrets hidden. */
  @Override
  public String toString() {
    return "BotConfig[store="
        + ConfiguredStore.redact(store)
        + ", listen="
        + bindAddress
        + ":"
        + port
        + ", appId="
        + (appId == null ? "(anonymous)" : appId)
        + ", appPassword="
        + (appPassword == null ? "unset" : "***")
        + ", tenantId="
        + tenantId
        + ", trustedHosts="
        + trustedHosts
        + "]";
  }
}
