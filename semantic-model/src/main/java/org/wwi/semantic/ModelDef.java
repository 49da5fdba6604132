package org.wwi.semantic;

import org.wwi.platform.yaml.Location;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The model as written in the YAML files, before names are resolved: one record per section.
 * {@link ModelReader} builds it, {@link Catalog} resolves and checks it.
 */
final class ModelDef {
    private ModelDef() {
    }

    enum DimensionType { STRING, NUMBER, BOOLEAN, TIME }

    enum MeasureType {
        SUM, COUNT, COUNT_DISTINCT, AVG, MIN, MAX,
        /** Derived from other measures after aggregation, e.g. {@code {revenue} / {orders}}. */
        NUMBER;

        String sqlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum Relationship { MANY_TO_ONE, ONE_TO_MANY, ONE_TO_ONE }

    /** A cube over a table ({@code sql_table}) or a query ({@code sql}). */
    record Cube(String name, Optional<String> table, Optional<String> sql, String description,
                Optional<String> highWaterMark, Map<String, Join> joins, Map<String, Dimension> dimensions,
                Map<String, Measure> measures, Map<String, Segment> segments,
                Map<String, List<String>> hierarchies, Location location) {
        Cube {
            requireNonNull(name, "name is null");
            joins = ordered(joins);
            dimensions = ordered(dimensions);
            measures = ordered(measures);
            segments = ordered(segments);
            hierarchies = ordered(hierarchies);
        }
    }

    /** A join from a cube to the cube named {@code target}. */
    record Join(String target, Relationship relationship, String sql, Location location) {
    }

    record Dimension(String name, DimensionType type, String sql, String description, boolean primaryKey,
                     Optional<Format> format, Location location) {
    }

    /**
     * A measure: an aggregate of {@code sql} over the rows passing {@code filters}, or (type
     * {@code number}) an expression over other measures of the cube written as {@code {name}}.
     */
    record Measure(String name, MeasureType type, Optional<String> sql, List<String> filters, String description,
                   Format format, int decimals, Location location) {
        Measure {
            filters = List.copyOf(filters);
        }
    }

    /** A named filter, exposed to queries as a boolean column. */
    record Segment(String name, String sql, String description, Location location) {
    }

    /**
     * The public face: members picked from the cube and the cubes it joins. Each include is a
     * member path ({@code revenue}, {@code product.category}, {@code date.*}) with an optional alias.
     */
    record View(String name, String cube, String description, List<Include> includes, Location location) {
        View {
            includes = List.copyOf(includes);
        }
    }

    record Include(String path, Optional<String> alias, Location location) {
    }

    /**
     * What a role sees: views ({@code *} for all), members hidden from them, and a row filter over
     * members and user attributes, e.g. {@code {customer.region} = {user.region}}.
     */
    record Role(String name, String description, List<String> views, List<String> hidden,
                Optional<String> rowFilter, Location location) {
        Role {
            views = List.copyOf(views);
            hidden = List.copyOf(hidden);
        }
    }

    /** A pre-aggregation stored as a table in {@code mart}. */
    record Rollup(String name, String cube, String description, List<String> measures, List<String> dimensions,
                  Optional<String> timeGrain, boolean allowStale, Location location) {
        Rollup {
            measures = List.copyOf(measures);
            dimensions = List.copyOf(dimensions);
        }
    }

    /** Every section of every model file. */
    record Model(Map<String, Cube> cubes, Map<String, View> views, Map<String, Role> roles,
                 Map<String, Rollup> rollups, List<String> files) {
        Model {
            cubes = ordered(cubes);
            views = ordered(views);
            roles = ordered(roles);
            rollups = ordered(rollups);
            files = List.copyOf(files);
        }
    }

    /** An unmodifiable copy that keeps the order of the file. */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
    }
}
