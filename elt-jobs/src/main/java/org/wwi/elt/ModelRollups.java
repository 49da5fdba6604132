package org.wwi.elt;

/**
 * The semantic model's rollups for {@code refresh} steps with {@code rollups:}. The semantic-model
 * module's Rollups API is wired here once it ships; until then such steps fail with a clear message
 * and the WWI pipelines refresh SQL rollups.
 */
final class ModelRollups {
    private ModelRollups() {
    }

    static RollupRefresher create() {
        return RollupRefresher.unavailable();
    }
}
