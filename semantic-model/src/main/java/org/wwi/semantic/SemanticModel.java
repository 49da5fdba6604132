package org.wwi.semantic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A semantic model read from YAML files and checked: cubes, views, roles and rollups. Loading
 * needs no database; {@link SemanticLayer#open} then checks every member against the warehouse.
 */
public final class SemanticModel {
    /** The model folder inside a project: {@code semantic-model/models}. */
    public static final String FOLDER = "semantic-model/models";

    final Catalog catalog;
    private final String source;

    private SemanticModel(Catalog catalog, String source) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.source = requireNonNull(source, "source is null");
    }

    /** Reads every {@code *.yaml} file of a folder. */
    public static SemanticModel load(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        return new SemanticModel(new Catalog(ModelReader.readFolder(abs, displayPrefix(abs))), abs.toString());
    }

    /** The model of a project ({@code semantic-model/models}), or the shipped one when the folder is absent. */
    public static SemanticModel forProject(Path home) {
        Path dir = home.resolve(FOLDER);
        return Files.isDirectory(dir) ? load(dir) : shipped();
    }

    /** The WWI model shipped in the jar. */
    public static SemanticModel shipped() {
        return new SemanticModel(new Catalog(ModelReader.readShipped()), "(shipped in the jar)");
    }

    /** A model from YAML text (tests, tools); {@code file} names it in error messages. */
    public static SemanticModel parse(String file, String yaml) {
        return new SemanticModel(new Catalog(ModelReader.readText(file, yaml)), file);
    }

    /** Where the model was read from. */
    public String source() {
        return source;
    }

    /** The model files, as named in error messages. */
    public List<String> files() {
        return catalog.def.files();
    }

    public List<String> viewNames() {
        return List.copyOf(catalog.views.keySet());
    }

    public List<String> roleNames() {
        return List.copyOf(catalog.roles.keySet());
    }

    public List<String> rollupNames() {
        return List.copyOf(catalog.rollups.keySet());
    }

    private static String displayPrefix(Path dir) {
        Path name = dir.getFileName();
        return (name == null ? "" : name + "/");
    }

    @Override
    public String toString() {
        return "SemanticModel(" + source + ": " + catalog.views.size() + " views, " + catalog.cubes.size()
                + " cubes, " + catalog.rollups.size() + " rollups)";
    }
}
