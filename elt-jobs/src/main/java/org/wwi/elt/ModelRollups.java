package org.wwi.elt;

import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.Rollups;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The semantic model's rollups for {@code refresh} steps with {@code rollups:}, built by the
 * semantic module's {@link Rollups} API (the new facts merged into the current table, or a new
 * table, refused when empty or shrunken, swapped in; its freshness recorded in {@code
 * mart.rollup_state}). Each build commits on its own connection;
 * the step marks its batch afterwards, so a crash in between builds the rollup once more. The
 * semantic layer is opened on the first refresh and kept until {@link #close}.
 */
final class ModelRollups implements RollupRefresher {
    private final Database warehouse;
    private final Supplier<SemanticModel> model;
    private SemanticLayer layer;

    private ModelRollups(Database warehouse, Supplier<SemanticModel> model) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.model = requireNonNull(model, "model is null");
    }

    /** The model of the project in {@code home} ({@code semantic-model/models}, else the shipped one). */
    static RollupRefresher forProject(Database warehouse, java.nio.file.Path home) {
        requireNonNull(home, "home is null");
        return new ModelRollups(warehouse, () -> SemanticModel.forProject(home));
    }

    @Override
    public synchronized List<Refreshed> refresh(Connection tx, List<String> names, boolean allowEmpty,
                                                double maxShrinkPercent) {
        if (layer == null) {
            layer = SemanticLayer.open(warehouse, model.get());
        }
        Rollups.BuildOptions options = new Rollups.BuildOptions(allowEmpty, maxShrinkPercent > 0);
        List<Rollups.Build> builds = new ArrayList<>();
        if (names.contains("*")) {
            builds.addAll(layer.rollups().buildAll(options, Progress.none()));
        } else {
            for (String n : names) {
                builds.add(layer.rollups().build(n, options));
            }
        }
        return builds.stream().map(b -> new Refreshed(b.rollup(), b.table(), b.rows(),
                b.previousRows().orElse(-1), b.how())).toList();
    }

    @Override
    public synchronized void close() {
        if (layer != null) {
            layer.close();
            layer = null;
        }
    }
}
