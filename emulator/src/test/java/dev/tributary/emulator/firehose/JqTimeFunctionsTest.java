package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values were produced by the jq 1.6 binary ({@code echo <input> | jq -c '<query>'}). */
class JqTimeFunctionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String jq(String input, String query) throws Exception {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        JqTimeFunctions.register(scope);
        List<JsonNode> out = new ArrayList<>();
        JsonQuery.compile(query, Versions.JQ_1_6).apply(Scope.newChildScope(scope), JSON.readTree(input), out::add);
        assertThat(out).hasSize(1);
        return JSON.writeValueAsString(out.get(0));
    }

    @Test
    void theFirehoseDocumentationExampleYieldsTheYear() {
        JqPartitionKeys q = new JqPartitionKeys(
                "{customer_id: .customer_id, device: .type.device, year: .event_timestamp| strftime(\"%Y\")}");
        assertThat(q.apply(("{\"event_timestamp\":1565382027,\"customer_id\":\"1234567890\","
                + "\"type\":{\"device\":\"mobile\"}}").getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("customer_id", "1234567890", "device", "mobile", "year", "2019"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1565382027.5|%Y|\"2019\"",
        "1565382027.5|%Y-%m-%d %H:%M:%S|\"2019-08-09 20:20:27\"",
        "1565382027.5|%a %A %b %B %c|\"Fri Friday Aug August Fri Aug  9 20:20:27 2019\"",
        "1565382027.5|%C %d %D %e %F %g %G %h|\"20 09 08/09/19  9 2019-08-09 19 2019 Aug\"",
        "1565382027.5|%I %j %k %l %p %r %R %s|\"08 221 20  8 PM 08:20:27 PM 20:20 1565382027\"",
        "1565382027.5|%T %u %U %V %w %W %y %z %Z %%|\"20:20:27 5 31 32 5 31 19 +0000 UTC %\"",
        "1565382027.5|%x %X %Q|\"08/09/19 20:20:27 %Q\"",
        "1609459200|%G-W%V-%u %g %U %W %j %a %e %I%p %C|\"2020-W53-5 20 00 00 001 Fri  1 12AM 20\"",
        "1546214400|%G-W%V-%u %g %U %W %j %a %e %I%p %C|\"2019-W01-1 19 52 53 365 Mon 31 12AM 20\"",
        "0|%G-W%V-%u %g %U %W %j %a %e %I%p %C|\"1970-W01-4 70 00 00 001 Thu  1 12AM 19\"",
        "951782400|%G-W%V-%u %g %U %W %j %a %e %I%p %C|\"2000-W09-2 00 09 09 060 Tue 29 12AM 20\"",
        "4102444799|%G-W%V-%u %g %U %W %j %a %e %I%p %C|\"2099-W53-4 99 52 52 365 Thu 31 11PM 20\"",
        "-1|%Y-%m-%d %H:%M:%S|\"1969-12-31 23:59:59\"",
        "1e12|%Y|\"33658\"",
        "[2020,1,29,12,0,0,6,59]|%F %T %A %B|\"2020-02-29 12:00:00 Saturday February\"",
        "[2019,7,9,20,20,27,0,0]|%Y-%m-%d %j %a %U|\"2019-08-09 001 Sun 01\"",
    })
    void strftimeMatchesJq16(String input, String format, String expected) throws Exception {
        assertThat(jq(input, "strftime(" + JSON.writeValueAsString(format) + ")")).isEqualTo(expected);
    }

    @Test
    void gmtimeMktimeTodateAndFromdateMatchJq16() throws Exception {
        assertThat(jq("1565382027.5", "gmtime")).isEqualTo("[2019,7,9,20,20,27.5,5,220]");
        assertThat(jq("1609459200", "gmtime")).isEqualTo("[2021,0,1,0,0,0,5,0]");
        assertThat(jq("1565382027", "gmtime|mktime")).isEqualTo("1565382027");
        assertThat(jq("[2020,1,29,12,0,0,6,59]", "mktime")).isEqualTo("1582977600");
        assertThat(jq("[2020,1,29,12,0,0,6,59]", "todate")).isEqualTo("\"2020-02-29T12:00:00Z\"");
        assertThat(jq("1565382027", "todate")).isEqualTo("\"2019-08-09T20:20:27Z\"");
        assertThat(jq("\"2015-03-05T23:51:47Z\"", "fromdate")).isEqualTo("1425599507");
    }

    @Test
    void inputsThatAreNotTimesFailWithJqsMessages() {
        assertThatThrownBy(() -> jq("\"1565382027\"", "strftime(\"%Y\")")).isInstanceOf(JsonQueryException.class)
                .hasMessage("strftime/1 requires parsed datetime inputs");
        assertThatThrownBy(() -> jq("[2019,7,9,20,20,27]", "strftime(\"%Y\")")).isInstanceOf(JsonQueryException.class)
                .hasMessage("strftime/1 requires parsed datetime inputs");
        assertThatThrownBy(() -> jq("null", "strftime(\"%Y\")")).isInstanceOf(JsonQueryException.class)
                .hasMessage("strftime/1 requires parsed datetime inputs");
        assertThatThrownBy(() -> jq("1", "strftime(1)")).isInstanceOf(JsonQueryException.class)
                .hasMessage("strftime/1 requires a string format");
        assertThatThrownBy(() -> jq("[2019,7]", "mktime")).isInstanceOf(JsonQueryException.class)
                .hasMessage("mktime requires parsed datetime inputs");
    }

    @Test
    void aRecordWithoutATimestampFailsExtraction() {
        JqPartitionKeys q = new JqPartitionKeys("{year: .ts|strftime(\"%Y\")}");
        assertThatThrownBy(() -> q.apply("{\"ts\":\"soon\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The query {year: .ts|strftime(\"%Y\")} failed: strftime/1 requires parsed datetime inputs");
    }
}
