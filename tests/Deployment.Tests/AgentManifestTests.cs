using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using NodeHealth.Deployment.Tests.Support;
using NodeHealth.NodeHost;

namespace NodeHealth.Deployment.Tests;

/// <summary>The agent DaemonSet: where it runs, what it mounts, what it may do, what it costs (issue 12).</summary>
public sealed partial class AgentManifestTests
{
    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_agent_runs_on_every_node_whatever_its_taints_as_a_node_critical_pod(string path)
    {
        var pod = Overlay.Of(path).Agents.Spec.Template.Spec;

        var everything = Assert.Single(pod.Tolerations);
        Assert.Equal("Exists", everything.OperatorProperty);
        Assert.Null(everything.Key);
        Assert.Null(everything.Effect);
        Assert.Null(everything.TolerationSeconds);
        Assert.Equal("system-node-critical", pod.PriorityClassName);
        Assert.True(pod.NodeSelector is null || pod.NodeSelector.Keys.All(k => k == "kubernetes.io/os"), "the agent selects nodes only by operating system");
        Assert.Null(pod.Affinity);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_node_name_comes_from_the_downward_API_and_resolves_in_the_agent(string path)
    {
        var agent = Overlay.Of(path).Agent;
        var nodeName = agent.Env.Single(e => e.Name == "NODE_NAME");

        Assert.Equal("spec.nodeName", nodeName.ValueFrom.FieldRef.FieldPath);
        Assert.DoesNotContain(agent.Env, e => e.Name == "Agent__NodeName");
        Assert.Contains("GetEnvironmentVariable(\"NODE_NAME\")", Repository.Read("src/NodeHost/AgentOptions.cs"));
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_host_is_mounted_read_only_at_HOST_ROOT_and_only_the_state_directory_is_written(string path)
    {
        var overlay = Overlay.Of(path);
        var pod = overlay.Agents.Spec.Template.Spec;
        var agent = overlay.Agent;
        var environment = PodEnvironment.Of(agent);
        var options = AgentOptions.Bind(environment.Configuration());

        var hostRoot = agent.VolumeMounts.Single(m => m.MountPath == environment["HOST_ROOT"]);
        Assert.Equal("/", pod.Volumes.Single(v => v.Name == hostRoot.Name).HostPath.Path);
        Assert.True(hostRoot.ReadOnlyProperty);
        Assert.Equal("IfPossible", hostRoot.RecursiveReadOnly);

        var hostPathMounts = agent.VolumeMounts.Where(m => pod.Volumes.Single(v => v.Name == m.Name).HostPath is not null).ToList();
        var writable = Assert.Single(hostPathMounts, m => m.ReadOnlyProperty is not true);
        Assert.Equal(options.StateDirectory, writable.MountPath);
        Assert.Equal("DirectoryOrCreate", pod.Volumes.Single(v => v.Name == writable.Name).HostPath.Type);
        Assert.All(agent.VolumeMounts.Where(m => m.ReadOnlyProperty is not true),
            m => Assert.True(m.MountPath == options.StateDirectory || pod.Volumes.Single(v => v.Name == m.Name).EmptyDir is not null,
                $"{m.MountPath} is writable: only the state directory and scratch space may be"));
        Assert.True(agent.SecurityContext.ReadOnlyRootFilesystem);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_kernel_log_journal_and_containerd_socket_are_read_under_HOST_ROOT(string path)
    {
        var overlay = Overlay.Of(path);
        var agent = overlay.Agent;
        var hostRoot = PodEnvironment.Of(agent)["HOST_ROOT"];
        var options = AgentOptions.Bind(PodEnvironment.Of(agent).Configuration());

        // Each source is resolved under HOST_ROOT by the program, which the host-root mount covers.
        Assert.Contains("host.Resolve(\"/dev/kmsg\")", Repository.Read("src/NodeHost/Kernel/DevKmsgSource.cs"));
        Assert.Contains("host.Resolve(options.CriSocket)", Repository.Read("src/NodeHost/AgentHost.cs"));
        Assert.Contains("UnderHostRoot", Repository.Read("src/NodeHost/Logs/Journal/JournalQuery.cs"));
        Assert.StartsWith("/", options.CriSocket);
        Assert.Null(options.Journal.Directory);
        Assert.Null(options.KernelLogFile);
        Assert.Equal("/host", hostRoot);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_agent_sees_the_hosts_network_and_still_resolves_the_coordinator_service(string path)
    {
        var pod = Overlay.Of(path).Agents.Spec.Template.Spec;

        Assert.True(pod.HostNetwork);
        Assert.Equal("ClusterFirstWithHostNet", pod.DnsPolicy);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_agent_reboots_its_host_through_systemd_in_the_hosts_namespaces(string path)
    {
        var overlay = Overlay.Of(path);
        var options = AgentOptions.Bind(PodEnvironment.Of(overlay.Agent).Configuration());

        Assert.True(overlay.Agents.Spec.Template.Spec.HostPID, "nsenter -t 1 reaches the host's systemd (PID 1) only from the host's PID namespace");
        Assert.True(options.Reboot.Enabled);
        Assert.Empty(options.Reboot.Validate());
        Assert.Equal(NodeHealth.Actors.Agent.Reboot.RebootSettings.SystemdInHostNamespaces, options.Reboot.ToSettings().Command);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_agent_holds_no_API_credentials(string path)
    {
        var overlay = Overlay.Of(path);

        Assert.False(overlay.Agents.Spec.Template.Spec.AutomountServiceAccountToken);
        Assert.False(overlay.Single<V1ServiceAccount>("node-health-agent").AutomountServiceAccountToken);
        Assert.DoesNotContain(overlay.All<V1RoleBinding>().SelectMany(b => b.Subjects).Concat(overlay.All<V1ClusterRoleBinding>().SelectMany(b => b.Subjects)),
            s => s.Name == "node-health-agent");
    }

    [Fact]
    public void In_production_the_agent_presents_its_projected_token_for_the_node_health_audience_over_TLS()
    {
        var overlay = Overlay.Of(Overlay.Production);
        var pod = overlay.Agents.Spec.Template.Spec;
        var environment = PodEnvironment.Of(overlay.Agent);
        var tokenFile = environment["Agent__TokenFile"]!;

        var mount = overlay.Agent.VolumeMounts.Single(m => tokenFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var source = Assert.Single(pod.Volumes.Single(v => v.Name == mount.Name).Projected.Sources);
        Assert.Equal("node-health", source.ServiceAccountToken.Audience);
        Assert.Equal(3600, source.ServiceAccountToken.ExpirationSeconds);
        Assert.Equal(tokenFile, $"{mount.MountPath}/{source.ServiceAccountToken.Path}");
        Assert.Equal("/var/run/secrets/node-health/token", tokenFile);

        Assert.Equal($"{overlay.Agents.Metadata.NamespaceProperty}:{pod.ServiceAccountName}",
            PodEnvironment.Of(overlay.Coordinator)["Coordinator__AgentServiceAccounts__0"]);
        Assert.Equal("TokenReview", PodEnvironment.Of(overlay.Coordinator)["Coordinator__AgentAuthentication"]);
        Assert.Null(PodEnvironment.Of(overlay.Coordinator)["Coordinator__IngestToken"]);

        Assert.Equal("https", new Uri(environment["Agent__CoordinatorUrl"]!).Scheme);
        var caFile = environment["Agent__CoordinatorCaFile"]!;
        var caMount = overlay.Agent.VolumeMounts.Single(m => caFile == m.MountPath + "/ca.crt");
        Assert.Equal("node-health-ingest-ca", pod.Volumes.Single(v => v.Name == caMount.Name).ConfigMap.Name);
    }

    [Fact]
    public void In_production_the_coordinators_serve_ingest_with_the_certificate_from_the_tls_secret()
    {
        var overlay = Overlay.Of(Overlay.Production);
        var environment = PodEnvironment.Of(overlay.Coordinator);
        var volumes = overlay.Coordinators.Spec.Template.Spec.Volumes;

        foreach (var (setting, key) in new[] { ("Coordinator__IngestTls__CertificateFile", "tls.crt"), ("Coordinator__IngestTls__KeyFile", "tls.key") })
        {
            var file = environment[setting]!;
            var mount = overlay.Coordinator.VolumeMounts.Single(m => file == $"{m.MountPath}/{key}");
            Assert.Equal("node-health-ingest-tls", volumes.Single(v => v.Name == mount.Name).Secret.SecretName);
            Assert.True(mount.ReadOnlyProperty);
        }
    }

    [Fact]
    public void In_the_base_the_agent_presents_the_shared_ingest_token_the_coordinators_hold()
    {
        var overlay = Overlay.Of(Overlay.Base);
        var tokenFile = PodEnvironment.Of(overlay.Agent)["Agent__TokenFile"]!;
        var mount = overlay.Agent.VolumeMounts.Single(m => tokenFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var secret = overlay.Agents.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name).Secret;

        Assert.Equal($"secret:{secret.SecretName}/{secret.Items.Single().Key}", PodEnvironment.Of(overlay.Coordinator)["Coordinator__IngestToken"]);
        Assert.Equal(tokenFile, $"{mount.MountPath}/{secret.Items.Single().Path}");
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_pods_settings_pass_the_agents_own_validation(string path)
    {
        var overlay = Overlay.Of(path);
        var options = AgentOptions.Bind(PodEnvironment.Of(overlay.Agent).Configuration());

        Assert.Empty(ProvidedFiles.Unexplained(options.Validate(), overlay.Agent, overlay.Agents.Spec.Template.Spec));
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_agents_requests_cover_its_latest_measured_idle_footprint(string path)
    {
        var resources = Overlay.Of(path).Agent.Resources;
        var benchmarks = Repository.Read("docs/benchmarks.md");
        var rss = LastFigure(AgentRss(), benchmarks, "a '| Steady RSS of the agent' row with a bold '**N MiB'");
        var cpu = LastFigure(AgentIdleCpu(), benchmarks, "a '| Idle CPU of the agent' row with a bold '**N millicores'");

        Assert.True(resources.Requests["memory"].ToDecimal() >= rss * 1024 * 1024, $"memory request {resources.Requests["memory"]} is below the measured {rss} MiB");
        Assert.True(resources.Requests["cpu"].ToDecimal() >= cpu / 1000, $"cpu request {resources.Requests["cpu"]} is below the measured {cpu} millicores");
        Assert.True(resources.Limits["memory"].ToDecimal() >= 2 * rss * 1024 * 1024, $"memory limit {resources.Limits["memory"]} leaves no room above the measured {rss} MiB for a storm");
    }

    private static decimal LastFigure(Regex row, string text, string what)
    {
        var matches = row.Matches(text);
        Assert.True(matches.Count > 0, $"docs/benchmarks.md has no {what} to size the agent's resources from");
        return decimal.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\| Steady RSS of the agent[^\n|]*\|[^\n|]*\|[^\n*]*\*\*([0-9.]+) MiB", RegexOptions.Multiline)]
    private static partial Regex AgentRss();

    [GeneratedRegex(@"^\| Idle CPU of the agent[^\n|]*\|[^\n|]*\|[^\n*]*\*\*([0-9.]+) millicores", RegexOptions.Multiline)]
    private static partial Regex AgentIdleCpu();
}
