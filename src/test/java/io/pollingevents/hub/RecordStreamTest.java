package io.pollingevents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordStreamTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static RecordStream stream(String json, String records, String cursor) throws Exception {
        return new RecordStream(MAPPER, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), records, cursor, "GET /x");
    }

    static List<String> ids(RecordStream stream) {
        List<String> ids = new ArrayList<>();
        stream.forEachRemaining(r -> ids.add(r.path("id").asText()));
        return ids;
    }

    @Test
    void readsARootArray() throws Exception {
        RecordStream s = stream("[{\"id\":\"a\",\"tags\":[1,2]},{\"id\":\"b\"}]", "", null);
        assertThat(ids(s)).containsExactly("a", "b");
        assertThat(s.count()).isEqualTo(2);
    }

    @Test
    void readsANestedArrayAndACursorBeforeOrAfterIt() throws Exception {
        RecordStream after = stream("{\"meta\":{\"x\":[1]},\"data\":{\"items\":[{\"id\":\"a\"}]},\"page\":{\"next\":\"c2\"}}",
                "/data/items", "/page/next");
        assertThat(ids(after)).containsExactly("a");
        assertThat(after.cursor()).isEqualTo("c2");

        RecordStream before = stream("{\"nextPageId\":\"p9\",\"records\":[{\"id\":\"a\"},{\"id\":\"b\"}]}", "/records", "/nextPageId");
        assertThat(ids(before)).containsExactly("a", "b");
        assertThat(before.cursor()).isEqualTo("p9");

        RecordStream last = stream("{\"nextPageId\":null,\"records\":[]}", "/records", "/nextPageId");
        assertThat(ids(last)).isEmpty();
        assertThat(last.cursor()).isNull();
    }

    @Test
    void missingRecordsPathIsAnEmptyPage() throws Exception {
        assertThat(ids(stream("{\"other\":[{\"id\":\"a\"}]}", "/records", null))).isEmpty();
    }

    @Test
    void objectWhereTheArrayShouldBeIsExplained() throws Exception {
        assertThatThrownBy(() -> ids(stream("{\"records\":{\"id\":\"a\"}}", "/records", null)))
                .isInstanceOf(HubCallException.class).hasMessageContaining("records array was expected");
        assertThatThrownBy(() -> ids(stream("{\"candidates\":[]}", "", null)))
                .isInstanceOf(HubCallException.class).hasMessageContaining("records array was expected");
    }

    @Test
    void invalidJsonNamesTheSource() throws Exception {
        assertThatThrownBy(() -> ids(stream("[{\"id\":\"a\"},{\"id\":", "", null))).hasMessageContaining("GET /x").hasMessageContaining("invalid JSON");
    }

    @Test
    void streamsAMillionRecordsWithoutHoldingThem() throws Exception {
        int n = 1_000_000;
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream("[".getBytes()));
        InputStream records = new InputStream() {
            int i;
            byte[] current = new byte[0];
            int pos;

            @Override
            public int read() {
                if (pos == current.length) {
                    if (i == n) {
                        return -1;
                    }
                    current = ((i == 0 ? "" : ",") + "{\"id\":\"r" + i + "\",\"payload\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}").getBytes();
                    pos = 0;
                    i++;
                }
                return current[pos++];
            }
        };
        parts.add(records);
        parts.add(new ByteArrayInputStream("]".getBytes()));
        RecordStream s = new RecordStream(MAPPER, new SequenceInputStream(Collections.enumeration(parts)), "", null, "GET /big");
        long count = 0;
        JsonNode last = null;
        while (s.hasNext()) {
            last = s.next();
            count++;
        }
        assertThat(count).isEqualTo(n);
        assertThat(last.path("id").asText()).isEqualTo("r" + (n - 1));
    }

    @Test
    void aNegativeCodeFailsTheStreamWithItsMessageWhereverItComes() throws Exception {
        RecordStream before = stream("{\"Code\":-5,\"Msg\":[\"Invalid search\"],\"AbEntry\":{\"Data\":[{\"id\":\"x\"}]}}",
                "/AbEntry/Data", null).failingOnNegative("/Code", "/Msg");
        assertThatThrownBy(before::hasNext).isInstanceOf(HubCallException.class)
                .hasMessage("hub answered GET /x with error code -5 (Invalid search); the watermark stays");

        RecordStream after = stream("{\"AbEntry\":{\"Data\":[]},\"Msg\":\"Token expired\",\"Code\":-2}",
                "/AbEntry/Data", null).failingOnNegative("/Code", "/Msg");
        assertThatThrownBy(after::hasNext).hasMessageContaining("error code -2 (Token expired)");

        RecordStream asText = stream("{\"Code\":\"-1\",\"Msg\":\"No access\"}", "/AbEntry/Data", null)
                .failingOnNegative("/Code", "/Msg");
        assertThatThrownBy(asText::hasNext).hasMessageContaining("error code -1 (No access)");
    }

    @Test
    void aZeroOrPositiveCodeIsAnAnswer() throws Exception {
        RecordStream ok = stream("{\"Code\":0,\"AbEntry\":{\"Data\":[{\"id\":\"a\"}],\"PageKey\":\"k2\"}}",
                "/AbEntry/Data", "/AbEntry/PageKey").failingOnNegative("/Code", "/Msg");

        assertThat(ids(ok)).containsExactly("a");
        assertThat(ok.cursor()).isEqualTo("k2");
    }
}
