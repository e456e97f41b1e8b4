package dev.tributary.emulator.msk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MskRoutesTest {
    private final MskRoutes routes = MskRoutes.load();

    @Test
    void everyOperationOfTheModelHasARoute() {
        assertThat(routes.size()).isEqualTo(64);
    }

    @Test
    void anEncodedArnIsOneLabelAndLiteralSegmentsWin() {
        String arn = "arn:aws:kafka:us-east-1:000000000000:cluster/orders/1234-1";
        String encoded = "arn%3Aaws%3Akafka%3Aus-east-1%3A000000000000%3Acluster%2Forders%2F1234-1";
        MskRoutes.Match describe = routes.match("GET", "/v1/clusters/" + encoded);
        assertThat(describe.route().operation()).isEqualTo("DescribeCluster");
        assertThat(describe.labels()).isEqualTo(Map.of("clusterArn", arn));
        assertThat(routes.match("GET", "/v1/clusters/" + encoded + "/nodes").route().operation()).isEqualTo("ListNodes");
        assertThat(routes.match("PUT", "/v1/clusters/" + encoded + "/nodes/count").route().operation())
                .isEqualTo("UpdateBrokerCount");
        assertThat(routes.match("GET", "/v1/clusters").route().operation()).isEqualTo("ListClusters");
        assertThat(routes.match("POST", "/api/v2/clusters").route().operation()).isEqualTo("CreateClusterV2");
        assertThat(routes.match("DELETE", "/v1/tags/" + encoded).route().successStatus()).isEqualTo(204);
        assertThat(routes.match("PATCH", "/v1/clusters")).isNull();
        assertThat(routes.match("GET", "/v1/nothing")).isNull();
    }

    @Test
    void mskPathsAndKafkaSignedRequestsAreTakenForMsk() {
        assertThat(MskHandler.accepts("/v1/clusters", null)).isTrue();
        assertThat(MskHandler.accepts("/my-bucket/key", null)).isFalse();
        assertThat(MskHandler.accepts("/anything",
                "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/kafka/aws4_request, SignedHeaders=host")).isTrue();
    }
}
