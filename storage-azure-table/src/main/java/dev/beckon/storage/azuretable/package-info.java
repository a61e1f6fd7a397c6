/**
 * {@link dev.beckon.storage.azuretable.AzureTableReferenceRepository}: Beckon's reference store
 * over Azure Table Storage (and Azurite), with an importer for hand-stored v3 ResumptionCookies.
 */
@NullMarked
package dev.beckon.storage.azuretable;

import org.jspecify.annotations.NullMarked;
