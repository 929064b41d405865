using System.Runtime.CompilerServices;
namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>Parses one input line into its text and time; false for a line that carries no log text.</summary>
public delegate bool LineForm(ReadOnlySpan<char> line, out LogLine parsed);

/// <summary>
/// Classifies a whole log, line by line, the way <c>classify</c> and its benchmark do: each line's form is
/// parsed, the text fed to the engine with the line's own time (or the last time seen, when the line has none).
/// </summary>
public static class LogClassification
{
    private const long FlushEvery = 4096 - 1;

    /// <summary>The kernel forms for the kernel log (<c>kmsg</c>), the journal and log-file forms for every other source.</summary>
    public static LineForm FormFor(string source) =>
        source == "kmsg" ? KernelLineForm.TryParse : JournalLineForm.TryParse;

    /// <summary>Feeds every line of <paramref name="reader"/> to <paramref name="engine"/>; returns the number of lines read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static long Run(LogLineReader reader, LineForm form, DetectionEngine engine, DateTime start, Action<Detection> found)
    {
        var due = new List<Detection>();
        var at = start;
        long number = 0;
        while (reader.TryReadLine(out var line))
        {
            number++;
            if (!form(line, out var parsed))
                continue;
            if (parsed.At is { } stamped)
                at = stamped;
            engine.Feed(parsed.Text, at, number, due);
            if ((number & FlushEvery) == 0)
                engine.Flush(at, due); // Folded storms come out once their window has passed, in the order of the input.
            Emit(due, found);
        }

        engine.Flush(DateTime.MaxValue, due);
        Emit(due, found);
        return number;
    }

    private static void Emit(List<Detection> due, Action<Detection> found)
    {
        if (due.Count == 0)
            return;
        foreach (var detection in due)
            found(detection);
        due.Clear();
    }
}
