/**
 * A {@link dev.beckon.auth.TokenProvider} over azure-identity: {@link
 * dev.beckon.auth.azure.AzureIdentityTokenProvider}.
 */
@NullMarked
package dev.beckon.auth.azure;

import org.jspecify.annotations.NullMarked;
