using System.Text.RegularExpressions;
using NodeHealth.Coordinator;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Deployment.Tests.Support;
using NodeHealth.NodeHost;

namespace NodeHealth.Deployment.Tests;

/// <summary>Every variable a pod sets is one its program reads: a misspelt setting would be ignored without a word.</summary>
public sealed partial class SettingsTests
{
    private static readonly Dictionary<string, Type> Sections = new()
    {
        [CoordinatorOptions.Section] = typeof(CoordinatorOptions),
        [KubernetesOptions.Section] = typeof(KubernetesOptions),
        [AgentOptions.Section] = typeof(AgentOptions),
    };

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_section_variable_names_a_setting_the_program_binds(string path)
    {
        var overlay = Overlay.Of(path);
        var programs = new[] { ("coordinator", overlay.Coordinator, new[] { "Coordinator", "Kubernetes" }), ("agent", overlay.Agent, new[] { "Agent" }) };

        foreach (var (program, container, sections) in programs)
        foreach (var name in (container.Env ?? []).Select(e => e.Name).Where(n => n.Contains("__")))
        {
            var section = name[..name.IndexOf("__", StringComparison.Ordinal)];
            Assert.True(sections.Contains(section), $"{path}: the {program} sets {name}, but reads only the sections {string.Join(", ", sections)}");
            var problem = PodEnvironment.Unbound(Sections[section], name[(section.Length + 2)..].Replace("__", ":"));
            Assert.True(problem is null, $"{path}: the {program} sets {name}, which binds to nothing: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_plain_variable_is_one_the_programs_read(string path)
    {
        var read = Repository.Sources().SelectMany(s => EnvironmentRead().Matches(s.Text).Select(m => m.Groups[1].Value)).ToHashSet();
        var overlay = Overlay.Of(path);

        foreach (var container in new[] { overlay.Coordinator, overlay.Agent })
        foreach (var name in (container.Env ?? []).Select(e => e.Name).Where(n => !n.Contains("__")))
        {
            // POD_NAME also feeds $(POD_NAME) in the coordinator's AkkaPublicHostname.
            Assert.True(read.Contains(name), $"{path}: {container.Name} sets {name}, which no source file reads with Environment.GetEnvironmentVariable");
        }
    }

    [Theory]
    [InlineData("deploy/coordinator.Containerfile", "Coordinator")]
    [InlineData("deploy/agent.Containerfile", "Agent")]
    public void Every_setting_an_image_presets_names_a_setting_its_program_binds(string file, string section)
    {
        var names = ContainerfileEnv().Matches(Repository.Read(file)).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(names);
        foreach (var name in names.Where(n => n.Contains("__")))
        {
            Assert.StartsWith(section + "__", name);
            var problem = PodEnvironment.Unbound(Sections[section], name[(section.Length + 2)..].Replace("__", ":"));
            Assert.True(problem is null, $"{file} sets {name}, which binds to nothing: {problem}");
        }
    }

    [Fact]
    public void A_misspelt_setting_is_caught()
    {
        Assert.Null(PodEnvironment.Unbound(typeof(CoordinatorOptions), "SeedNodes:2"));
        Assert.Null(PodEnvironment.Unbound(typeof(AgentOptions), "LogFiles:messages"));
        Assert.Null(PodEnvironment.Unbound(typeof(AgentOptions), "Journal:Directory"));
        Assert.NotNull(PodEnvironment.Unbound(typeof(CoordinatorOptions), "SeedNode:0"));
        Assert.NotNull(PodEnvironment.Unbound(typeof(AgentOptions), "Journal:Dir"));
        Assert.NotNull(PodEnvironment.Unbound(typeof(CoordinatorOptions), "SeedNodes:first"));
    }

    /// <summary>NAME=value pairs of ENV instructions, including continuation lines.</summary>
    [GeneratedRegex(@"^(?:ENV\s+|\s+)([A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex ContainerfileEnv();

    [GeneratedRegex(@"GetEnvironmentVariable\(""([A-Z_]+)""\)")]
    private static partial Regex EnvironmentRead();
}
