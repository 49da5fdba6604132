package org.wwi.semantic.bench;

import org.wwi.platform.Database;
import org.wwi.platform.Progress;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Fills the warehouse's star schema ({@code dw.dim_*}, {@code dw.fact_web_event},
 * {@code dw.fact_sales}) with deterministic generated data, in SQL ({@code generate_series} and
 * PostgreSQL's seeded hash functions), for tests and benchmarks while the ELT loads do not run.
 * The same spec always gives the same rows.
 *
 * <p>Distributions: six regions with unequal shares; customers and products chosen with a skew
 * (a few are much more active or popular); sessions of five events on the web (60%) or the
 * mobile app (40%), spread over the period with growth towards its end; a funnel where about a
 * third of the sessions add to cart and a bit over half of those buy; list prices log-uniform
 * between 5 and 500 dollars; one product in ten re-priced and renamed halfway (a second SCD2
 * version); store sales (a twentieth of the events) of one to four lines, half by walk-in
 * customers. Web and mobile purchases are also sales lines, ordered by session.
 *
 * @see #generate
 */
public final class FactFixture {
    static final String[] REGIONS = {"North America", "Europe", "Asia", "South America", "Africa", "Oceania"};
    static final double[] REGION_SHARE = {0.30, 0.25, 0.20, 0.10, 0.08, 0.07};
    static final String[] CATEGORIES = {"Novelty Items", "Clothing", "Toys", "Mugs", "USB Gadgets",
            "Packaging Materials", "Furniture", "Computing Novelties", "Airline Novelties", "T-Shirts"};

    /**
     * @param events    web events to generate
     * @param customers customers (besides the unknown one)
     * @param products  products (one in ten gets a second version)
     * @param start     first day of events
     * @param days      number of days with events
     * @param seed      changes every random choice
     */
    public record Spec(long events, int customers, int products, LocalDate start, int days, long seed) {
        public Spec {
            requireNonNull(start, "start is null");
            if (events < 5 || customers < 1 || products < 10 || days < 1) {
                throw new IllegalArgumentException("events >= 5, customers >= 1, products >= 10, days >= 1");
            }
        }

        /** Sizes that grow with the number of events: a customer per 100 events, 500 products, 2026. */
        public static Spec ofEvents(long events) {
            int customers = (int) Math.max(200, Math.min(200_000, events / 100));
            int products = (int) Math.max(50, Math.min(500, events / 200));
            return new Spec(events, customers, products, LocalDate.of(2026, 1, 1), 365, 42);
        }

        String key() {
            return String.format(Locale.ROOT, "events=%d customers=%d products=%d start=%s days=%d seed=%d",
                    events, customers, products, start, days, seed);
        }
    }

    private FactFixture() {
    }

    /** Whether the database already holds exactly this spec's data (a benchmark reuses it). */
    public static boolean isGenerated(Database db, Spec spec) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select obj_description('dw.fact_web_event'::regclass)")) {
                rs.next();
                String comment = rs.getString(1);
                return comment != null && comment.endsWith("[fixture " + spec.key() + "]");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the fixture marker: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the dimension and fact rows with generated ones (the unknown customer stays).
     * The database must be migrated. Progress counts web events.
     */
    public static void generate(Database db, Spec spec, Progress progress) {
        requireNonNull(db, "db is null");
        requireNonNull(spec, "spec is null");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("set local synchronous_commit = off");
            s.execute("truncate dw.fact_web_event, dw.fact_sales");
            s.execute("delete from dw.dim_product");
            s.execute("delete from dw.dim_customer where user_id <> -1");
            customers(s, spec);
            products(s, spec);
            c.commit();
            // secondary indexes are dropped while the facts are filled and built again afterwards
            // (exactly as the migrations define them): much faster than maintaining them row by row
            List<String> indexes = secondaryIndexes(s);
            for (String name : indexes.stream().map(d -> d.split("\u0000")[0]).toList()) {
                s.execute("drop index " + name);
            }
            c.commit();
            long sessions = spec.events() / 5;
            long chunk = Math.max(1, 500_000 / 5);
            for (long from = 0; from < sessions; from += chunk) {
                long to = Math.min(sessions, from + chunk);
                webEvents(s, spec, from, to);
                c.commit();
                progress.advance((to - from) * 5);
            }
            salesFromPurchases(s);
            storeSales(s, spec);
            c.commit();
            s.execute("set maintenance_work_mem = '256MB'");
            for (String definition : indexes.stream().map(d -> d.split("\u0000")[1]).toList()) {
                s.execute(definition);
                c.commit();
            }
            s.execute("comment on table dw.fact_web_event is 'One row per web/mobile event (Browsed 30, Add To Cart "
                    + "70, Purchased 100 action points) [fixture " + spec.key() + "]'");
            c.commit();
            c.setAutoCommit(true);
            s.execute("analyze dw.dim_customer");
            s.execute("analyze dw.dim_product");
            s.execute("analyze dw.fact_web_event");
            s.execute("analyze dw.fact_sales");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot generate the fact fixture: " + e.getMessage(), e);
        }
    }

    /** "name\0definition" of the fact tables' indexes other than their primary keys. */
    private static List<String> secondaryIndexes(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select quote_ident(i.schemaname) || '.' || quote_ident(i.indexname), "
                + "i.indexdef from pg_indexes i where i.schemaname = 'dw' and i.tablename in ('fact_web_event', "
                + "'fact_sales') and not exists (select 1 from pg_constraint k where k.conname = i.indexname)")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "\u0000" + rs.getString(2));
            }
        }
        return out;
    }

    /** A uniform number in [0, 1) drawn from {@code key} and {@code salt}, the same on every run. */
    static String rnd(String key, long salt) {
        return "(((hashint8extended((" + key + ")::bigint, " + salt + ") & 2147483647) % 1000003) / 1000003.0)";
    }

    private static void customers(Statement s, Spec spec) throws SQLException {
        StringBuilder region = new StringBuilder("case");
        double cumulative = 0;
        for (int i = 0; i < REGIONS.length - 1; i++) {
            cumulative += REGION_SHARE[i];
            region.append(" when r.r_region < ").append(cumulative).append(" then '").append(REGIONS[i]).append('\'');
        }
        region.append(" else '").append(REGIONS[REGIONS.length - 1]).append("' end");
        s.execute("insert into dw.dim_customer (user_id, first_name, last_name, gender, age, region, signup_date) "
                + "select i, (array['Amy','Bob','Chen','Dana','Eli','Fatima','Goran','Hana','Ivan','Jun','Kofi','Lena'])"
                + "[1 + floor(r.r_first * 12)::int], "
                + "(array['Smith','Garcia','Kim','Novak','Okafor','Silva','Tanaka','Weber','Jones','Rossi'])"
                + "[1 + floor(r.r_last * 10)::int], "
                + "case when r.r_gender < 0.48 then 'F' when r.r_gender < 0.96 then 'M' else 'U' end, "
                + "case when r.r_age < 0.03 then null else least(90, 16 + floor(((r.r_age + r.r_age2 + r.r_age3) / 3) "
                + "* 60)::int) end, "
                + region + ", "
                + "date '" + spec.start() + "' - floor(r.r_signup * 1500)::int "
                + "from generate_series(1, " + spec.customers() + ") as i "
                + "cross join lateral (select " + rnd("i", spec.seed() + 1) + " as r_first, "
                + rnd("i", spec.seed() + 2) + " as r_last, " + rnd("i", spec.seed() + 3) + " as r_gender, "
                + rnd("i", spec.seed() + 4) + " as r_age, " + rnd("i", spec.seed() + 5) + " as r_age2, "
                + rnd("i", spec.seed() + 6) + " as r_age3, " + rnd("i", spec.seed() + 7) + " as r_region, "
                + rnd("i", spec.seed() + 8) + " as r_signup) as r");
    }

    private static void products(Statement s, Spec spec) throws SQLException {
        String categories = "(array['" + String.join("','", CATEGORIES) + "'])";
        LocalDate change = spec.start().plusDays(spec.days() / 2);
        String common = "select i, {name}, " + categories + "[1 + (i - 1) % " + CATEGORIES.length + "], "
                + "round((exp(ln(5) + " + rnd("i", spec.seed() + 11) + " * ln(100)) * {factor})::numeric, 2), "
                + "round((0.45 + " + rnd("i", spec.seed() + 12) + " * 0.2)::numeric, 4), "
                + "date '" + spec.start() + "' - floor(" + rnd("i", spec.seed() + 13) + " * 900)::int, {from}, {to}, "
                + "{current} from generate_series(1, " + spec.products() + ") as i where {where}";
        String name = categories + "[1 + (i - 1) % " + CATEGORIES.length + "] || ' ' || lpad(i::text, 4, '0')";
        String insert = "insert into dw.dim_product (product_id, product_name, category, price, discount_rate, "
                + "introduced, valid_from, valid_to, is_current) ";
        // first versions of re-priced products, valid until the change
        s.execute(insert + common.replace("{name}", name + " || ' (first edition)'").replace("{factor}", "0.9")
                .replace("{from}", "'-infinity'").replace("{to}", "timestamptz '" + change + " 00:00:00+00'")
                .replace("{current}", "false").replace("{where}", "i % 10 = 0"));
        // current versions
        s.execute(insert + common.replace("{name}", name).replace("{factor}", "1.0")
                .replace("{from}", "case when i % 10 = 0 then timestamptz '" + change + " 00:00:00+00' "
                        + "else '-infinity' end").replace("{to}", "'infinity'").replace("{current}", "true")
                .replace("{where}", "true"));
    }

    private static void webEvents(Statement s, Spec spec, long fromSession, long toSession) throws SQLException {
        long seed = spec.seed();
        String sess = "g.sess";
        String event = "(e.sess * 8 + e.pos)";
        s.execute("insert into dw.fact_web_event (event_ts, date_key, session_id, customer_key, user_id, product_key, "
                + "product_id, channel_key, action, quantity, price, total, referral_url, page_stop_seconds) "
                + "select e.ts, d.date_key, 's' || e.sess, c.customer_key, c.user_id, p.product_key, p.product_id, "
                + "e.channel, e.action, e.qty, p.price, e.qty * p.price, e.referral, e.stop "
                + "from (select e.sess, e.day, e.channel, e.referral, "
                + "  timestamptz '" + spec.start() + " 00:00:00+00' + ((e.day * 86400 + e.secs + e.pos * 40) "
                + "    * interval '1 second') as ts, e.uid, "
                + "  case when e.pos >= 3 then e.cart_pid else 1 + floor(power(" + rnd(event, seed + 26) + ", 2) * "
                + spec.products() + ")::int end as pid, "
                + "  case when e.pos = 3 and e.cart then 'Add To Cart' "
                + "       when e.pos = 4 and e.cart and e.buy then 'Purchased' "
                + "       when e.pos = 4 and e.cart then 'Add To Cart' else 'Browsed' end as action, "
                + "  case when e.pos >= 3 and e.cart then e.qty else 0 end as qty, "
                + "  floor(-ln(1 - " + rnd(event, seed + 31) + ") * 45)::int as stop "
                + " from (select s.*, k.pos from (select g.sess, "
                + "    floor(sqrt(" + rnd(sess, seed + 21) + ") * " + spec.days() + ")::int as day, "
                + "    floor(" + rnd(sess, seed + 22) + " * 86000)::int as secs, "
                + "    1 + floor(power(" + rnd(sess, seed + 23) + ", 1.6) * " + spec.customers() + ")::int as uid, "
                + "    case when " + rnd(sess, seed + 24) + " < 0.6 then 2 else 3 end as channel, "
                + "    1 + floor(power(" + rnd(sess, seed + 25) + ", 2) * " + spec.products() + ")::int as cart_pid, "
                + "    " + rnd(sess, seed + 27) + " < 0.35 as cart, "
                + "    " + rnd(sess, seed + 28) + " < 0.55 as buy, "
                + "    1 + floor(" + rnd(sess, seed + 29) + " * 3)::int as qty, "
                + "    (array['https://www.bing.com/','https://www.google.com/','https://www.facebook.com/',"
                + "'https://wideworldimporters.com/deals',null])[1 + floor(" + rnd(sess, seed + 30) + " * 5)::int] "
                + "      as referral "
                + "   from generate_series(" + fromSession + ", " + (toSession - 1) + ") as g(sess)) as s "
                + "   cross join generate_series(0, 4) as k(pos)) as e) as e "
                + "join dw.dim_date d on d.date = date '" + spec.start() + "' + e.day "
                + "join dw.dim_customer c on c.user_id = e.uid "
                + "join dw.dim_product p on p.product_id = e.pid and e.ts >= p.valid_from and e.ts < p.valid_to");
    }

    private static void salesFromPurchases(Statement s) throws SQLException {
        s.execute("insert into dw.fact_sales (sale_ts, date_key, order_id, customer_key, product_key, channel_key, "
                + "quantity, unit_price, total) "
                + "select event_ts, date_key, session_id, customer_key, product_key, channel_key, quantity, price, total "
                + "from dw.fact_web_event where action = 'Purchased' and quantity > 0");
    }

    private static void storeSales(Statement s, Spec spec) throws SQLException {
        long seed = spec.seed();
        long lines = Math.max(1, spec.events() / 20);
        String order = "(l.line / 3)";
        s.execute("insert into dw.fact_sales (sale_ts, date_key, order_id, customer_key, product_key, channel_key, "
                + "quantity, unit_price, total) "
                + "select e.ts, to_char(e.ts at time zone 'UTC', 'YYYYMMDD')::int, 'store-' || e.ord, c.customer_key, "
                + "p.product_key, 1, e.qty, p.price, e.qty * p.price "
                + "from (select " + order + " as ord, "
                + "  (timestamptz '" + spec.start() + " 08:00:00+00' + make_interval(days => floor(sqrt("
                + rnd(order, seed + 41) + ") * " + spec.days() + ")::int, secs => floor(" + rnd(order, seed + 42)
                + " * 43000))) as ts, "
                + "  case when " + rnd(order, seed + 43) + " < 0.5 then -1 else 1 + floor(power(" + rnd(order, seed + 44)
                + ", 1.6) * " + spec.customers() + ")::int end as uid, "
                + "  1 + floor(power(" + rnd("l.line", seed + 45) + ", 2) * " + spec.products() + ")::int as pid, "
                + "  1 + floor(" + rnd("l.line", seed + 46) + " * 5)::int as qty "
                + " from generate_series(0, " + (lines - 1) + ") as l(line)) as e "
                + "join dw.dim_customer c on c.user_id = e.uid "
                + "join dw.dim_product p on p.product_id = e.pid and e.ts >= p.valid_from and e.ts < p.valid_to");
    }
}
