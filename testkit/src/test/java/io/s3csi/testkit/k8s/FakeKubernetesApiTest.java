package io.s3csi.testkit.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeKubernetesApiTest {
  private final FakeKubernetesApi api = FakeKubernetesApi.start();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> send(String method, String path, String type, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path));
    if (type != null) {
      request.header("Content-Type", type);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void url_started_isLoopbackWithPort() {
    assertThat(api.url()).matches("http://127\\.0\\.0\\.1:[0-9]+");
  }

  @Test
  void get_seededObject_returnsItWithKindAndMetadata() throws Exception {
    api.put("serviceaccounts", "ns1", "sa1", "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}");

    HttpResponse<String> response =
        send("GET", "/api/v1/namespaces/ns1/serviceaccounts/sa1", null, null);

    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> object = Json.parseObject(response.body());
    assertThat(object).containsEntry("kind", "ServiceAccount").containsEntry("apiVersion", "v1");
    assertThat(object.get("metadata").toString())
        .contains("name=sa1", "namespace=ns1", "annotations={a=b}");
  }

  @Test
  void get_missingObject_is404Status() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/nodes/missing", null, null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Json.parseObject(response.body()))
        .containsEntry("kind", "Status")
        .containsEntry("reason", "NotFound")
        .containsEntry("message", "nodes \"missing\" not found");
  }

  @Test
  void create_twice_secondIsConflict() throws Exception {
    String pod = "{\"metadata\":{\"name\":\"p1\"}}";

    assertThat(send("POST", "/api/v1/namespaces/ns/pods", "application/json", pod).statusCode())
        .isEqualTo(201);
    HttpResponse<String> second =
        send("POST", "/api/v1/namespaces/ns/pods", "application/json", pod);

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(api.get("pods", "ns", "p1")).isPresent();
  }

  @Test
  void create_generateName_storesUnderAGeneratedName() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces/ns/events",
        "application/json",
        "{\"metadata\":{\"generateName\":\"p1.\"},\"reason\":\"Failed\"}");

    List<String> events = api.list("events", "ns");
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).contains("\"name\":\"p1.", "\"reason\":\"Failed\"");
  }

  @Test
  void list_namespaced_returnsOnlyThatNamespace() throws Exception {
    api.put("secrets", "a", "s1", "{}");
    api.put("secrets", "b", "s2", "{}");

    HttpResponse<String> response = send("GET", "/api/v1/namespaces/a/secrets", null, null);

    assertThat(Json.parseObject(response.body())).containsEntry("kind", "SecretList");
    assertThat(response.body()).contains("\"s1\"").doesNotContain("\"s2\"");
    assertThat(api.list("secrets", null)).hasSize(2);
  }

  @Test
  void patch_mergePatch_mergesAndRemovesNulls() throws Exception {
    api.put("nodes", null, "n1", "{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}");

    HttpResponse<String> response =
        send(
            "PATCH",
            "/api/v1/nodes/n1",
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"a\":null,\"c\":\"3\"}}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(api.get("nodes", null, "n1").orElseThrow())
        .contains("\"labels\":{\"b\":\"2\",\"c\":\"3\"}");
  }

  @Test
  void patch_jsonPatchWithPassingTest_removesTheTaint() throws Exception {
    api.put(
        "nodes",
        null,
        "n1",
        "{\"spec\":{\"taints\":[{\"key\":\"x\",\"effect\":\"NoSchedule\"},{\"key\":\"y\",\"effect\":\"NoExecute\"}]}}");

    HttpResponse<String> response =
        send(
            "PATCH",
            "/api/v1/nodes/n1",
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/spec/taints/0/key\",\"value\":\"x\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/taints/0\"}]");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(api.get("nodes", null, "n1").orElseThrow())
        .contains("\"taints\":[{\"key\":\"y\",\"effect\":\"NoExecute\"}]");
  }

  @Test
  void patch_jsonPatchWithFailingTest_is422AndChangesNothing() throws Exception {
    api.put("nodes", null, "n1", "{\"spec\":{\"taints\":[{\"key\":\"y\"}]}}");
    String before = api.get("nodes", null, "n1").orElseThrow();

    HttpResponse<String> response =
        send(
            "PATCH",
            "/api/v1/nodes/n1",
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/spec/taints/0/key\",\"value\":\"x\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/taints/0\"}]");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(Json.parseObject(response.body()))
        .containsEntry("message", "test operation failed at /spec/taints/0/key");
    assertThat(api.get("nodes", null, "n1").orElseThrow()).isEqualTo(before);
  }

  @Test
  void delete_existing_removesIt() throws Exception {
    api.put("pods", "ns", "p1", "{}");

    assertThat(send("DELETE", "/api/v1/namespaces/ns/pods/p1", null, null).statusCode())
        .isEqualTo(200);

    assertThat(api.get("pods", "ns", "p1")).isEmpty();
  }

  @Test
  void failNext_403_answersTheRbacMessageOnceThenServes() throws Exception {
    api.put("serviceaccounts", "ns1", "sa1", "{}");
    api.failNext(403);

    HttpResponse<String> denied =
        send("GET", "/api/v1/namespaces/ns1/serviceaccounts/sa1", null, null);
    HttpResponse<String> served =
        send("GET", "/api/v1/namespaces/ns1/serviceaccounts/sa1", null, null);

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(Json.parseObject(denied.body()))
        .containsEntry("reason", "Forbidden")
        .containsEntry(
            "message",
            "serviceaccounts \"sa1\" is forbidden: User \"system:serviceaccount:fake:fake\" cannot"
                + " get resource \"serviceaccounts\" in API group \"\" in the namespace \"ns1\"");
    assertThat(served.statusCode()).isEqualTo(200);
  }

  @Test
  void requests_afterCalls_recordsMethodPathTypeAndStatus() throws Exception {
    send("GET", "/api/v1/nodes/n1?pretty=true", null, null);

    RecordedRequest request = api.requests().get(0);
    assertThat(request.line()).isEqualTo("GET /api/v1/nodes/n1");
    assertThat(request.query()).contains("pretty=true");
    assertThat(request.status()).isEqualTo(404);
  }

  @Test
  void unknownResource_is404NamingTheRequest() throws Exception {
    HttpResponse<String> response = send("GET", "/apis/apps/v1/deployments", null, null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .contains("the fake Kubernetes API does not serve GET /apis/apps/v1/deployments");
  }

  @Test
  void stop_thenRequest_connectionRefused() {
    api.stop();

    assertThatThrownBy(() -> send("GET", "/api/v1/nodes", null, null))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void put_unknownResource_isRejectedNamingTheKnownOnes() {
    assertThatThrownBy(() -> api.put("deployments", "ns", "d", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "resource deployments is not one of [events, nodes, pods, secrets, serviceaccounts]");
  }
}
