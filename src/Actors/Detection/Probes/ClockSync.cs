namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's ClockUnsynchronized: adjtimex(2) read with modes 0 has STA_UNSYNC set in its status word, whatever time
/// daemon (chrony, ntpd, systemd-timesyncd) should be keeping the clock.
/// </summary>
public static class ClockSyncCheck
{
    public const string Reason = "ClockUnsynchronized";
    public const int StaUnsync = 0x0040;

    public static ProbeProblem? Check(int status) =>
        (status & StaUnsync) != 0
            ? new ProbeProblem(Reason, $"the kernel clock is not synchronized (adjtimex status 0x{status:x4} has STA_UNSYNC)")
            : null;
}
