package io.pollingevents.element;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * How CEQL clauses on one field become a vendor filter: as a query parameter ({@code param}), or as an object
 * {@code {"<field>":{"<vendor op>":"<value>"}}} appended to the array at {@code appendTo} in the JSON body.
 *
 * @param field   the CEQL field, or {@code *} for any field
 * @param ops     the CEQL operators this rule takes
 * @param param   query parameter that receives the value
 * @param appendTo JSON Pointer to an array in the body template
 * @param opNames the vendor's name of each CEQL operator, for {@code appendTo}
 */
@JsonIgnoreProperties(value = {"description"})
public record WhereRule(String field, List<String> ops, String param, String appendTo, Map<String, String> opNames) {
    public WhereRule {
        ops = ops == null ? List.of("=") : ops;
        opNames = opNames == null ? Map.of() : opNames;
    }

    boolean matches(Ceql.Clause clause) {
        return ("*".equals(field) || field.equals(clause.field())) && ops.contains(clause.op());
    }

    /** What the rule accepts, for error messages: {@code updatedAfter = (query parameter updatedAfter)}. */
    String describe() {
        String target = param != null ? "query parameter " + param : "body " + appendTo;
        return ("*".equals(field) ? "any field" : field) + " " + String.join(" or ", ops) + " (" + target + ")";
    }

    /** Problems of the rule as declared, each naming the fix. */
    List<String> problems() {
        java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        if (field == null || field.isBlank()) {
            problems.add("where rule without 'field'; name the CEQL field or use \"*\"");
        }
        if ((param == null) == (appendTo == null)) {
            problems.add("where rule for '" + field + "' needs exactly one of 'param' (query parameter) or 'appendTo' (body array)");
        }
        for (String op : ops) {
            if (!Ceql.OPERATORS.contains(op)) {
                problems.add("where rule for '" + field + "': operator '" + op + "' is not CEQL; use " + String.join(" ", Ceql.OPERATORS));
            } else if (appendTo != null && !opNames.containsKey(op)) {
                problems.add("where rule for '" + field + "': opNames has no vendor name for '" + op + "'");
            }
        }
        return problems;
    }
}
