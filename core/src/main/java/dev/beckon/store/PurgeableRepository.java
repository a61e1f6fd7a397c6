package dev.beckon.store;

/**
 * A repository that can remove expired references on demand. Expired references are already
 * invisible to reads; purging reclaims their space in backends that do not expire data themselves
 * (SQL databases, Azure Table) and cleans index entries where they do (Redis).
 */
public interface PurgeableRepository extends ReferenceRepository {

  /**
   * Deletes expired references, in batches.
   *
   * @return how many were deleted
   */
  long purgeExpired();
}
