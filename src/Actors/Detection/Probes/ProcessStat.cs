namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// The fields of /proc/&lt;pid&gt;/stat the probes use. The command name sits in parentheses and may itself hold
/// spaces and parentheses ("(sd-pam)", "tmux: server", "a) b"), so it runs from the first '(' to the LAST ')'
/// and the numbered fields are counted after it; splitting the whole line on spaces (as EKS does) shifts
/// every field of such a process.
/// </summary>
public sealed record ProcessStat(int Pid, string Command, char State, ulong StartTicks, ulong BlockIoDelayTicks)
{
    /// <summary>Field 3 (state) is the first after the command; field 22 is starttime, field 42 delayacct_blkio_ticks.</summary>
    private const int FirstFieldAfterCommand = 3;
    private const int StartTimeField = 22;
    private const int BlockIoDelayField = 42;

    public static ProcessStat Parse(string text, string file)
    {
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        if (open <= 0 || close < open)
            throw new ProbeInputException($"{file}: no '(command)' in '{ProbeText.Shorten(text)}'");
        var pid = (int)ProbeText.Number(text.AsSpan(0, open), file, "pid");
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < StartTimeField - FirstFieldAfterCommand + 1 || fields[0].Length != 1)
            throw new ProbeInputException($"{file}: too few fields after the command in '{ProbeText.Shorten(text)}'");
        var start = (ulong)ProbeText.Number(fields[StartTimeField - FirstFieldAfterCommand], file, "starttime (field 22)");
        // Kernels before 2.6.18 have no field 42: no block I/O delay is known there.
        var delay = fields.Length > BlockIoDelayField - FirstFieldAfterCommand
            ? (ulong)ProbeText.Number(fields[BlockIoDelayField - FirstFieldAfterCommand], file, "delayacct_blkio_ticks (field 42)")
            : 0;
        return new ProcessStat(pid, text[(open + 1)..close], fields[0][0], start, delay);
    }

    public bool IsZombie => State == 'Z';
}
