using System.Globalization;
using System.Text.RegularExpressions;

namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's XFSSmallAverageClusterSize: the "average free extent size" (in filesystem blocks) that
/// `xfs_db -r -c "freesp -s" &lt;device&gt;` prints below its histogram, under 16 blocks (EKS calls the threshold
/// provisional): free space so fragmented that allocations of larger extents fail or slow down.
/// </summary>
public static partial class XfsFreeSpaceCheck
{
    public const string Reason = "XFSSmallAverageClusterSize";
    public const double Threshold = 16;

    [GeneratedRegex(@"^average free extent size (?<size>[0-9]+(?:\.[0-9]+)?)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex AverageLine();

    public static double AverageExtentBlocks(string output, string device) =>
        AverageLine().Match(output) is { Success: true } match
            ? double.Parse(match.Groups["size"].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new ProbeInputException($"xfs_db freesp -s {device}: no 'average free extent size' line in '{ProbeText.Shorten(output.Trim())}'");

    public static ProbeProblem? Check(string device, string mountPoint, double averageBlocks) =>
        averageBlocks < Threshold
            ? new ProbeProblem(Reason, $"XFS on {device} ({mountPoint}) has an average free extent of {averageBlocks:0.##} blocks (threshold {Threshold:0})", device)
            : null;
}
