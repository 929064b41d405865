namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>How a stopped process ended: its exit code, how long it took after SIGTERM, and whether it needed SIGKILL.</summary>
public sealed record ProcessExit(int ExitCode, TimeSpan Took, bool Killed)
{
    public override string ToString() =>
        Killed ? $"did not exit within {Took.TotalSeconds:0.0}s of SIGTERM and was killed (SIGKILL)"
               : $"exited with {ExitCode} {Took.TotalSeconds:0.0}s after SIGTERM";
}
