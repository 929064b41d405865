using NodeHealth.Actors.Detection;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Tests.Detection;

/// <summary>Feeds lines to an engine as a log would: numbered from 1, a millisecond apart, then the end of input.</summary>
internal static class EngineRun
{
    public static readonly DateTime T0 = new(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc);

    public static List<Detected> Lines(DetectionEngine engine, params string[] lines)
    {
        var output = new List<Detected>();
        for (var i = 0; i < lines.Length; i++)
            engine.Feed(lines[i], T0.AddMilliseconds(i), i + 1, output);
        engine.Flush(DateTime.MaxValue, output);
        return output;
    }

    public static List<Detected> Text(DetectionEngine engine, string text) =>
        Lines(engine, text.Split('\n'));
}
