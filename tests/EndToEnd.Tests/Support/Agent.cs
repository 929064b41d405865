namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>A NodeHost process pointed at a coordinator; restarts keep its state directory.</summary>
public sealed class AgentUnderTest(CoordinatorUnderTest coordinator, string nodeName, IEnumerable<string>? catalogFiles = null) : IAsyncDisposable
{
    private SystemProcess? _process;

    public string NodeName => nodeName;
    public string StateDirectory { get; } = Paths.TempDirectory("nh-agent");
    public string Output => _process?.Output ?? "";

    public IEnumerable<string> Arguments =>
    [
        Paths.AgentDll,
        $"--Agent:NodeName={nodeName}",
        $"--Agent:StateDirectory={StateDirectory}",
        $"--Agent:CoordinatorUrl={coordinator.GrpcAddress}",
        $"--Agent:Token={CoordinatorUnderTest.Token}",
        .. (catalogFiles ?? []).Select((file, i) => $"--Agent:CatalogFiles:{i}={file}"),
    ];

    /// <summary>Starts the agent and waits until its kernel monitor reads /dev/kmsg (so later lines are seen).</summary>
    public async Task StartAsync()
    {
        _process = SystemProcess.Start("agent", Paths.Dotnet, Arguments);
        await Eventually.TrueAsync(() =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The agent exited with {_process.ExitCode}:\n{_process.Output}");
            return Task.FromResult(_process.Output.Contains("Kernel monitor reading"));
        }, TimeSpan.FromSeconds(60), () => "agent did not start reading the kernel log:\n" + _process.Output);
    }

    public async Task StopAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    public async Task CrashAsync()
    {
        if (_process is not null)
        {
            await _process.CrashAsync();
            await _process.DisposeAsync();
        }

        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
