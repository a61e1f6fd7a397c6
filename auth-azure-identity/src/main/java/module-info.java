/**
 * Beckon's outbound token from any azure-identity {@code TokenCredential}: managed identity
 * (system- or user-assigned), workload identity on AKS, federated credentials from another cloud's
 * OIDC token, certificates and secrets. The credential type is in the factory's signature, so
 * {@code com.azure.core} is required transitively.
 */
// the Azure SDK's JDK transport names its module only by Automatic-Module-Name
@SuppressWarnings("requires-automatic")
module dev.beckon.auth.azure.identity {
  requires transitive dev.beckon.core;
  requires transitive com.azure.core;
  requires com.azure.identity;
  // the HTTP transport this module ships with (java.net.http, instead of the SDK's default Netty)
  requires com.azure.core.http.jdk.httpclient;
  requires reactor.core;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.auth.azure;
}
