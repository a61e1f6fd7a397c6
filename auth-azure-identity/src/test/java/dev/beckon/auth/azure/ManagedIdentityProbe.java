package dev.beckon.auth.azure;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import dev.beckon.auth.AccessToken;
import dev.beckon.auth.TokenException;
import java.util.concurrent.CompletionException;

/**
 * Run by {@link ManagedIdentityTest} in a child JVM whose environment names a loopback identity
 * endpoint (MSAL reads the managed identity variables from the process environment, not from
 * azure-core's Configuration): asks for a system-assigned token, then for the user-assigned
 * identity named by the first argument, and prints one line per token.
 */
public final class ManagedIdentityProbe {

  private ManagedIdentityProbe() {}

  /**
   * Prints {@code system=TOKEN EXPIRY} and {@code user=TOKEN EXPIRY}, or {@code ...=error MESSAGE}.
   *
   * @param args the user-assigned identity's client id
   */
  public static void main(String[] args) {
    probe("system", AzureIdentityTokenProvider.of(new ManagedIdentityCredentialBuilder().build()));
    probe(
        "user",
        AzureIdentityTokenProvider.of(
            new ManagedIdentityCredentialBuilder().clientId(args[0]).build()));
  }

  private static void probe(String name, AzureIdentityTokenProvider provider) {
    try {
      AccessToken t = provider.token().join();
      System.out.println(name + "=" + t.value() + " " + t.expiresAt());
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      System.out.println(
          name
              + "=error "
              + (c instanceof TokenException te ? te.getMessage() : String.valueOf(c)));
    }
  }
}
