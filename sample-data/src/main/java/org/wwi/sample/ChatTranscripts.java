package org.wwi.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Customer-service chats, one text file per day ({@code chat/yyyy-MM-dd.txt}): conversations
 * separated by a blank line, each with a header
 * {@code === Conversation <id> user <UserId> <ISO instant> ===} and lines
 * {@code [HH:mm:ss] Customer: …} / {@code [HH:mm:ss] Agent: …}. The first conversation always
 * mentions "peacock decor" and asks for a "real person".
 */
final class ChatTranscripts {
    private static final String[] AGENTS = {
        "Kayla", "Hudson", "Amy", "Archer", "Lily", "Taj", "Jack", "Anthony", "Sophia", "Piper",
    };
    private static final String[] CODES = {"SUMMER10", "WELCOME15", "PEACOCK20", "FREESHIP"};
    private static final String[] THANKS = {"Thanks!", "Great, thank you.", "Perfect, thanks for your help.", "OK."};
    private static final String[] GOODBYES = {
        "You're welcome! Have a great day.", "Happy to help. Thanks for shopping with Wide World Importers!",
        "Anytime. Is there anything else I can do for you?",
    };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final int FIRST_START = 6 * 3600;
    private static final int LAST_START = 23 * 3600;

    private final WeblogSpec spec;
    private final UserDirectory users;
    private final ProductCatalog catalog;

    ChatTranscripts(WeblogSpec spec, UserDirectory users, ProductCatalog catalog) {
        this.spec = requireNonNull(spec, "spec is null");
        this.users = requireNonNull(users, "users is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** 20 per 1,000 events' square root (about 280 for 200,000 events), at least one per day. */
    static long conversationsFor(WeblogSpec spec) {
        return Math.max(spec.days(), Math.round(20 * Math.sqrt(spec.rows() / 1000.0)));
    }

    /** Writes one file per day into {@code folder}; returns the number of conversations. */
    long write(Path folder) throws IOException {
        Files.createDirectories(folder);
        long total = conversationsFor(spec);
        long[] perDay = Allocation.spread(total - spec.days(), Draw.dayWeights(spec,
                Seeds.random(spec.seed(), "chat-days", 0)));
        long id = 1;
        for (int day = 0; day < spec.days(); day++) {
            LocalDate date = spec.startDate().plusDays(day);
            SplittableRandom random = Seeds.random(spec.seed(), "chat", day);
            int[] starts = new int[(int) perDay[day] + 1];
            Arrays.setAll(starts, i -> FIRST_START + random.nextInt(LAST_START - FIRST_START));
            Arrays.sort(starts);
            try (BufferedWriter out = Files.newBufferedWriter(folder.resolve(date + ".txt"), StandardCharsets.UTF_8)) {
                for (int i = 0; i < starts.length; i++) {
                    ChatTopic topic = id == 1 ? ChatTopic.PEACOCK_AND_REAL_PERSON
                            : ChatTopic.values()[Draw.weighted(random, ChatTopic.WEIGHTS)];
                    if (i > 0) {
                        out.write('\n');
                    }
                    writeConversation(out, random, id++, date, starts[i], topic);
                }
            }
        }
        return total;
    }

    private void writeConversation(BufferedWriter out, SplittableRandom random, long id, LocalDate date, int start,
            ChatTopic topic) throws IOException {
        int userId = users.pick(random);
        long epochSecond = date.toEpochDay() * WeblogEventSource.SECONDS_PER_DAY + start;
        out.write(String.format(Locale.ROOT, "=== Conversation WWI-CS-%06d user %d %s ===\n", id, userId,
                Instant.ofEpochSecond(epochSecond)));
        String agent = AGENTS[random.nextInt(AGENTS.length)];
        String product = catalog.product(catalog.pick(random)).name();
        String order = "WWI-" + (100_000 + random.nextInt(900_000));
        String days = Integer.toString(2 + random.nextInt(6));
        String code = CODES[random.nextInt(CODES.length)];
        int variant = random.nextInt(6);
        int second = start;
        for (String[] turn : topic.turns()) {
            String line = turn[variant % turn.length]
                    .replace("{product}", product).replace("{order}", order).replace("{agent}", agent)
                    .replace("{days}", days).replace("{code}", code);
            writeLine(out, second, line.startsWith("C:") ? "Customer" : "Agent", line.substring(2));
            second += 5 + random.nextInt(86);
        }
        writeLine(out, second, "Customer", THANKS[random.nextInt(THANKS.length)]);
        second += 5 + random.nextInt(30);
        writeLine(out, second, "Agent", GOODBYES[random.nextInt(GOODBYES.length)]);
    }

    private static void writeLine(BufferedWriter out, int secondOfDay, String speaker, String text) throws IOException {
        out.write('[');
        out.write(TIME.format(LocalTime.ofSecondOfDay(secondOfDay)));
        out.write("] ");
        out.write(speaker);
        out.write(": ");
        out.write(text);
        out.write('\n');
    }
}
