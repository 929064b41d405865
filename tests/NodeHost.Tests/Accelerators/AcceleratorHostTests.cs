using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.NodeHost.Probes;

namespace NodeHealth.NodeHost.Tests.Accelerators;

/// <summary>The host-command adapter the agent runs the host's GPU tools through, and the accelerator settings.</summary>
public sealed class AcceleratorHostTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "host-tools-" + Guid.NewGuid().ToString("N"));

    public AcceleratorHostTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tool(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void A_hung_host_tool_is_killed_with_its_children_at_the_deadline()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var tool = Tool("nvidia-smi", $"sleep 30 &\necho $! > '{pidFile}'\nwait");
        var took = Stopwatch.StartNew();

        var error = Assert.Throws<HostCommandTimedOutException>(() => new ChrootHostCommands(new HostPaths("/")).Run(tool, ["-q"], TimeSpan.FromSeconds(1)));

        Assert.InRange(took.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        Assert.Contains("ran longer than the deadline", error.Message);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists($"/proc/{child}") || File.ReadAllText($"/proc/{child}/stat").Contains(") Z ", StringComparison.Ordinal), TimeSpan.FromSeconds(3)),
            $"the tool's child {child} outlived the kill");
    }

    [Fact]
    public void A_host_tool_that_is_not_there_is_null_and_one_that_answers_gives_its_output_and_status()
    {
        var commands = new ChrootHostCommands(new HostPaths("/"));

        Assert.Null(commands.Run(Path.Combine(_dir, "dcgmi"), ["health", "-c"], TimeSpan.FromSeconds(5)));
        var answered = commands.Run(Tool("systemctl", "echo failed\nexit 3"), ["is-active", "nvidia-fabricmanager"], TimeSpan.FromSeconds(5))!;
        Assert.Equal((3, "failed\n"), (answered.ExitCode, answered.Output));
    }

    [Fact]
    public void Accelerator_settings_bind_from_configuration_and_bad_ones_are_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:Accelerators:ExpectedGpuCount"] = "8",
            ["Agent:Accelerators:DcgmAddress"] = "localhost:5555",
            ["Agent:Accelerators:NvidiaSmi"] = "nvidia-smi",
        }).Build();

        var options = AgentOptions.Bind(configuration);

        Assert.Equal((8, "localhost:5555"), (options.Accelerators.ToSettings().ExpectedGpuCount, options.Accelerators.ToSettings().DcgmAddress));
        var error = Assert.Single(options.Accelerators.Validate());
        Assert.Contains("Agent:Accelerators:NvidiaSmi 'nvidia-smi' must be the tool's absolute path on the host", error);
    }
}
