package dev.beckon.cli;

import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.Cloud;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.send.BotConnectorSender;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How {@code send}, {@code broadcast} and {@code worker} authenticate to the Bot Connector. */
final class SenderOptions {

  /** The variable the app password is read from unless {@code --app-password-env} names another. */
  static final String DEFAULT_PASSWORD_ENV = "BECKON_APP_PASSWORD";

  @Option(names = "--app-id", description = "The bot's Microsoft app id (omit with --anonymous).")
  String appId;

  @Option(
      names = "--app-password-env",
      paramLabel = "VAR",
      defaultValue = DEFAULT_PASSWORD_ENV,
      description =
          "Environment variable holding the app password (default ${DEFAULT-VALUE}; never pass secrets as arguments).")
  String passwordEnv;

  @Option(names = "--tenant-id", description = "Single-tenant bots: the app's tenant.")
  String tenantId;

  @Option(
      names = "--anonymous",
      description = "Send without a token (Bot Framework Emulator, local tests).")
  boolean anonymous;

  @Option(
      names = "--cloud",
      paramLabel = "NAME",
      defaultValue = "public",
      converter = OptionTypes.CloudName.class,
      description =
          "The Microsoft cloud: public (also GCC), us-gov (gcc-high), us-dod (dod) or china;"
              + " sets the token host and scope and the trusted hosts (default ${DEFAULT-VALUE}).")
  Cloud cloud = Cloud.PUBLIC;

  @Option(names = "--trust-host", description = "Also trust this host for the token (repeatable).")
  List<String> trustHosts = new ArrayList<>();

  BotConnectorSender sender() {
    BotConnectorSender.Builder b = BotConnectorSender.builder().cloud(cloud);
    TrustPolicy trust = cloud.trustPolicy();
    for (String h : trustHosts) {
      trust = trust.withTrustedHost(h);
    }
    b.trustPolicy(trust);
    if (anonymous) {
      if (appId != null) {
        throw new BeckonCli.CliFailure(
            BeckonCli.BAD_INPUT, "--anonymous and --app-id exclude each other");
      }
      return b.anonymous().build();
    }
    if (appId == null) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT,
          "give --app-id (with the password in $" + passwordEnv + ") or --anonymous");
    }
    String secret = System.getenv(passwordEnv);
    if (secret == null || secret.isEmpty()) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT, "environment variable " + passwordEnv + " is not set");
    }
    ClientCredentials.Builder creds = ClientCredentials.builder(appId, secret).cloud(cloud);
    if (tenantId != null) {
      try {
        creds.tenant(tenantId);
      } catch (IllegalArgumentException e) {
        throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "--tenant-id: " + e.getMessage());
      }
    }
    return b.credentials(creds.build()).build();
  }
}
