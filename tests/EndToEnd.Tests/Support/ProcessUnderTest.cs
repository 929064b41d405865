namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A node-health process a test starts, stops (SIGTERM) or crashes (SIGKILL) and starts again on the
/// same state, as Kubernetes restarts a pod.
/// </summary>
public abstract class ProcessUnderTest(string name) : IAsyncDisposable
{
    private SystemProcess? _process;

    public string Output => _process?.Output ?? "";

    /// <summary>The running process's id (null while stopped), for signals a test sends itself.</summary>
    public int? ProcessId => _process?.Id;

    protected abstract IEnumerable<string> Arguments { get; }

    /// <summary>Appended to the command line at the next start.</summary>
    public List<string> ExtraArguments { get; } = [];

    /// <summary>Environment variables for the next start.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The directory this process keeps its state in; removed when the test is done.</summary>
    protected abstract string StateDirectory { get; }

    /// <summary>Starts the process and waits until <see cref="IsReadyAsync"/> says it can be used.</summary>
    public async Task StartAsync()
    {
        var process = _process = SystemProcess.Start(name, Paths.Dotnet, [.. Arguments, .. ExtraArguments], Environment);
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The {name} exited with {process.ExitCode}:\n{process.Output}");
            return await IsReadyAsync(process);
        }, TimeSpan.FromSeconds(60), () => $"the {name} did not become ready:\n{process.Output}");
    }

    public async Task StopAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>SIGKILL: nothing flushed, no shutdown hooks; only what was made durable may be relied on.</summary>
    public async Task CrashAsync()
    {
        if (_process is not null)
        {
            await _process.CrashAsync();
            await _process.DisposeAsync();
        }

        _process = null;
    }

    public virtual async ValueTask DisposeAsync()
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

    protected abstract Task<bool> IsReadyAsync(SystemProcess process);
}
