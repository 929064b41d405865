using System.Text.RegularExpressions;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// Writes to the real /dev/kmsg, as a fault-injection tool would (needs root). The buffer is shared with
/// the host, which may log a real fault mid-test, and with every earlier test: each line a test writes
/// carries that test's own tag (<see cref="NewTag"/>), and the test matches only lines with its tag.
/// </summary>
public static partial class KernelLog
{
    /// <summary>A tag for one test run, e.g. "e2e-3f9a01bc": put it in every line the test writes and match on it.</summary>
    public static string NewTag() => "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public static void Write(string line)
    {
        if (!Tag().IsMatch(line))
            throw new ArgumentException($"Kernel log line without a test tag (see {nameof(NewTag)}): '{line}'", nameof(line));
        using var kmsg = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write);
        kmsg.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
    }

    [GeneratedRegex("e2e-[0-9a-f]{8}")]
    private static partial Regex Tag();
}
