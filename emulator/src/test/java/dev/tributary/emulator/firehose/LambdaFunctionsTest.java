package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.firehose.processing.LambdaProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaFunctionsTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:f";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answerRecordsAreReadWithDataAndPartitionKeys() throws Exception {
        List<LambdaProcessor.Output> out = LambdaFunctions.parse(b("{\"records\":[{\"recordId\":\"1\",\"result\":\"Ok\","
                + "\"data\":\"QQ==\",\"metadata\":{\"partitionKeys\":{\"k\":\"v\",\"n\":3,\"z\":null}}},"
                + "{\"recordId\":\"2\",\"result\":\"Dropped\"}]}"));
        assertThat(out).hasSize(2);
        assertThat(out.get(0).recordId()).isEqualTo("1");
        assertThat(out.get(0).data()).isEqualTo(b("A"));
        assertThat(out.get(0).partitionKeys()).containsOnly(Map.entry("k", "v"), Map.entry("n", "3"));
        assertThat(out.get(1).result()).isEqualTo("Dropped");
        assertThat(out.get(1).data()).isNull();
    }

    @Test
    void anAnswerThatIsNotTheDocumentedJsonIsAJsonProcessingException() {
        for (String body : new String[] {"nope", "{}", "{\"records\":{}}"}) {
            assertThatThrownBy(() -> LambdaFunctions.parse(b(body)))
                    .isInstanceOfSatisfying(LambdaProcessor.InvocationException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("Lambda.JsonProcessingException"))
                    .hasMessage("The function's answer is not a JSON object with a records array.");
        }
        assertThatThrownBy(() -> LambdaFunctions.parse(b("{\"records\":[{\"recordId\":\"1\",\"data\":\"%%\"}]}")))
                .hasMessage("The data of record 1 is not base64.");
    }

    @Test
    void anUnmappedFunctionFailsTheInvocationAndBadUrlsAreRefused() {
        LambdaFunctions functions = new LambdaFunctions(Map.of());
        assertThatThrownBy(() -> functions.transformer(ARN, "arn:s", "us-east-1")
                .invoke(List.of(new LambdaProcessor.Input("1", 0, b("a")))))
                .isInstanceOfSatisfying(LambdaProcessor.InvocationException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("Lambda.FunctionError"))
                .hasMessageContaining("Tributary has no URL for the function " + ARN);
        assertThatThrownBy(() -> functions.put(ARN, "file:///etc/passwd"))
                .hasMessage("the URL must be http:// or https:// with a host: file:///etc/passwd");
        functions.put(ARN, "http://127.0.0.1:1/f");
        assertThat(functions.all()).containsExactlyEntriesOf(Map.of(ARN, "http://127.0.0.1:1/f"));
        functions.put(ARN, null);
        assertThat(functions.all()).isEmpty();
    }
}
