namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// The text of one log line with its form's prefix removed, and when it was written if the form says
/// (wall-clock UTC, or time since boot counted from the Unix epoch for kmsg and dmesg stamps). The text is a
/// view of the reader's buffer (valid until the next line is read), so ordinary lines cost no allocation.
/// </summary>
public readonly ref struct LogLine(ReadOnlySpan<char> text, DateTime? at)
{
    public ReadOnlySpan<char> Text { get; } = text;
    public DateTime? At { get; } = at;
}
