namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A node-health process a test starts, stops (SIGTERM) or crashes (SIGKILL) and starts again on the
/// same state, as Kubernetes restarts a pod.
/// </summary>
public abstract class ProcessUnderTest(string name) : IAsyncDisposable
{
    private SystemProcess? _process;
    private SystemProcess? _ended;

    /// <summary>What the running process printed, or the last one after it stopped or crashed.</summary>
    public string Output => (_process ?? _ended)?.Output ?? "";

    /// <summary>The running process's id (null while stopped), for signals a test sends itself.</summary>
    public int? ProcessId => _process?.Id;

    protected abstract IEnumerable<string> Arguments { get; }

    /// <summary>Appended to the command line at the next start.</summary>
    public List<string> ExtraArguments { get; } = [];

    /// <summary>At the next start, run inside this network namespace (`ip netns exec`, which execs: the process id stays the process's).</summary>
    public string? NetworkNamespace { get; set; }

    /// <summary>Environment variables for the next start.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The directory this process keeps its state in; removed when the test is done.</summary>
    protected abstract string StateDirectory { get; }

    /// <summary>Starts the process and waits until <see cref="IsReadyAsync"/> says it can be used.</summary>
    public async Task StartAsync()
    {
        var process = _process = NetworkNamespace is { } space
            ? SystemProcess.Start(name, "ip", ["netns", "exec", space, Paths.Dotnet, .. Arguments, .. ExtraArguments], Environment)
            : SystemProcess.Start(name, Paths.Dotnet, [.. Arguments, .. ExtraArguments], Environment);
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The {name} exited with {process.ExitCode}:\n{process.Output}");
            return await IsReadyAsync(process);
        }, TimeSpan.FromSeconds(60), () => $"the {name} did not become ready:\n{process.Output}");
    }

    /// <summary>How long a graceful stop may take before the process is killed, as a pod's termination grace period.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    /// <summary>
    /// SIGTERM and wait, as Kubernetes stops a pod. A process that had to be killed (SIGKILL) fails the
    /// test: whatever it should have done on its way out was not done.
    /// </summary>
    public async Task<ProcessExit> StopAsync()
    {
        if (_process is null)
            throw new InvalidOperationException($"The {name} is not running");
        var process = _ended = _process;
        _process = null;
        var exit = await process.StopAsync(StopGrace);
        await process.DisposeAsync();
        if (exit.Killed)
            throw new GracefulStopFailed($"The {name} {exit}:\n{process.Output}");
        return exit;
    }

    /// <summary>SIGKILL: nothing flushed, no shutdown hooks; only what was made durable may be relied on.</summary>
    public async Task CrashAsync()
    {
        if (_process is not null)
        {
            await _process.CrashAsync();
            await _process.DisposeAsync();
        }

        _ended = _process ?? _ended;
        _process = null;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
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

/// <summary>A process asked to stop gracefully had to be killed.</summary>
public sealed class GracefulStopFailed(string message) : Exception(message);
