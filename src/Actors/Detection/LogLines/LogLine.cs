namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// The text of one log line with its form's prefix removed, and when it was written if the form says
/// (wall-clock UTC, or time since boot counted from the Unix epoch for kmsg and dmesg stamps).
/// </summary>
public readonly record struct LogLine(string Text, DateTime? At);
