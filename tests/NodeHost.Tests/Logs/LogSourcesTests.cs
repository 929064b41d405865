using Microsoft.Extensions.Configuration;
using NodeHealth.Actors.Detection;
using NodeHealth.NodeHost.Logs;
using NodeHealth.NodeHost.Logs.Files;

namespace NodeHealth.NodeHost.Tests.Logs;

public sealed class LogSourcesTests
{
    private const string OperatorRules = """
        conditions:
          - type: ContainerRuntimeReady
            reasons:
              - reason: OperatorKubeletLine
                severity: Warning
                source: journal-kubelet
                match: 'operator kubelet line'
                description: test
              - reason: OperatorMessagesLine
                severity: Warning
                source: file-messages
                match: 'operator messages line'
                description: test
              - reason: OperatorAuditLine
                severity: Warning
                source: file-audit
                match: 'operator audit line'
                description: test
        """;

    private static AgentOptions Bind(params string[] args) => AgentOptions.Bind(new ConfigurationBuilder().AddCommandLine(args).Build());

    [Fact]
    public void Default_log_files_are_the_ones_eks_reads()
    {
        var options = Bind();

        Assert.Equal("/var/log/messages", options.LogFiles["messages"]);
        Assert.Equal("/var/log/aws-routed-eni/ipamd.log", options.LogFiles["ipamd"]);
        Assert.Equal("/var/log/cron.log", options.LogFiles["cron"]);
        Assert.Equal("/var/log/aws-routed-eni/network-policy-agent.log", options.LogFiles["npa"]);
    }

    [Fact]
    public void Log_files_are_added_moved_and_turned_off_by_name()
    {
        var options = Bind("--Agent:LogFiles:audit=/var/log/audit/audit.log", "--Agent:LogFiles:messages=/var/log/syslog", "--Agent:LogFiles:cron=");

        Assert.Equal("/var/log/audit/audit.log", options.LogFiles["audit"]);
        Assert.Equal("/var/log/syslog", options.LogFiles["messages"]);
        Assert.Equal("", options.LogFiles["cron"]);
        Assert.Equal("/var/log/aws-routed-eni/ipamd.log", options.LogFiles["ipamd"]);
    }

    [Fact]
    public void Relative_log_paths_are_refused_with_the_setting_named()
    {
        var options = Bind("--Agent:NodeName=node-a", "--Agent:CoordinatorUrl=http://127.0.0.1:8081", "--Agent:Token=t",
            "--Agent:LogFiles:audit=audit.log", "--Agent:Journal:Directory=journal");

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("Agent:LogFiles:audit 'audit.log' must be an absolute path"));
        Assert.Contains(errors, e => e.Contains("Agent:Journal:Directory 'journal' must be an absolute path"));
    }

    [Fact]
    public void Each_journal_identifier_and_log_file_with_rules_gets_a_source_under_the_host_root()
    {
        var options = Bind("--Agent:Journal:Directory=/var/log/journal");
        var problems = new List<string>();

        var sources = LogSources.For(options, new HostPaths("/host"), CatalogLoader.Parse("ops.yaml", OperatorRules), problems);

        Assert.Equal("kmsg", sources[0].Name);
        Assert.Contains(sources, s => s.Name == "journal-kubelet" && s.Description.Contains("/host/var/log/journal"));
        Assert.Equal("/host/var/log/messages", Assert.IsType<LogFileSource>(sources.Single(s => s.Name == "file-messages")).Path);
        Assert.Contains(sources, s => s.Name == "file-cron"); // Built-in RapidCron reads it.
        Assert.DoesNotContain(sources, s => s.Name == "file-audit");
        Assert.Equal(sources.Count, sources.Select(s => s.Name).Distinct().Count());
        Assert.Equal("the catalog has rules for source file-audit but no file is set for it: set Agent:LogFiles:audit to its path", Assert.Single(problems)); // file-kube-proxy is off by default, so not a problem.
    }

    [Fact]
    public void Host_journal_is_read_without_a_directory_setting()
    {
        var problems = new List<string>();

        var sources = LogSources.For(Bind(), new HostPaths("/host"), CatalogLoader.Parse("ops.yaml", OperatorRules), problems);

        var journal = sources.Single(s => s.Name == "journal-kubelet");
        Assert.Contains("/host/var/log/journal and /host/run/log/journal", journal.Description);
    }
}
