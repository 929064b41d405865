using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Repair.Replace;
using NodeHealth.Coordinator.Repair.Replace.AutoScaling;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using static NodeHealth.Kubernetes.Tests.Support.ApiServer.CustomObjectSamples;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>
/// The AutoScaling provider against the Kubernetes test server and a fake Auto Scaling Query endpoint (Kestrel): the
/// signed TerminateInstanceInAutoScalingGroup call that keeps the desired capacity, and what each answer means.
/// SigV4 itself is checked against AWS's published example.
/// </summary>
public sealed class AutoScalingProviderTests : IAsyncLifetime
{
    private const string NodeA = "ip-10-0-1-5.ec2.internal";
    private const string Instance = "i-0123456789abcdef0";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);
    private readonly ConcurrentQueue<(string Authorization, string Body, string? Token)> _calls = new();
    private TestApiServer _server = null!;
    private WebApplication _aws = null!;
    private (int Status, string Xml) _answer = (200, Success);

    private const string Success = """
        <TerminateInstanceInAutoScalingGroupResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
          <TerminateInstanceInAutoScalingGroupResult><Activity><ActivityId>a1</ActivityId><AutoScalingGroupName>eks-gpu-h100-2ac6</AutoScalingGroupName>
          <Description>Terminating EC2 instance: i-0123456789abcdef0</Description><StatusCode>InProgress</StatusCode></Activity></TerminateInstanceInAutoScalingGroupResult>
        </TerminateInstanceInAutoScalingGroupResponse>
        """;

    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r1</RequestId></ErrorResponse>";

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _aws = builder.Build();
        _aws.MapPost("/", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            _calls.Enqueue((request.Headers.Authorization.ToString(), await reader.ReadToEndAsync(), request.Headers["x-amz-security-token"].FirstOrDefault()));
            return Results.Content(_answer.Xml, "text/xml", Encoding.UTF8, _answer.Status);
        });
        await _aws.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        await _server.DisposeAsync();
    }

    private NodeReplacer Replacer(ImmutableCredentials? credentials = null) => new(Writers.Api(_server),
        new ReplaceChoice(ReplaceProvider.AutoScaling, ImmutableDictionary<string, ReplaceProvider>.Empty),
        new AutoScalingClient(new HttpClient(), new Uri(_aws.Urls.First() + "/"), "us-west-2",
            _ => Task.FromResult(credentials ?? new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null)), new FixedClock(Now)));

    [Fact]
    public async Task The_instance_is_terminated_through_its_group_keeping_the_desired_capacity_in_one_signed_call()
    {
        _server.Nodes.Put(Node(NodeA, Instance));

        var outcome = await Replacer().ReplaceAsync(NodeA, "gpu-h100", CancellationToken.None);

        Assert.Equal(StepOutcome.Done($"replace through AutoScaling (pool gpu-h100): terminating instance {Instance} of node {NodeA} through Auto Scaling: " +
                                      $"its group eks-gpu-h100-2ac6 launches a replacement (desired capacity kept); Terminating EC2 instance: {Instance}"), outcome);
        var (authorization, body, token) = Assert.Single(_calls);
        Assert.Equal($"Action=TerminateInstanceInAutoScalingGroup&InstanceId={Instance}&ShouldDecrementDesiredCapacity=false&Version=2011-01-01", body);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-west-2/autoscaling/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=", authorization);
        Assert.Null(token);
        Assert.NotNull(_server.Nodes.Get(NodeA)); // The cloud controller deletes the Node once the instance is gone.
    }

    [Fact]
    public async Task Temporary_credentials_send_and_sign_their_session_token()
    {
        _server.Nodes.Put(Node(NodeA, Instance));

        await Replacer(new ImmutableCredentials("ASIAEXAMPLE", "secret", "session-token")).ReplaceAsync(NodeA, "gpu-h100", CancellationToken.None);

        var (authorization, _, token) = Assert.Single(_calls);
        Assert.Equal("session-token", token);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,", authorization);
    }

    [Theory]
    [InlineData(400, "ValidationError", "Instance Id not found - No managed instance found for instance ID: i-0123456789abcdef0", StepStatus.Done, "already terminated")]
    [InlineData(400, "Throttling", "Rate exceeded", StepStatus.Retry, "Throttling: Rate exceeded")]
    [InlineData(503, "ServiceUnavailable", "try later", StepStatus.Retry, "ServiceUnavailable")]
    [InlineData(403, "AccessDenied", "not authorized", StepStatus.Failed, "must allow autoscaling:TerminateInstanceInAutoScalingGroup")]
    [InlineData(403, "SignatureDoesNotMatch", "The request signature we calculated does not match", StepStatus.Failed, "SignatureDoesNotMatch")]
    public async Task Each_answer_of_Auto_Scaling_means_done_retry_or_failed(int status, string code, string message, StepStatus expected, string says)
    {
        _server.Nodes.Put(Node(NodeA, Instance));
        _answer = (status, Error(code, message));

        var outcome = await Replacer().ReplaceAsync(NodeA, "gpu-h100", CancellationToken.None);

        Assert.Equal(expected, outcome.Status);
        Assert.Contains(says, outcome.Detail);
    }

    [Fact]
    public async Task A_node_without_an_AWS_instance_is_not_touched_and_says_which_providers_fit()
    {
        _server.Nodes.Put(Node(NodeA));

        var outcome = await Replacer().ReplaceAsync(NodeA, "on-prem", CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("has no AWS instance in spec.providerID", outcome.Detail);
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task A_silent_endpoint_is_a_retry()
    {
        _server.Nodes.Put(Node(NodeA, Instance));
        await _aws.StopAsync();

        var outcome = await Replacer().ReplaceAsync(NodeA, "gpu-h100", CancellationToken.None);

        Assert.Equal(StepStatus.Retry, outcome.Status);
    }

    [Fact]
    public void The_signature_matches_AWS_published_example()
    {
        // The IAM ListUsers example of AWS's "Create a signed AWS API request" (Signature Version 4) documentation.
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

        SigV4.Sign(request, [], new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null), "us-east-1", "iam",
            new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc));

        Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
            SigV4.Hex(SigV4.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")));
        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
                     "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", request.Headers.GetValues("Authorization").Single());
    }

    [Theory]
    [InlineData("aws:///us-west-2a/i-0123456789abcdef0", "i-0123456789abcdef0")]
    [InlineData("aws:///us-west-2-lax-1a/i-0abc1234", "i-0abc1234")]
    [InlineData("aws://us-west-2a/i-0123456789abcdef0", null)]
    [InlineData("gce://project/zone/vm-1", null)]
    [InlineData("aws:///us-west-2a/i-0123456789abcdef0/../x", null)]
    public void The_instance_id_comes_from_an_AWS_provider_id_only(string providerId, string? instance) =>
        Assert.Equal(instance, AutoScalingProvider.InstanceOf(providerId));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
