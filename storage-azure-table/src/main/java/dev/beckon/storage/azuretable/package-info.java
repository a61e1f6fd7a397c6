/** Beckon's reference store over Azure Table Storage, and an importer of v3 ResumptionCookies. */
@NullMarked
package dev.beckon.storage.azuretable;

import org.jspecify.annotations.NullMarked;
