namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's LargeEnvironment: a process with more than 1000 environment variables (typically Service links from
/// enableServiceLinks with many Services). /proc/&lt;pid&gt;/environ is NUL-separated; it is read only up to
/// <see cref="ReadLimit"/> bytes, and counting stops once past the threshold.
/// </summary>
public static class EnvironmentSizeCheck
{
    public const string Reason = "LargeEnvironment";
    public const int Threshold = 1000;
    public const int ReadLimit = 1 << 20;

    /// <summary>Variables in an environ block (a final entry without its NUL counts too); stops counting at Threshold + 1.</summary>
    public static int CountVariables(ReadOnlySpan<byte> environ)
    {
        var count = 0;
        while (!environ.IsEmpty && count <= Threshold)
        {
            var end = environ.IndexOf((byte)0);
            if (end != 0)
                count++;
            environ = end < 0 ? [] : environ[(end + 1)..];
        }
        return count;
    }

    public static ProbeProblem? Check(int pid, string command, int variables) =>
        variables > Threshold
            ? new ProbeProblem(Reason, $"process {pid} ({command}) has more than {Threshold} environment variables", $"{pid}")
            : null;
}
