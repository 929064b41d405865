using System.Text.RegularExpressions;
using NodeHealth.Coordinator;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Deployment.Tests.Support;
using NodeHealth.NodeHost;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace NodeHealth.Deployment.Tests;

/// <summary>
/// docker-compose.yml, read as compose reads it (anchors and merge keys resolved): the fleet it describes is one
/// cluster whose agents can fail over, with settings the programs bind. scripts/test-compose runs it.
/// </summary>
public sealed partial class ComposeTests
{
    private static readonly Dictionary<string, Type> Sections = new()
    {
        [CoordinatorOptions.Section] = typeof(CoordinatorOptions),
        [KubernetesOptions.Section] = typeof(KubernetesOptions),
        [AgentOptions.Section] = typeof(AgentOptions),
    };

    private static readonly IReadOnlyDictionary<string, Service> Services = Load();

    private static IEnumerable<Service> Coordinators => Services.Values.Where(s => s.Image.Contains("/node-health/coordinator:"));

    private static IEnumerable<Service> Agents => Services.Values.Where(s => s.Image.Contains("/node-health/agent:"));

    [Fact]
    public void The_fleet_is_postgres_three_coordinators_and_agents_replaying_logs_and_reading_dev_kmsg()
    {
        Assert.Contains("postgres", Services.Keys);
        Assert.Equal(3, Coordinators.Count());
        Assert.True(Agents.Count(a => a.Env.ContainsKey("Agent__KernelLogFile")) >= 2, "several agents replay recorded kernel logs");
        var host = Assert.Single(Agents, a => !a.Env.ContainsKey("Agent__KernelLogFile"));
        Assert.True(host.Privileged, $"{host.Name} reads the host's /dev/kmsg: it must be privileged");
        Assert.Contains("/:/host:ro", host.Volumes);
    }

    [Fact]
    public void Every_section_variable_names_a_setting_the_program_binds()
    {
        foreach (var service in Coordinators.Concat(Agents))
        foreach (var name in service.Env.Keys.Where(n => n.Contains("__")))
        {
            var section = name[..name.IndexOf("__", StringComparison.Ordinal)];
            Assert.True(Sections.ContainsKey(section), $"{service.Name} sets {name}, which is in no section the programs read");
            var problem = PodEnvironment.Unbound(Sections[section], name[(section.Length + 2)..].Replace("__", ":"));
            Assert.True(problem is null, $"{service.Name} sets {name}, which binds to nothing: {problem}");
        }
    }

    [Fact]
    public void Every_coordinator_lists_all_three_as_seeds_by_service_name_and_is_reached_at_its_own()
    {
        var seeds = Coordinators.Select(c => $"akka.tcp://node-health@{c.Name}:{c.Env["Coordinator__AkkaPort"]}").Order().ToList();

        foreach (var coordinator in Coordinators)
        {
            Assert.Equal(seeds, coordinator.Env.Where(e => e.Key.StartsWith("Coordinator__SeedNodes__")).Select(e => e.Value).Order().ToList());
            Assert.Equal(coordinator.Name, coordinator.Env["Coordinator__AkkaPublicHostname"]);
            Assert.Equal("PostgreSql", coordinator.Env["Coordinator__Persistence"]);
            Assert.Contains("Host=postgres;", coordinator.Env["Coordinator__ConnectionString"]);
        }
    }

    [Fact]
    public void Every_agent_lists_every_coordinator_so_it_can_fail_over()
    {
        var coordinators = Coordinators.Select(c => $"http://{c.Name}:{c.Env["Coordinator__GrpcPort"]}").Order().ToList();

        foreach (var agent in Agents)
        {
            Assert.Equal(coordinators, agent.Env.Where(e => e.Key.StartsWith("Agent__CoordinatorUrls__")).Select(e => e.Value).Order().ToList());
            Assert.Equal(Coordinators.First().Env["Coordinator__IngestToken"], agent.Env["Agent__Token"]);
        }
    }

    [Fact]
    public void Every_replayed_log_is_shipped_under_deploy_compose()
    {
        foreach (var agent in Agents.Where(a => a.Env.ContainsKey("Agent__KernelLogFile")))
        {
            var file = agent.Env["Agent__KernelLogFile"];
            var mount = agent.Volumes.Select(v => Interpolated().Replace(v, "${default}").Split(':')).Single(v => file.StartsWith(v[1] + "/"));
            var shipped = mount[0];
            Assert.True(File.Exists(Repository.PathOf(Path.Combine(shipped, file[(mount[1].Length + 1)..]))), $"{agent.Name} replays {file}, which is not shipped in {shipped}");
        }
    }

    [Fact]
    public void The_api_is_published_on_loopback_only()
    {
        foreach (var service in Services.Values)
        foreach (var port in service.Ports)
            Assert.StartsWith("127.0.0.1:", port);
        Assert.All(Coordinators, c => Assert.Single(c.Ports));
    }

    private sealed record Service(string Name, string Image, IReadOnlyDictionary<string, string> Env, IReadOnlyList<string> Volumes, IReadOnlyList<string> Ports, bool Privileged);

    private static Dictionary<string, Service> Load()
    {
        var parser = new MergingParser(new Parser(new StringReader(Repository.Read("docker-compose.yml"))));
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(parser);
        var services = (Dictionary<object, object>)document["services"];
        return services.ToDictionary(s => (string)s.Key, s =>
        {
            var body = (Dictionary<object, object>)s.Value;
            var env = body.TryGetValue("environment", out var e) ? ((Dictionary<object, object>)e).ToDictionary(p => (string)p.Key, p => (string)p.Value) : [];
            return new Service((string)s.Key, (string)body["image"], env, Strings(body, "volumes"), Strings(body, "ports"),
                body.TryGetValue("privileged", out var p) && p is "true");
        });
    }

    private static List<string> Strings(Dictionary<object, object> body, string key) =>
        body.TryGetValue(key, out var list) ? [.. ((List<object>)list).Cast<string>()] : [];

    /// <summary>${NAME:-default}: a variable the compose file falls back to a default for.</summary>
    [GeneratedRegex(@"\$\{[A-Z_]+:-(?<default>[^}]+)\}")]
    private static partial Regex Interpolated();
}
