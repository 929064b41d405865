namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// What one pure probe check found wrong: the catalog reason it raises, the text for the finding and the
/// thing it is about (a mount point, a device, a pid), which keys recovery and repeats.
/// </summary>
public sealed record ProbeProblem(string Reason, string Message, string? Entity = null);

/// <summary>A host file a probe reads does not hold what the kernel writes there; the text names the file and the problem.</summary>
public sealed class ProbeInputException(string message) : Exception(message);

public static class ProbeText
{
    /// <summary>Parses one non-negative decimal, naming the file and the text when it is not one.</summary>
    public static long Number(ReadOnlySpan<char> text, string file, string what)
    {
        var trimmed = text.Trim();
        return long.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ProbeInputException($"{file}: {what} is not a non-negative number: '{Shorten(trimmed)}'");
    }

    public static string Shorten(ReadOnlySpan<char> text) => text.Length <= 80 ? text.ToString() : string.Concat(text[..80], "…");
}
