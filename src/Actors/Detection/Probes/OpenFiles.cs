namespace NodeHealth.Actors.Detection.Probes;

/// <summary>/proc/sys/fs/file-nr: file handles allocated, allocated but unused (always 0 since 2.6), and the maximum.</summary>
public sealed record FileHandles(long Allocated, long Unused, long Max)
{
    public const string Path = "/proc/sys/fs/file-nr";

    public static FileHandles Parse(string text)
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3)
            throw new ProbeInputException($"{Path}: expected three numbers (allocated, unused, max), got '{ProbeText.Shorten(text.Trim())}'");
        return new FileHandles(
            ProbeText.Number(fields[0], Path, "allocated"),
            ProbeText.Number(fields[1], Path, "unused"),
            ProbeText.Number(fields[2], Path, "max"));
    }
}

/// <summary>EKS's ApproachingMaxOpenFiles: warn at 70 % of fs.file-max, before open() starts failing with ENFILE.</summary>
public static class OpenFilesCheck
{
    public const string Reason = "ApproachingMaxOpenFiles";
    public const double Threshold = 0.70;

    public static ProbeProblem? Check(FileHandles handles)
    {
        if (handles.Max <= 0)
            return null;
        var used = (double)handles.Allocated / handles.Max;
        return used >= Threshold
            ? new ProbeProblem(Reason, $"{handles.Allocated} of {handles.Max} file handles allocated ({used:P0}, threshold {Threshold:P0})")
            : null;
    }
}
