package org.wwi.sample;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of a Spark DataFrame, as the Parquet schema Spark writes ({@code spark_schema},
 * every column optional) and as the footer metadata Spark adds.
 */
final class SparkSchema {
    static final String SPARK_VERSION = "3.5.1";
    static final String SPARK_VERSION_KEY = "org.apache.spark.version";
    static final String ROW_METADATA_KEY = "org.apache.spark.sql.parquet.row.metadata";

    private final List<SparkColumn> columns;
    private final MessageType messageType;
    private final String rowMetadataJson;

    private SparkSchema(List<SparkColumn> columns) {
        this.columns = List.copyOf(columns);
        this.messageType = toMessageType(this.columns);
        this.rowMetadataJson = toJson(this.columns);
    }

    static SparkSchema of(SparkColumn... columns) {
        return new SparkSchema(List.of(columns));
    }

    List<SparkColumn> columns() {
        return columns;
    }

    MessageType messageType() {
        return messageType;
    }

    /** The StructType JSON Spark stores under {@value #ROW_METADATA_KEY}. */
    String rowMetadataJson() {
        return rowMetadataJson;
    }

    /** The footer key-value metadata Spark writes. */
    Map<String, String> footerMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(SPARK_VERSION_KEY, SPARK_VERSION);
        metadata.put(ROW_METADATA_KEY, rowMetadataJson);
        return metadata;
    }

    private static MessageType toMessageType(List<SparkColumn> columns) {
        List<Type> fields = new ArrayList<>();
        for (SparkColumn column : columns) {
            SparkType type = column.type();
            Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> builder = Types.optional(type.physical());
            if (type.length() > 0) {
                builder = builder.length(type.length());
            }
            if (type.logical() != null) {
                builder = builder.as(type.logical());
            }
            fields.add(builder.named(column.name()));
        }
        return new MessageType("spark_schema", fields);
    }

    private static String toJson(List<SparkColumn> columns) {
        StringBuilder json = new StringBuilder("{\"type\":\"struct\",\"fields\":[");
        for (int i = 0; i < columns.size(); i++) {
            SparkColumn column = columns.get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"name\":").append(Json.quote(column.name()))
                    .append(",\"type\":").append(Json.quote(column.type().json()))
                    .append(",\"nullable\":true,\"metadata\":{}}");
        }
        return json.append("]}").toString();
    }
}
