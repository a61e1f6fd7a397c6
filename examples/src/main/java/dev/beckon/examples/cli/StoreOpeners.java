package dev.beckon.examples.cli;

/** Creates the client and repository for each store URI scheme. */
final class StoreOpeners {

  private StoreOpeners() {}

  static Stores.Opened jdbc(String uri) {
    throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "jdbc: stores are not wired into this build yet");
  }

  static Stores.Opened redis(String uri) {
    throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "redis:// stores are not wired into this build yet");
  }

  static Stores.Opened azureTable(String connection) {
    throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "azure-table: stores are not wired into this build yet");
  }

  static Stores.Opened dynamoDb(String spec) {
    throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "dynamodb: stores are not wired into this build yet");
  }
}
