namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's ZramHighUsage: the data stored in a zram device (mm_stat field 0, orig_data_size in bytes) above 10 % of
/// its disksize. EKS raises it without a catalog entry; here it is a catalog reason like any other.
/// </summary>
public static class ZramUsageCheck
{
    public const string Reason = "ZramHighUsage";
    public const double Threshold = 0.10;

    /// <summary>orig_data_size: the first of mm_stat's space-separated numbers.</summary>
    public static long StoredBytes(string mmStat, string file)
    {
        var fields = mmStat.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 0
            ? throw new ProbeInputException($"{file}: empty, expected mm_stat numbers")
            : ProbeText.Number(fields[0], file, "orig_data_size (field 0)");
    }

    public static ProbeProblem? Check(string device, long storedBytes, long diskSize)
    {
        if (diskSize <= 0)
            return null;
        var used = (double)storedBytes / diskSize;
        return used > Threshold
            ? new ProbeProblem(Reason, $"{device} holds {storedBytes} bytes of its {diskSize} ({used:P0}, threshold {Threshold:P0})", device)
            : null;
    }
}
