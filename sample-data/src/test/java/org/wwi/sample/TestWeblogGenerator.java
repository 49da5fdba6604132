package org.wwi.sample;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.wwi.sample.TestingSampleData.int96;
import static org.wwi.sample.TestingSampleData.integer;
import static org.wwi.sample.TestingSampleData.longValue;
import static org.wwi.sample.TestingSampleData.readDataset;
import static org.wwi.sample.TestingSampleData.string;

/** The datasets of one small generation: schemas, values, and agreement between them. */
class TestWeblogGenerator {
    @TempDir
    static Path folder;
    static WeblogSpec spec;
    static GenerationResult result;
    static List<GenericRecord> weblogs;

    @BeforeAll
    static void generate() {
        spec = TestingSampleData.smallSpec(folder.resolve("lake"));
        result = TestingSampleData.generate(spec);
        weblogs = readDataset(spec.out().resolve("weblogs"));
    }

    @Test
    void resultCountsWhatWasWritten() throws Exception {
        assertThat(result.out()).isEqualTo(spec.out().toAbsolutePath());
        assertThat(result.events()).isEqualTo(20_000);
        assertThat(result.rowsPerDataset()).containsOnlyKeys("raw", "weblogs", "weblogs_int96", "products", "users",
                "ratings", "recommendations", "store_sales", "chat");
        assertThat(result.rowsPerDataset()).containsEntry("weblogs", 20_000L).containsEntry("raw", 20_000L)
                .containsEntry("products", 300L).containsEntry("users", 4_000L)
                .containsEntry("recommendations", 80_000L).containsEntry("store_sales", 2_000L);
        try (Stream<Path> files = Files.walk(spec.out())) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            assertThat(result.files()).isEqualTo(regular.size());
            long bytes = 0;
            for (Path file : regular) {
                bytes += Files.size(file);
            }
            assertThat(result.bytes()).isEqualTo(bytes);
        }
        assertThat(result.elapsed()).isPositive();
        String marker = Files.readString(spec.out().resolve("_wwi_sample.json"));
        assertThat(marker).contains("\"generator\": \"wwi-sample-data\"", "\"complete\": true", "\"rows\": 20000",
                "\"seed\": 7", "\"startDate\": \"2026-08-01\"", "\"weblogs\": 20000",
                "\"dirtyRawRows\": " + result.dirtyRawRows());
    }

    @Test
    void weblogsHaveSparksSchemaAndFooter() {
        Path file = TestingSampleData.partFiles(spec.out().resolve("weblogs")).get(0);
        ParquetMetadata footer = TestingSampleData.footer(file);
        MessageType schema = footer.getFileMetaData().getSchema();
        assertThat(schema.getName()).isEqualTo("spark_schema");
        assertThat(schema.getFields()).extracting(Type::getName).containsExactly("UserId", "SessionId", "ProductId",
                "Quantity", "Price", "TotalPrice", "ReferralURL", "PageStopDuration", "Action", "Channel",
                "TransactionDate");
        assertThat(schema.getFields()).allMatch(field -> field.isRepetition(Type.Repetition.OPTIONAL));
        assertColumn(schema, "UserId", PrimitiveTypeName.INT32, null);
        assertColumn(schema, "SessionId", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
        assertColumn(schema, "Price", PrimitiveTypeName.INT64, LogicalTypeAnnotation.decimalType(2, 10));
        assertColumn(schema, "TotalPrice", PrimitiveTypeName.INT64, LogicalTypeAnnotation.decimalType(2, 12));
        assertColumn(schema, "ReferralURL", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
        assertColumn(schema, "TransactionDate", PrimitiveTypeName.INT64,
                LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
        Map<String, String> metadata = footer.getFileMetaData().getKeyValueMetaData();
        assertThat(metadata).containsEntry("org.apache.spark.version", "3.5.1");
        assertThat(metadata.get("org.apache.spark.sql.parquet.row.metadata"))
                .startsWith("{\"type\":\"struct\",\"fields\":[{\"name\":\"UserId\",\"type\":\"integer\","
                        + "\"nullable\":true,\"metadata\":{}}")
                .contains("{\"name\":\"Price\",\"type\":\"decimal(10,2)\"",
                        "{\"name\":\"TransactionDate\",\"type\":\"timestamp\"");
        assertThat(footer.getFileMetaData().getCreatedBy()).startsWith("parquet-mr version ");
        assertThat(footer.getBlocks()).flatExtracting(block -> block.getColumns())
                .extracting(ColumnChunkMetaData::getCodec).containsOnly(CompressionCodecName.SNAPPY);
    }

    @Test
    void weblogsMatchTheRawTextRowByRow() {
        List<String> lines = TestingSampleData.lines(spec.out().resolve("raw/weblog.txt"));
        assertThat(lines.get(0)).isEqualTo(
                "UserId|SessionId|ProductId|Quantity|Price|TotalPrice|ReferralURL|PageStopDuration|Action|TransactionDate");
        assertThat(lines).hasSize(weblogs.size() + 1);
        long dirty = 0;
        BigDecimal rawTotal = BigDecimal.ZERO;
        long parquetTotalCents = 0;
        for (int i = 0; i < weblogs.size(); i++) {
            String[] raw = lines.get(i + 1).split("\\|", -1);
            GenericRecord row = weblogs.get(i);
            assertThat(raw).hasSize(10);
            assertThat(Integer.parseInt(raw[0])).isEqualTo(integer(row, "UserId"));
            assertThat(raw[1]).isEqualTo(string(row, "SessionId"));
            assertThat(Integer.parseInt(raw[2])).isEqualTo(integer(row, "ProductId"));
            assertThat(Integer.parseInt(raw[3])).isEqualTo(integer(row, "Quantity"));
            assertThat(new BigDecimal(raw[4])).isEqualTo(BigDecimal.valueOf(longValue(row, "Price"), 2));
            assertThat(new BigDecimal(raw[5])).isEqualTo(BigDecimal.valueOf(longValue(row, "TotalPrice"), 2));
            assertThat(raw[6].isEmpty() ? null : raw[6]).isEqualTo(string(row, "ReferralURL"));
            assertThat(Integer.parseInt(raw[7])).isEqualTo(integer(row, "PageStopDuration"));
            assertThat(raw[8]).isEqualTo(string(row, "Action"));
            try {
                Instant rawTime = LocalDateTime.parse(raw[9], RawDates.FORMAT).toInstant(ZoneOffset.UTC);
                assertThat(rawTime).isEqualTo(row.get("TransactionDate"));
            } catch (DateTimeParseException e) {
                dirty++;
            }
            rawTotal = rawTotal.add(new BigDecimal(raw[5]));
            parquetTotalCents += longValue(row, "TotalPrice");
        }
        assertThat(dirty).isEqualTo(result.dirtyRawRows());
        assertThat(rawTotal).isEqualTo(BigDecimal.valueOf(parquetTotalCents, 2));
    }

    @Test
    void eventsLookLikeShoppingSessions() {
        Map<String, Long> actions = new TreeMap<>();
        Map<String, Long> channels = new TreeMap<>();
        Map<String, Set<Integer>> browsedPerSession = new HashMap<>();
        Map<String, Integer> userOfSession = new HashMap<>();
        long followsBrowse = 0;
        long notBrowsed = 0;
        long nullReferrals = 0;
        for (GenericRecord row : weblogs) {
            String action = string(row, "Action");
            String session = string(row, "SessionId");
            int product = integer(row, "ProductId");
            int quantity = integer(row, "Quantity");
            actions.merge(action, 1L, Long::sum);
            channels.merge(string(row, "Channel"), 1L, Long::sum);
            nullReferrals += row.get("ReferralURL") == null ? 1 : 0;
            assertThat(userOfSession.computeIfAbsent(session, s -> integer(row, "UserId")))
                    .isEqualTo(integer(row, "UserId"));
            assertThat(quantity).isBetween(1, 5);
            assertThat(longValue(row, "TotalPrice")).isEqualTo(quantity * longValue(row, "Price"));
            assertThat(integer(row, "UserId")).isBetween(1, spec.users());
            assertThat(product).isBetween(1, spec.products());
            if (action.equals("Browsed")) {
                assertThat(quantity).isEqualTo(1);
                browsedPerSession.computeIfAbsent(session, s -> new HashSet<>()).add(product);
            } else if (browsedPerSession.getOrDefault(session, Set.of()).contains(product)) {
                followsBrowse++;
            } else {
                notBrowsed++;
            }
        }
        double n = weblogs.size();
        assertThat(actions.keySet()).containsExactly("Add To Cart", "Browsed", "Purchased");
        assertThat(actions.get("Browsed") / n).isCloseTo(0.60, within(0.04));
        assertThat(actions.get("Add To Cart") / n).isCloseTo(0.25, within(0.04));
        assertThat(actions.get("Purchased") / n).isCloseTo(0.15, within(0.03));
        assertThat(channels.get("Web") / n).isCloseTo(0.70, within(0.05));
        assertThat(channels.get("Mobile") / n).isCloseTo(0.30, within(0.05));
        assertThat(nullReferrals / n).isCloseTo(0.30, within(0.05));
        assertThat(followsBrowse).isGreaterThan(50 * notBrowsed);
        assertThat(userOfSession.size()).isBetween(weblogs.size() / 8, weblogs.size() / 3);
    }

    @Test
    void pricesAreTheProductsPrices() {
        Map<Integer, Long> prices = new HashMap<>();
        for (GenericRecord product : readDataset(spec.out().resolve("products"))) {
            prices.put(integer(product, "ProductId"), longValue(product, "Price"));
        }
        for (GenericRecord row : weblogs) {
            assertThat(longValue(row, "Price")).isEqualTo(prices.get(integer(row, "ProductId")));
        }
    }

    @Test
    void eventsLieInTheirPartitionDay() {
        for (Path file : TestingSampleData.partFiles(spec.out().resolve("weblogs"))) {
            LocalDate day = LocalDate.parse(file.getParent().getFileName().toString().substring("TransactionDay=".length()));
            for (GenericRecord row : TestingSampleData.readFile(file)) {
                Instant time = (Instant) row.get("TransactionDate");
                assertThat(LocalDate.ofInstant(time, ZoneOffset.UTC)).isEqualTo(day);
                assertThat(time.getNano()).isZero();
            }
        }
    }

    @Test
    void int96VariantHoldsTheFirstTwoDaysAsInt96() {
        Path int96 = spec.out().resolve("weblogs_int96");
        try (Stream<Path> days = Files.list(int96)) {
            assertThat(days.map(day -> day.getFileName().toString()).sorted())
                    .containsExactly("TransactionDay=2026-08-01", "TransactionDay=2026-08-02");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Path file = TestingSampleData.partFiles(int96).get(0);
        MessageType schema = TestingSampleData.footer(file).getFileMetaData().getSchema();
        assertColumn(schema, "TransactionDate", PrimitiveTypeName.INT96, null);
        assertThat(TestingSampleData.footer(file).getFileMetaData().getKeyValueMetaData()
                .get("org.apache.spark.sql.parquet.row.metadata")).contains("{\"name\":\"TransactionDate\",\"type\":\"timestamp\"");

        List<GenericRecord> rows = readDataset(int96);
        assertThat((long) rows.size()).isEqualTo(result.rowsPerDataset().get("weblogs_int96"));
        for (int i = 0; i < rows.size(); i++) {
            GenericRecord micros = weblogs.get(i);
            GenericRecord legacy = rows.get(i);
            assertThat(int96(legacy, "TransactionDate")).isEqualTo(micros.get("TransactionDate"));
            assertThat(string(legacy, "SessionId")).isEqualTo(string(micros, "SessionId"));
            assertThat(longValue(legacy, "TotalPrice")).isEqualTo(longValue(micros, "TotalPrice"));
        }
        assertThat(LocalDate.ofInstant(int96(rows.get(rows.size() - 1), "TransactionDate"), ZoneOffset.UTC))
                .isEqualTo(LocalDate.of(2026, 8, 2));
    }

    @Test
    void productsHaveDecimalDateBooleanAndUnicodeColumns() {
        Path products = spec.out().resolve("products");
        MessageType schema = TestingSampleData.footer(TestingSampleData.partFiles(products).get(0))
                .getFileMetaData().getSchema();
        assertThat(schema.getFields()).extracting(Type::getName).containsExactly("ProductId", "ProductName",
                "Category", "Price", "DiscountRate", "CostPrice", "IsActive", "Introduced");
        assertColumn(schema, "Price", PrimitiveTypeName.INT64, LogicalTypeAnnotation.decimalType(2, 10));
        assertColumn(schema, "DiscountRate", PrimitiveTypeName.INT32, LogicalTypeAnnotation.decimalType(3, 4));
        assertColumn(schema, "CostPrice", PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, LogicalTypeAnnotation.decimalType(4, 20));
        assertThat(schema.getType("CostPrice").asPrimitiveType().getTypeLength()).isEqualTo(9);
        assertColumn(schema, "IsActive", PrimitiveTypeName.BOOLEAN, null);
        assertColumn(schema, "Introduced", PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType());

        List<GenericRecord> rows = readDataset(products);
        assertThat(rows).extracting(row -> integer(row, "ProductId")).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 300).boxed().toList());
        assertThat(rows).extracting(row -> string(row, "ProductName"))
                .contains("Peacock Décor Vase", "Café Mug", "Ünïcode Throw", "Rocket Night Light 🚀");
        assertThat(rows).extracting(row -> string(row, "Category")).isSubsetOf(ProductCatalog.CATEGORIES)
                .hasSameElementsAs(ProductCatalog.CATEGORIES);
        long active = 0;
        for (GenericRecord row : rows) {
            BigDecimal price = BigDecimal.valueOf(longValue(row, "Price"), 2);
            BigDecimal cost = new BigDecimal(new BigInteger(((GenericData.Fixed) row.get("CostPrice")).bytes()), 4);
            BigDecimal discount = BigDecimal.valueOf(integer(row, "DiscountRate"), 3);
            assertThat(cost).isPositive().isLessThan(price);
            assertThat(discount).isBetween(BigDecimal.ZERO, new BigDecimal("0.300"));
            assertThat((LocalDate) row.get("Introduced")).isBefore(spec.startDate());
            active += (Boolean) row.get("IsActive") ? 1 : 0;
        }
        assertThat(active).isBetween(240L, 299L);
    }

    @Test
    void usersHaveDemographics() {
        List<GenericRecord> users = readDataset(spec.out().resolve("users"));
        assertThat(users).hasSize(4_000);
        for (GenericRecord user : users) {
            assertThat(integer(user, "Age")).isBetween(16, 90);
            assertThat(string(user, "Gender")).isIn("M", "F");
            assertThat(string(user, "Region")).isIn(UserDirectory.REGIONS);
            assertThat(string(user, "FirstName")).isNotBlank();
            assertThat(string(user, "LastName")).isNotBlank();
            assertThat((LocalDate) user.get("SignupDate")).isBefore(spec.startDate());
        }
        assertThat(users).extracting(user -> string(user, "Region")).hasSameElementsAs(UserDirectory.REGIONS);
        MessageType schema = TestingSampleData.footer(TestingSampleData.partFiles(spec.out().resolve("users")).get(0))
                .getFileMetaData().getSchema();
        assertColumn(schema, "SignupDate", PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType());
    }

    @Test
    void ratingsAreTheMaximumActionPointsPerUserAndProduct() {
        Map<List<Integer>, Integer> expected = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? Integer.compare(a.get(1), b.get(1)) : Integer.compare(a.get(0), b.get(0)));
        for (GenericRecord row : weblogs) {
            int points = switch (string(row, "Action")) {
                case "Browsed" -> 30;
                case "Add To Cart" -> 70;
                default -> 100;
            };
            expected.merge(List.of(integer(row, "UserId"), integer(row, "ProductId")), points, Math::max);
        }
        List<GenericRecord> ratings = readDataset(spec.out().resolve("ratings"));
        List<List<Integer>> actual = new ArrayList<>();
        for (GenericRecord rating : ratings) {
            actual.add(List.of(integer(rating, "UserId"), integer(rating, "ProductId"), integer(rating, "ActionPoints")));
        }
        List<List<Integer>> wanted = new ArrayList<>();
        expected.forEach((key, points) -> wanted.add(List.of(key.get(0), key.get(1), points)));
        assertThat(actual).isEqualTo(wanted);
    }

    @Test
    void recommendationsHaveTwentyDistinctDecreasingPredictionsPerUser() {
        List<GenericRecord> rows = readDataset(spec.out().resolve("recommendations"));
        assertThat(rows).hasSize(4_000 * 20);
        MessageType schema = TestingSampleData.footer(TestingSampleData.partFiles(spec.out().resolve("recommendations"))
                .get(0)).getFileMetaData().getSchema();
        assertThat(schema.getFields()).extracting(Type::getName).containsExactly("UserId", "ProductId", "prediction");
        assertColumn(schema, "prediction", PrimitiveTypeName.FLOAT, null);
        for (int user = 1; user <= 4_000; user++) {
            List<GenericRecord> mine = rows.subList((user - 1) * 20, user * 20);
            Set<Integer> products = new HashSet<>();
            float previous = Float.MAX_VALUE;
            for (GenericRecord row : mine) {
                assertThat(integer(row, "UserId")).isEqualTo(user);
                assertThat(products.add(integer(row, "ProductId"))).isTrue();
                float prediction = (Float) row.get("prediction");
                assertThat(prediction).isBetween(0f, 5f).isLessThan(previous);
                previous = prediction;
            }
        }
        assertThat(rows).anyMatch(row -> integer(row, "UserId") == 3696);
    }

    @Test
    void storeSalesAreTheRetailChannelOverTheSameDays() {
        Path storeSales = spec.out().resolve("store_sales");
        MessageType schema = TestingSampleData.footer(TestingSampleData.partFiles(storeSales).get(0))
                .getFileMetaData().getSchema();
        assertThat(schema.getFields()).extracting(Type::getName).containsExactly("SaleId", "StoreId", "UserId",
                "ProductId", "Quantity", "UnitPrice", "SaleDate", "SaleTime");
        assertColumn(schema, "SaleId", PrimitiveTypeName.INT64, null);
        assertColumn(schema, "UnitPrice", PrimitiveTypeName.INT64, LogicalTypeAnnotation.decimalType(2, 10));
        assertColumn(schema, "SaleDate", PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType());
        assertColumn(schema, "SaleTime", PrimitiveTypeName.INT64, LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));

        List<GenericRecord> sales = readDataset(storeSales);
        assertThat(sales).hasSize(2_000);
        long walkIns = 0;
        Instant previous = Instant.MIN;
        for (int i = 0; i < sales.size(); i++) {
            GenericRecord sale = sales.get(i);
            assertThat(longValue(sale, "SaleId")).isEqualTo(i + 1);
            assertThat(integer(sale, "StoreId")).isBetween(1, 20);
            walkIns += sale.get("UserId") == null ? 1 : 0;
            Instant time = (Instant) sale.get("SaleTime");
            assertThat(time).isAfterOrEqualTo(previous);
            previous = time;
            assertThat((LocalDate) sale.get("SaleDate")).isEqualTo(LocalDate.ofInstant(time, ZoneOffset.UTC))
                    .isBetween(spec.startDate(), spec.endDate());
        }
        assertThat(walkIns / (double) sales.size()).isCloseTo(0.40, within(0.05));
    }

    @Test
    void chatTranscriptsHaveConversationsPerDay() throws Exception {
        Path chat = spec.out().resolve("chat");
        List<String> names;
        try (Stream<Path> files = Files.list(chat)) {
            names = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        assertThat(names).containsExactly("2026-08-01.txt", "2026-08-02.txt", "2026-08-03.txt", "2026-08-04.txt",
                "2026-08-05.txt");
        long conversations = 0;
        StringBuilder all = new StringBuilder();
        for (String name : names) {
            String day = name.substring(0, 10);
            List<String> lines = TestingSampleData.lines(chat.resolve(name));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("===")) {
                    conversations++;
                    assertThat(line).matches("=== Conversation WWI-CS-\\d{6} user \\d+ " + day + "T\\d\\d:\\d\\d:\\d\\dZ ===");
                    assertThat(i == 0 || lines.get(i - 1).isEmpty()).isTrue();
                } else if (!line.isEmpty()) {
                    assertThat(line).matches("\\[\\d\\d:\\d\\d:\\d\\d] (Customer|Agent): .+");
                }
            }
            all.append(String.join("\n", lines));
        }
        assertThat(conversations).isEqualTo(result.rowsPerDataset().get("chat")).isBetween(5L, 300L);
        assertThat(all.toString()).contains("peacock decor", "real person");
    }

    private static void assertColumn(MessageType schema, String name, PrimitiveTypeName physical,
            LogicalTypeAnnotation logical) {
        PrimitiveType type = schema.getType(name).asPrimitiveType();
        assertThat(type.getPrimitiveTypeName()).as(name).isEqualTo(physical);
        assertThat(type.getLogicalTypeAnnotation()).as(name).isEqualTo(logical);
        assertThat(type.getRepetition()).as(name).isEqualTo(Type.Repetition.OPTIONAL);
    }
}
