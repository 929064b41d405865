namespace NodeHealth.Actors.Tests.Detection.Probes;

/// <summary>Real /proc text (taken from a Linux 6.x host) with the fields a test is about put in.</summary>
internal static class ProcFixtures
{
    /// <summary>A /proc/&lt;pid&gt;/stat line: field 3 state, field 22 starttime, field 42 delayacct_blkio_ticks.</summary>
    public static string Stat(int pid, string command, char state = 'S', ulong start = 844726, ulong blockIoTicks = 0) =>
        $"{pid} ({command}) {state} 14391 14391 9597 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 {start} 3133440 383 18446744073709551615 "
        + $"94250881200128 94250881220009 140731748789248 0 0 0 0 0 0 0 0 0 17 1 0 0 {blockIoTicks} 0 0 94250881236016 94250881237632 "
        + "94251041423360 140731748792805 140731748792825 140731748792825 140731748794347 0";
}
