package org.wwi.external.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** T-SQL statements prepared for Calcite and PostgreSQL: bracketed identifiers and OPTION clauses. */
class TestSqlText {

    @Test
    void bracketedIdentifiersBecomeQuotedLowerCaseNames() {
        SqlText.Prepared p = SqlText.prepare("SELECT [UserId], [Total Price] AS [Sum]]s] FROM [dbo].[WebLogs] w "
                + "WHERE w.[Action] = '[not a name]'");
        assertThat(p.sql()).isEqualTo("SELECT \"userid\", \"total price\" AS \"sum]s\" FROM \"dbo\".\"weblogs\" w "
                + "WHERE w.\"action\" = '[not a name]'");
        assertThat(p.label()).isEmpty();
        assertThat(p.notices()).isEmpty();
    }

    @Test
    void postgresSubscriptsAndArraysKeepTheirBrackets() {
        String sql = "select a[1], (f(x))[2], m[1][2], array[1, 2], '{1}'::int[], b [3] from t";
        // "b [3]" has a blank before the bracket: T-SQL would read an identifier there, and so do we
        assertThat(SqlText.prepare(sql).sql())
                .isEqualTo("select a[1], (f(x))[2], m[1][2], array[1, 2], '{1}'::int[], b \"3\" from t");
        assertThat(SqlText.prepare("select x from t where y = any (array [1])").sql()).contains("array [1]");
        assertThat(SqlText.prepare("select [unclosed from t").sql()).isEqualTo("select [unclosed from t");
    }

    @Test
    void postgresStringsAndBodiesAreNotRewritten() {
        for (String sql : new String[] {
                "create function f() returns int language sql as $$ select [x] from t $$",
                "create function f() returns int language sql as $body$ select '[x]' $body$"}) {
            assertThat(SqlText.prepare(sql).sql()).isEqualTo(sql);
        }
        // E'…' escapes its quote with a backslash; $1 is a parameter, not a dollar quote
        assertThat(SqlText.prepare("select E'it\\'s [x]', e'\\\\' as [y]").sql())
                .isEqualTo("select E'it\\'s [x]', e'\\\\' as \"y\"");
        assertThat(SqlText.prepare("select $1, [x] from t").sql()).isEqualTo("select $1, \"x\" from t");
    }

    @Test
    void aTrailingOptionClauseIsTakenOffWithItsLabel() {
        SqlText.Prepared p = SqlText.prepare("CREATE TABLE [stg].[Sales] WITH (DISTRIBUTION = HASH([SaleId])) "
                + "AS SELECT * FROM [ext].[Sales]\nOPTION (LABEL = 'CTAS : Load [stg].[Sales]')");
        assertThat(p.sql()).isEqualTo("CREATE TABLE \"stg\".\"sales\" WITH (DISTRIBUTION = HASH(\"saleid\")) "
                + "AS SELECT * FROM \"ext\".\"sales\"");
        assertThat(p.label()).hasValue("CTAS : Load [stg].[Sales]");
        assertThat(p.notices()).isEmpty();

        SqlText.Prepared hints = SqlText.prepare("select count(*) from ext.t option (hash join, label = 'x', maxdop 2)");
        assertThat(hints.sql()).isEqualTo("select count(*) from ext.t");
        assertThat(hints.label()).hasValue("x");
        assertThat(hints.notices()).containsExactly(
                "query hint hash join ignored (PostgreSQL plans the statement itself)",
                "query hint maxdop 2 ignored (PostgreSQL plans the statement itself)");
    }

    @Test
    void optionElsewhereIsLeftAlone() {
        // not at the end, inside a subquery, or not a query: PostgreSQL's own statements pass as written
        for (String sql : new String[] {
                "select option from t",
                "select * from (select 1 option (x)) q",
                "alter server s options (set host 'h')",
                "create foreign table f (a int) server s options (table_name 'x')"}) {
            assertThat(SqlText.prepare(sql).sql()).isEqualTo(sql);
            assertThat(SqlText.prepare(sql).label()).isEmpty();
        }
    }
}
