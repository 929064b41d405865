using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Unauthenticated, malformed and out-of-bounds input gets a clear error status; the coordinator keeps serving.
/// One coordinator serves the whole class (each test reports for its own node), so every test after the first also
/// shows that the hostile input before it left the coordinator serving.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileInputTests(HostileInputTests.SharedCoordinator shared) : IClassFixture<HostileInputTests.SharedCoordinator>, IDisposable
{
    private readonly string _node = $"e2e-hostile-{Guid.NewGuid():N}"[..24];
    // A channel of its own per test: a stream the server reset (oversized, garbage) must not cancel the next test's call.
    private readonly IngestClient _client = new(shared.Coordinator.GrpcAddress);
    private CoordinatorUnderTest Server => shared.Coordinator;

    public void Dispose() => _client.Dispose();

    public sealed class SharedCoordinator : IAsyncLifetime
    {
        public CoordinatorUnderTest Coordinator { get; } = new(Database.Sqlite());

        public Task InitializeAsync() => Coordinator.StartAsync();

        public async Task DisposeAsync() => await Coordinator.DisposeAsync();
    }

    [Fact]
    public async Task Stream_without_a_token_is_unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(token: null, Hello()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("bearer token", error.Status.Detail);
    }

    [Fact]
    public async Task Stream_with_a_wrong_token_is_unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange("not-the-token", Hello()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Stream_that_does_not_start_with_a_hello_is_rejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(CoordinatorUnderTest.Token, Batch(Finding(1))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("hello", error.Status.Detail);
    }

    [Fact]
    public async Task Hello_with_an_invalid_node_name_is_rejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(CoordinatorUnderTest.Token,
            new AgentMessage(Hello: new AgentHello("Not_A_Node/../x", "boot", "1", []))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Second_hello_on_a_stream_is_rejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(CoordinatorUnderTest.Token, Hello(), IngestClient.Hello("another-node")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("one hello", error.Status.Detail);
    }

    [Fact]
    public async Task Agent_cannot_report_for_another_node()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(CoordinatorUnderTest.Token,
            Hello(), Batch(Finding(1) with { NodeName = "someone-else" })));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData("unknown severity")]
    [InlineData("empty reason")]
    [InlineData("zero sequence")]
    [InlineData("unknown condition")]
    public async Task Finding_with_invalid_fields_is_rejected_with_the_field_named(string defect)
    {
        var finding = defect switch
        {
            "unknown severity" => Finding(1) with { Severity = (Severity)42 },
            "empty reason" => Finding(1) with { Reason = "" },
            "zero sequence" => Finding(1) with { Sequence = 0 },
            _ => Finding(1) with { Condition = ConditionType.Unknown },
        };
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(CoordinatorUnderTest.Token, Hello(), Batch(finding)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("finding 0", error.Status.Detail);
    }

    [Fact]
    public async Task Message_declared_larger_than_the_limit_is_refused_before_it_is_read()
    {
        var declared = 2 * IngestLimits.MaxMessageBytes;
        byte[] frame = [0, (byte)(declared >> 24), (byte)(declared >> 16), (byte)(declared >> 8), (byte)declared, 0x0A, 0x00];

        var status = await SendRawGrpcFrameAsync(frame);

        Assert.Equal(((int)StatusCode.ResourceExhausted).ToString(), status);
    }

    [Fact]
    public async Task Oversized_finding_from_a_real_client_ends_the_stream_and_the_coordinator_keeps_serving()
    {
        var huge = Finding(1) with { Message = new string('x', 2 * IngestLimits.MaxMessageBytes) };
        var error = await Assert.ThrowsAsync<RpcException>(() => Exchange(CoordinatorUnderTest.Token, Hello(), Batch(huge)));
        // The server answers ResourceExhausted while the client is still sending the body; HTTP/2 then resets
        // the stream, and depending on which the client sees first it reports that status or Cancelled.
        // The status itself is pinned by the raw-frame test above.
        Assert.Contains(error.StatusCode, new[] { StatusCode.ResourceExhausted, StatusCode.Cancelled });

        var replies = await Exchange(CoordinatorUnderTest.Token, Hello(), Batch(Finding(2)));
        Assert.Equal(2, replies[^1].Ack!.UpToSequence);
        Assert.Equal(["finding 2"], (await Server.NodeAsync(_node)).Findings().Select(f => f.Text("message")));
    }

    [Fact]
    public async Task Garbage_bytes_instead_of_protobuf_get_an_error_status_and_the_coordinator_keeps_serving()
    {
        byte[] frame = [0, 0, 0, 0, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F];

        var status = await SendRawGrpcFrameAsync(frame);

        Assert.True(status is not null and not "0", $"expected a gRPC error status, got {status ?? "none"}");
        var replies = await Exchange(CoordinatorUnderTest.Token, Hello(), Batch(Finding(1)));
        Assert.Equal(1, replies[^1].Ack!.UpToSequence);
    }

    [Fact]
    public async Task Valid_batch_is_acknowledged_and_its_resend_is_counted_as_duplicate()
    {
        var first = await Exchange(CoordinatorUnderTest.Token, Hello(), Batch(Finding(1), Finding(2)));
        Assert.Equal(new BatchAck("boot-1", 2, 2, 0), first[^1].Ack);

        var resent = await Exchange(CoordinatorUnderTest.Token, Hello(), Batch(Finding(1), Finding(2), Finding(3)));
        Assert.Equal(new BatchAck("boot-1", 3, 1, 2), resent[^1].Ack);
        var view = await Server.NodeAsync(_node);
        Assert.Equal(3, view.Findings().Count());
    }

    [Fact]
    public async Task Rest_queries_for_unknown_or_invalid_nodes_get_404_and_400()
    {
        using var unknown = await Server.Http.GetAsync("/api/nodes/never-seen-node");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var invalid = await Server.Http.GetAsync("/api/nodes/Bad_Name!");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        using var tooLong = await Server.Http.GetAsync("/api/nodes/" + new string('a', 300));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        using var list = await Server.Http.GetAsync("/api/nodes");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain("never-seen-node", await list.Content.ReadAsStringAsync());
    }

    /// <summary>Posts one complete request body to the ingest method over HTTP/2 and returns the grpc-status it ends with.</summary>
    private async Task<string?> SendRawGrpcFrameAsync(byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.GrpcAddress, "/nodehealth.FindingIngest/Connect"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact, // HTTP/2 with prior knowledge, as gRPC without TLS
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.Add("authorization", "Bearer " + CoordinatorUnderTest.Token);
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.TrailingHeaders.TryGetValues("grpc-status", out var trailing) ? trailing.Single()
            : response.Headers.TryGetValues("grpc-status", out var leading) ? leading.Single() : null;
    }

    private Task<List<CoordinatorMessage>> Exchange(string? token, params AgentMessage[] messages) => _client.ExchangeAsync(token, messages);

    private AgentMessage Hello() => IngestClient.Hello(_node);

    private static AgentMessage Batch(params Finding[] findings) => IngestClient.Batch(findings);

    private Finding Finding(long sequence) => IngestClient.Finding(_node, sequence);
}
