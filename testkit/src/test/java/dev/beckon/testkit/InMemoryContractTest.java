package dev.beckon.testkit;

import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.memory.InMemoryReferenceRepository;

/** The in-memory store passes the whole contract kit. */
class InMemoryContractTest extends ReferenceRepositoryContract {
  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    return new InMemoryReferenceRepository(options);
  }
}
