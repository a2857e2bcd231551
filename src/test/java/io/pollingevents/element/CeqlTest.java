package io.pollingevents.element;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CeqlTest {

    @Test
    void readsClausesJoinedByAndWithPlaceholdersHoldingQuotes() {
        Ceql where = Ceql.parse("LastModifyDate>'${date:yyyy-MM-dd'T'HH:mm:ssXXX}' and Type = 'Contact' AND score>=3");

        assertThat(where.clauses()).containsExactly(
                new Ceql.Clause("LastModifyDate", ">", "${date:yyyy-MM-dd'T'HH:mm:ssXXX}"),
                new Ceql.Clause("Type", "=", "Contact"),
                new Ceql.Clause("score", ">=", "3"));
    }

    @Test
    void readsEveryOperatorAndDoubledQuotes() {
        assertThat(Ceql.parse("a!='x''y' AND b<'1' AND c<='2' AND d>'3' AND e='4'").clauses())
                .extracting(Ceql.Clause::op).containsExactly("!=", "<", "<=", ">", "=");
        assertThat(Ceql.parse("a='it''s'").clauses().get(0).value()).isEqualTo("it's");
    }

    @Test
    void refusesWhatItCannotReadNamingTheClause() {
        assertThatThrownBy(() -> Ceql.parse("name like 'A%'")).hasMessageContaining("'name' is followed by 'like'")
                .hasMessageContaining("LIKE is not");
        assertThatThrownBy(() -> Ceql.parse("a='1' OR b='2'")).hasMessageContaining("OR is not supported");
        assertThatThrownBy(() -> Ceql.parse("a='1' AND")).hasMessageContaining("ends with AND");
        assertThatThrownBy(() -> Ceql.parse("a='open")).hasMessageContaining("no closing '");
        assertThatThrownBy(() -> Ceql.parse("='1'")).hasMessageContaining("expected a field name");
        assertThatThrownBy(() -> Ceql.parse("a=")).hasMessageContaining("'a=' has no value");
    }
}
