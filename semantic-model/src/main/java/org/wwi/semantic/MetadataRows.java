package org.wwi.semantic;

import org.apache.calcite.avatica.AvaticaUtils;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MetaImpl.ColumnNoNulls;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code DatabaseMetaData} answers, computed from the model for one principal: catalog
 * {@value #CATALOG}, schema {@value #SCHEMA}, one table per view the role sees, one column per
 * visible member with its SQL type and, as remarks, its description and how to aggregate it.
 * Plain rows; {@link SemanticMeta} wraps them into Avatica result sets.
 */
final class MetadataRows {
    static final String CATALOG = "wwi";
    static final String SCHEMA = "semantic";

    private MetadataRows() {
    }

    /** The JDBC column list of a metadata result, taken from Avatica's Meta* class of it. */
    static List<ColumnMetaData> columns(Class<?> metaClass) {
        List<ColumnMetaData> out = new ArrayList<>();
        for (Field f : metaClass.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            boolean notNull = f.isAnnotationPresent(ColumnNoNulls.class) || f.getType().isPrimitive();
            out.add(MetaImpl.columnMetaData(AvaticaUtils.camelToUpper(f.getName()), out.size(), f.getType(),
                    !notNull));
        }
        return out;
    }

    static Meta.Signature signature(Class<?> metaClass) {
        return Meta.Signature.create(columns(metaClass), "", List.of(), Meta.CursorFactory.LIST,
                Meta.StatementType.SELECT);
    }

    static Meta.Frame frame(List<Object[]> rows) {
        List<Object> list = new ArrayList<>();
        for (Object[] r : rows) {
            list.add(Arrays.asList(r));
        }
        return Meta.Frame.create(0, true, list);
    }

    static List<Object[]> catalogs() {
        return List.<Object[]>of(new Object[] {CATALOG});
    }

    static List<Object[]> schemas(String catalog, String schemaPattern) {
        if (!matches(catalog, CATALOG) || !like(schemaPattern, SCHEMA)) {
            return List.of();
        }
        return List.<Object[]>of(new Object[] {SCHEMA, CATALOG});
    }

    static List<Object[]> tableTypes() {
        return List.<Object[]>of(new Object[] {"TABLE"});
    }

    static List<Object[]> tables(List<SemanticTable> tables, String catalog, String schemaPattern, String tablePattern,
                                 List<String> types) {
        List<Object[]> out = new ArrayList<>();
        if (!matches(catalog, CATALOG) || !like(schemaPattern, SCHEMA)
                || types != null && types.stream().noneMatch(t -> t.equalsIgnoreCase("TABLE"))) {
            return out;
        }
        for (SemanticTable t : tables) {
            if (like(tablePattern, t.view.name())) {
                out.add(new Object[] {CATALOG, SCHEMA, t.view.name(), "TABLE", t.view.description(), null, null,
                        null, null, null});
            }
        }
        return out;
    }

    static List<Object[]> columns(List<SemanticTable> tables, String catalog, String schemaPattern,
                                  String tablePattern, String columnPattern) {
        List<Object[]> out = new ArrayList<>();
        if (!matches(catalog, CATALOG) || !like(schemaPattern, SCHEMA)) {
            return out;
        }
        for (SemanticTable t : tables) {
            if (!like(tablePattern, t.view.name())) {
                continue;
            }
            for (int i = 0; i < t.columns.size(); i++) {
                Catalog.Column c = t.columns.get(i);
                if (!like(columnPattern, c.name())) {
                    continue;
                }
                SemanticTable.TypeSpec type = t.types.get(i);
                int jdbc = type.name().getJdbcOrdinal();
                Integer size = switch (jdbc) {
                    case Types.VARCHAR, Types.CHAR -> type.precision() > 0 ? type.precision() : 65536;
                    case Types.DECIMAL -> type.precision();
                    case Types.BIGINT -> 19;
                    case Types.INTEGER -> 10;
                    case Types.SMALLINT -> 5;
                    case Types.DOUBLE -> 15;
                    case Types.DATE -> 10;
                    case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> 29;
                    case Types.BOOLEAN -> 1;
                    default -> null;
                };
                Integer digits = jdbc == Types.DECIMAL ? Integer.valueOf(Math.max(0, type.scale())) : null;
                out.add(new Object[] {CATALOG, SCHEMA, t.view.name(), c.name(), jdbc, SemanticLayer.typeName(type),
                        size, null, digits, 10, type.nullable() ? DatabaseMetaData.columnNullable
                        : DatabaseMetaData.columnNoNulls, remarks(c), null, null, null,
                        jdbc == Types.VARCHAR ? size : null, i + 1, type.nullable() ? "YES" : "NO", null, null, null,
                        null, "NO", "NO"});
            }
        }
        return out;
    }

    /** The member's description and, for a measure, how SQL aggregates it. */
    static String remarks(Catalog.Column c) {
        StringBuilder b = new StringBuilder(c.description());
        if (c.isMeasure()) {
            String type = c.measureType().map(ModelDef.MeasureType::sqlName).orElse("");
            String alias = switch (c.measureType().orElse(ModelDef.MeasureType.NUMBER)) {
                case SUM -> " or SUM(" + c.name() + ")";
                case COUNT -> " or SUM(" + c.name() + ")";
                case COUNT_DISTINCT -> " or COUNT(DISTINCT " + c.name() + ")";
                case AVG -> " or AVG(" + c.name() + ")";
                case MIN -> " or MIN(" + c.name() + ")";
                case MAX -> " or MAX(" + c.name() + ")";
                case NUMBER -> "";
            };
            b.append(b.isEmpty() ? "" : " ").append("[measure, ").append(type.equals("number") ? "derived" : type)
                    .append(c.format().map(f -> ", " + f.name().toLowerCase(Locale.ROOT)).orElse(""))
                    .append(": aggregate with MEASURE(").append(c.name()).append(")").append(alias).append("]");
        } else {
            b.append(b.isEmpty() ? "" : " ").append("[").append(c.kind() == Catalog.Kind.SEGMENT ? "segment"
                    : "dimension").append(" ").append(c.ref()).append("]");
        }
        return b.toString();
    }

    /** Types the server returns, for {@code getTypeInfo}. */
    static List<Object[]> typeInfo() {
        List<Object[]> out = new ArrayList<>();
        out.add(type("BOOLEAN", Types.BOOLEAN, 1, null, null, (short) 0, (short) 0, null));
        out.add(type("SMALLINT", Types.SMALLINT, 5, null, null, (short) 0, (short) 0, 10));
        out.add(type("INTEGER", Types.INTEGER, 10, null, null, (short) 0, (short) 0, 10));
        out.add(type("BIGINT", Types.BIGINT, 19, null, null, (short) 0, (short) 0, 10));
        out.add(type("DECIMAL", Types.DECIMAL, 38, null, null, (short) 0, (short) 38, 10));
        out.add(type("DOUBLE", Types.DOUBLE, 15, null, null, (short) 0, (short) 0, 2));
        out.add(type("VARCHAR", Types.VARCHAR, 65536, "'", "'", (short) 0, (short) 0, null));
        out.add(type("DATE", Types.DATE, 10, "DATE '", "'", (short) 0, (short) 0, null));
        out.add(type("TIMESTAMP", Types.TIMESTAMP, 29, "TIMESTAMP '", "'", (short) 0, (short) 9, null));
        return out;
    }

    private static Object[] type(String name, int jdbc, int precision, String prefix, String suffix, Short minScale,
                                 Short maxScale, Integer radix) {
        return new Object[] {name, jdbc, precision, prefix, suffix, null, (short) DatabaseMetaData.typeNullable,
                jdbc == Types.VARCHAR, (short) DatabaseMetaData.typeSearchable, false, jdbc == Types.DECIMAL, false,
                name, minScale, maxScale, null, null, radix};
    }

    private static boolean matches(String given, String actual) {
        return given == null || given.isEmpty() || given.equalsIgnoreCase(actual);
    }

    /** JDBC LIKE pattern: {@code %} any run, {@code _} one character; null matches all. */
    static boolean like(String pattern, String value) {
        if (pattern == null) {
            return true;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(value).matches();
    }
}
