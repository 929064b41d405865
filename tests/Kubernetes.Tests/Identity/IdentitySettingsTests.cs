using NodeHealth.Coordinator;
using NodeHealth.NodeHost;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>The identity and TLS settings refuse what cannot work, naming the setting and the fix.</summary>
public sealed class IdentitySettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nh-identity-settings-{Guid.NewGuid():N}");
    private readonly TestCertificates _certificates;

    public IdentitySettingsTests() => _certificates = new TestCertificates(_directory);

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void An_agent_with_a_CA_bundle_must_reach_the_coordinator_over_https()
    {
        var agent = Agent("http://node-health-coordinator:8081");
        agent.CoordinatorCaFile = _certificates.CaFile;

        Assert.Contains("Agent:CoordinatorCaFile is set, so the coordinator is reached over TLS: write Agent:CoordinatorUrl", Assert.Single(agent.Validate()));
        agent.CoordinatorUrl = "https://node-health-coordinator:8081";
        Assert.Empty(agent.Validate());
    }

    [Fact]
    public void An_agent_whose_CA_bundle_is_not_PEM_refuses_to_start()
    {
        var agent = Agent("https://node-health-coordinator:8081");
        agent.CoordinatorCaFile = Path.Combine(_directory, "tls.key");
        File.WriteAllText(agent.CoordinatorCaFile, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        Assert.Contains("holds no '-----BEGIN CERTIFICATE-----' block", Assert.Single(agent.Validate()));
    }

    [Theory]
    [InlineData("node-health")]
    [InlineData("node-health:")]
    [InlineData("system:serviceaccount:node-health:node-health-agent")]
    public void Agent_service_accounts_are_namespace_and_name(string account)
    {
        var options = new CoordinatorOptions { AgentServiceAccounts = [account] };

        Assert.Contains($"Coordinator:AgentServiceAccounts '{account}' must be namespace:name", Assert.Single(options.Validate()));
    }

    private AgentOptions Agent(string url) => new()
    {
        NodeName = "node-a",
        StateDirectory = _directory,
        CoordinatorUrl = url,
        Token = "t",
    };
}
