using System.Net;
using System.Security.Authentication;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Coordinator.Security.Tls;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>
/// TLS on the ingest port: the coordinator serves its certificate from PEM files (re-read when renewed), and
/// the agent accepts it only when it chains to Agent:CoordinatorCaFile and names the host the agent dialled.
/// </summary>
public sealed class IngestTlsTests : IDisposable
{
    private const string CoordinatorName = "node-health-coordinator.node-health.svc";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nh-tls-{Guid.NewGuid():N}");
    private readonly TestCertificates _certificates;
    private static readonly AgentHello Hello = new("node-a", "run-1", "test", []);

    public IngestTlsTests()
    {
        _certificates = new TestCertificates(Path.Combine(_directory, "coordinator"));
        _certificates.IssueServer(CoordinatorName);
    }

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_agent_trusting_the_coordinators_CA_streams_over_TLS()
    {
        await using var front = await IngestFront.StartAsync(SharedToken(), IngestCertificate.Load(_certificates.CertificateFile, _certificates.KeyFile, TimeProvider.System));
        using var transport = Agent(front, CoordinatorName, CoordinatorTrust.Load(_certificates.CaFile));

        await using var connection = await transport.ConnectAsync(Hello, CancellationToken.None);

        Assert.Equal($"https://{CoordinatorName}:{front.Port} (127.0.0.1)", connection.Address);
        Assert.Equal(["shared"], front.TokensPresented);
    }

    [Fact]
    public async Task An_agent_trusting_another_CA_refuses_the_coordinator_and_says_why()
    {
        using var other = new TestCertificates(Path.Combine(_directory, "other"), "some other CA");
        await using var front = await IngestFront.StartAsync(SharedToken(), IngestCertificate.Load(_certificates.CertificateFile, _certificates.KeyFile, TimeProvider.System));
        using var transport = Agent(front, CoordinatorName, CoordinatorTrust.Load(other.CaFile));

        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => transport.ConnectAsync(Hello, CancellationToken.None));

        Assert.Contains($"the coordinator's certificate (CN={CoordinatorName}, issued by CN=node-health test CA) is not trusted by Agent:CoordinatorCaFile '{other.CaFile}'", refused.Message);
        Assert.Empty(front.TokensPresented); // The token never left the agent.
    }

    [Fact]
    public async Task A_coordinator_reached_by_a_name_its_certificate_does_not_carry_is_refused()
    {
        await using var front = await IngestFront.StartAsync(SharedToken(), IngestCertificate.Load(_certificates.CertificateFile, _certificates.KeyFile, TimeProvider.System));
        using var transport = Agent(front, "somebody-else.example", CoordinatorTrust.Load(_certificates.CaFile));

        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => transport.ConnectAsync(Hello, CancellationToken.None));

        Assert.Contains("does not name the host the agent connected to", refused.Message);
    }

    [Fact]
    public void A_renewed_certificate_is_served_once_the_files_change_and_broken_files_keep_the_old_one()
    {
        var clock = new ManualClock(DateTime.UtcNow);
        var certificate = IngestCertificate.Load(_certificates.CertificateFile, _certificates.KeyFile, clock);
        var first = certificate.Current().TargetCertificate.SerialNumber;

        var renewed = _certificates.IssueServer(CoordinatorName);
        var beforeCheck = certificate.Current().TargetCertificate.SerialNumber;
        clock.Advance(IngestCertificate.CheckEvery);
        var afterCheck = certificate.Current().TargetCertificate.SerialNumber;
        File.WriteAllText(_certificates.KeyFile, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        clock.Advance(IngestCertificate.CheckEvery);
        var whileBroken = certificate.Current().TargetCertificate.SerialNumber;

        Assert.Equal(first, beforeCheck);
        Assert.Equal(renewed, afterCheck);
        Assert.NotEqual(first, renewed);
        Assert.Equal(renewed, whileBroken);
    }

    [Fact]
    public void Malformed_PEM_files_are_refused_at_startup_naming_the_setting_and_the_file()
    {
        var garbage = Path.Combine(_directory, "garbage.pem");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        var empty = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(empty, "just text\n");

        var badCa = Assert.Throws<CoordinatorTrustException>(() => CoordinatorTrust.Load(garbage));
        var noCa = Assert.Throws<CoordinatorTrustException>(() => CoordinatorTrust.Load(empty));
        var missingCa = Assert.Throws<CoordinatorTrustException>(() => CoordinatorTrust.Load(Path.Combine(_directory, "missing.pem")));
        var badPair = Assert.Throws<IngestTlsException>(() => IngestCertificate.Load(_certificates.CertificateFile, garbage, TimeProvider.System));
        var half = new IngestTlsOptions { CertificateFile = _certificates.CertificateFile }.Validate();

        Assert.StartsWith($"Agent:CoordinatorCaFile '{garbage}' is not a valid PEM certificate bundle", badCa.Message);
        Assert.StartsWith($"Agent:CoordinatorCaFile '{empty}' holds no '-----BEGIN CERTIFICATE-----' block", noCa.Message);
        Assert.Contains("cannot be read", missingCa.Message);
        Assert.StartsWith($"Coordinator:IngestTls:CertificateFile '{_certificates.CertificateFile}' and KeyFile '{garbage}' are not a PEM certificate and its private key", badPair.Message);
        Assert.Contains("Coordinator:IngestTls:CertificateFile and Coordinator:IngestTls:KeyFile go together", Assert.Single(half));
    }

    private static SharedTokenAuthenticator SharedToken() => new(new IngestToken("shared"));

    private static GrpcUplinkTransport Agent(IngestFront front, string host, CoordinatorTrust trust) =>
        new(new CoordinatorAddress(new Uri($"https://{host}:{front.Port}"), IPAddress.Loopback), AgentToken.Fixed("shared"), trust, TimeProvider.System);
}
